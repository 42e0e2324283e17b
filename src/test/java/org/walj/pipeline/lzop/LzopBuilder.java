package org.walj.pipeline.lzop;

import io.airlift.compress.lzo.LzoCompressor;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.zip.Adler32;
import java.util.zip.CRC32;
import java.util.zip.Checksum;

/** Hand-builds lzop streams with any header shape and block layout, for decoder tests. */
public final class LzopBuilder {
    int version = 0x1040;
    int libVersion = 0x20A0;
    int versionNeeded = 0x0940;
    int method = 1;
    int level = 5;
    int flags = 0x0300000D;
    int filter;
    int mode = 0100644;
    long mtime = 1_700_000_000L;
    String name = "";
    byte[] extra; // F_H_EXTRA_FIELD content, when set
    Integer headerChecksumOverride;

    private final ByteArrayOutputStream blocks = new ByteArrayOutputStream();

    LzopBuilder flags(int f) {
        flags = f;
        return this;
    }

    byte[] header() {
        ByteBuffer b = ByteBuffer.allocate(600);
        b.putShort((short) version).putShort((short) libVersion);
        boolean newShape = version >= 0x0940;
        if (newShape) {
            b.putShort((short) versionNeeded);
        }
        b.put((byte) method);
        if (newShape) {
            b.put((byte) level);
        }
        int f = flags | (extra != null ? 0x40 : 0) | (filter != 0 ? 0x800 : 0);
        b.putInt(f);
        if (filter != 0) {
            b.putInt(filter);
        }
        b.putInt(mode).putInt((int) mtime);
        if (newShape) {
            b.putInt((int) (mtime >>> 32));
        }
        byte[] n = name.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        b.put((byte) n.length).put(n);
        int len = b.position();
        Checksum c = (f & 0x1000) != 0 ? new CRC32() : new Adler32();
        c.update(b.array(), 0, len);
        b.putInt(headerChecksumOverride != null ? headerChecksumOverride : (int) c.getValue());
        if (extra != null) {
            b.putInt(extra.length).put(extra);
            Checksum e = (f & 0x1000) != 0 ? new CRC32() : new Adler32();
            e.update(ByteBuffer.allocate(4).putInt(extra.length).array());
            e.update(extra);
            b.putInt((int) e.getValue());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(Lzop.MAGIC);
        out.write(b.array(), 0, b.position());
        return out.toByteArray();
    }

    /** Appends a block for {@code data}: LZO1X-compressed when smaller (unless {@code forceStored}), with checksums per flags. */
    LzopBuilder block(byte[] data, boolean forceStored) {
        byte[] filtered = data.clone();
        if (filter != 0 && filtered.length > filter) {
            for (int i = filtered.length - 1; i >= filter; i--) {
                filtered[i] -= filtered[i - filter];
            }
        }
        LzoCompressor compressor = new LzoCompressor();
        byte[] c = new byte[compressor.maxCompressedLength(data.length)];
        int clen = compressor.compress(filtered, 0, filtered.length, c, 0, c.length);
        boolean stored = forceStored || clen >= data.length;
        byte[] payload = stored ? filtered : java.util.Arrays.copyOf(c, clen);
        return rawBlock(data.length, payload.length, data, payload);
    }

    /** Appends a block with the given length fields; checksums computed over {@code original} and {@code payload}. */
    LzopBuilder rawBlock(int ulen, int clen, byte[] original, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(24);
        b.putInt(ulen).putInt(clen);
        if ((flags & 0x1) != 0) {
            b.putInt(sum(new Adler32(), original));
        }
        if ((flags & 0x100) != 0) {
            b.putInt(sum(new CRC32(), original));
        }
        if (clen < ulen && (flags & 0x2) != 0) {
            b.putInt(sum(new Adler32(), payload));
        }
        if (clen < ulen && (flags & 0x200) != 0) {
            b.putInt(sum(new CRC32(), payload));
        }
        blocks.write(b.array(), 0, b.position());
        blocks.writeBytes(payload);
        return this;
    }

    private static int sum(Checksum c, byte[] data) {
        c.update(data, 0, data.length);
        return (int) c.getValue();
    }

    byte[] build() {
        return concat(header(), blocks.toByteArray(), new byte[4]);
    }

    byte[] buildWithoutEnd() {
        return concat(header(), blocks.toByteArray());
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
