package org.walj.pipeline.lzop;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** A test-side parse of an lzop stream in the shape lzop 1.04 writes (version >= 0x0940), for structure checks. */
public record LzopLayout(int version, int libVersion, int versionNeeded, int method, int level, int flags, int filter,
                  int mode, long mtime, String name, int headerEnd, List<Block> blocks, int endMarker) {

    public record Block(int offset, int uncompressedLength, int compressedLength, int headerLength,
            int dataChecksum) {
        public boolean stored() {
            return compressedLength == uncompressedLength;
        }
    }

    public static LzopLayout parse(byte[] s) {
        ByteBuffer b = ByteBuffer.wrap(s);
        b.position(9);
        int version = b.getShort() & 0xFFFF;
        int lib = b.getShort() & 0xFFFF;
        int needed = b.getShort() & 0xFFFF;
        int method = b.get() & 0xFF;
        int level = b.get() & 0xFF;
        int flags = b.getInt();
        int filter = (flags & 0x800) != 0 ? b.getInt() : 0;
        int mode = b.getInt();
        long mtime = Integer.toUnsignedLong(b.getInt()) | (long) b.getInt() << 32;
        byte[] name = new byte[b.get() & 0xFF];
        b.get(name);
        b.getInt(); // header checksum
        int headerEnd = b.position();
        List<Block> blocks = new ArrayList<>();
        while (true) {
            int offset = b.position();
            int ulen = b.getInt();
            if (ulen == 0) {
                return new LzopLayout(version, lib, needed, method, level, flags, filter, mode, mtime,
                        new String(name), headerEnd, blocks, offset);
            }
            int clen = b.getInt();
            int dataChecksum = 0; // Adler-32 or CRC-32 of the uncompressed data, whichever the flags ask for
            int headerLength = 8;
            if ((flags & 1) != 0) {
                dataChecksum = b.getInt();
                headerLength += 4;
            }
            if ((flags & 0x100) != 0) {
                dataChecksum = b.getInt();
                headerLength += 4;
            }
            if (clen < ulen && (flags & 2) != 0) {
                b.getInt();
                headerLength += 4;
            }
            if (clen < ulen && (flags & 0x200) != 0) {
                b.getInt();
                headerLength += 4;
            }
            b.position(b.position() + clen);
            blocks.add(new Block(offset, ulen, clen, headerLength, dataChecksum));
        }
    }
}
