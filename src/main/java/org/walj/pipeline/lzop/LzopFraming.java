package org.walj.pipeline.lzop;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.zip.Adler32;
import java.util.zip.CRC32;
import org.walj.pipeline.CorruptObjectException;
import org.walj.pipeline.ParallelBlockReader;
import org.walj.pipeline.StreamFormat;

/**
 * The sequential half of reading an lzop stream: the header (any variant lzop 1.04 writes: methods 1 to 3, all
 * LZO1X; old and new header shapes, file names, header extra field, {@code --filter=1..16}, Adler-32 or CRC-32
 * header checksum), each block's lengths, checksums and stored bytes, and the end marker with nothing but NUL
 * padding after it. Block lengths are checked before anything is allocated from them, and stored bytes are buffered
 * only as fast as they actually arrive. Decoding a block is {@link LzopBlock}'s.
 */
final class LzopFraming implements ParallelBlockReader.Framing<LzopBlock> {

    /** Largest block accepted (lzop's format maximum). */
    static final int MAX_BLOCK_SIZE = Lzop.MAX_BLOCK_SIZE;

    private final InputStream in;
    private final Adler32 adler = new Adler32();
    private final CRC32 crc = new CRC32();
    private final byte[] small = new byte[256]; // header fields, names (< 256 bytes), skipped bytes

    private boolean headerDone;
    private int flags;
    private int filter;
    private long blockNumber; // 1-based number of the block being framed, for messages

    LzopFraming(InputStream in) {
        this.in = Objects.requireNonNull(in, "in");
    }

    @Override
    public LzopBlock newBlock() {
        return new LzopBlock();
    }

    @Override
    public CorruptObjectException corrupt(RuntimeException e) {
        // the decoder must not let anything but a one-line corruption report escape
        return new CorruptObjectException("corrupt lzop stream: " + e, e);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    // ---------------------------------------------------------------- header

    private void readHeader() throws IOException {
        byte[] magic = new byte[Lzop.MAGIC.length];
        int got = readUpTo(magic, 0, magic.length);
        StreamFormat format = StreamFormat.detect(magic, got);
        if (format != StreamFormat.LZOP) {
            throw StreamFormat.mismatch(StreamFormat.LZOP, format, magic, got);
        }
        if (got < magic.length) {
            throw truncated("in the header");
        }
        adler.reset();
        crc.reset();

        int version = headerU16();
        if (version < Lzop.VERSION_OLDEST) {
            throw new CorruptObjectException(String.format("corrupt lzop header: version 0x%04x", version));
        }
        headerU16(); // library version: informational
        boolean newShape = version >= Lzop.VERSION_WITH_LEVEL; // decided by the writer's version, as lzop does
        if (newShape) {
            int needed = headerU16();
            if (needed < Lzop.VERSION_OLDEST) {
                throw new CorruptObjectException(String.format("corrupt lzop header: version needed 0x%04x", needed));
            }
        }
        int method = headerU8();
        if (newShape) {
            headerU8(); // level: irrelevant for decompression
        }
        flags = headerU32();
        filter = (flags & Lzop.F_H_FILTER) != 0 ? headerU32() : 0;
        headerU32(); // mode
        headerU32(); // mtime (low)
        if (newShape) {
            headerU32(); // mtime (high)
        }
        int nameLength = headerU8();
        if (nameLength > 0) {
            headerBytes(nameLength); // file name (lzop -c from stdin stores none)
        }
        int expected = (flags & Lzop.F_H_CRC32) != 0 ? (int) crc.getValue() : (int) adler.getValue();
        int stored = readU32("in the header");
        if (stored != expected) {
            throw new CorruptObjectException("corrupt lzop stream: header checksum mismatch");
        }
        if ((flags & Lzop.F_RESERVED) != 0) {
            throw new CorruptObjectException(String.format("unsupported lzop header flags 0x%08x", flags));
        }
        if ((flags & Lzop.F_MULTIPART) != 0) {
            // lzop exits with failure ("multipart archive") on these, so WAL-E never accepted one
            throw new CorruptObjectException("unsupported lzop stream: multi-part archive");
        }
        if (method < Lzop.METHOD_LZO1X_1 || method > Lzop.METHOD_LZO1X_999) {
            throw new CorruptObjectException("unsupported lzop compression method " + method);
        }
        if (filter < 0 || filter > Lzop.MAX_FILTER) {
            throw new CorruptObjectException("unsupported lzop filter " + Integer.toUnsignedString(filter));
        }
        if ((flags & Lzop.F_H_EXTRA_FIELD) != 0) {
            skipExtraField();
        }
    }

    /** The extra field has its own length and checksum; lzop skips its content, so do we (without buffering it). */
    private void skipExtraField() throws IOException {
        adler.reset();
        crc.reset();
        long remaining = Integer.toUnsignedLong(headerU32());
        while (remaining > 0) {
            int n = (int) Math.min(remaining, small.length);
            readFully(small, n, "in the header extra field");
            adler.update(small, 0, n);
            crc.update(small, 0, n);
            remaining -= n;
        }
        int expected = (flags & Lzop.F_H_CRC32) != 0 ? (int) crc.getValue() : (int) adler.getValue();
        if (readU32("in the header extra field") != expected) {
            throw new CorruptObjectException("corrupt lzop stream: header extra field checksum mismatch");
        }
    }

    private void headerBytes(int n) throws IOException {
        readFully(small, n, "in the header");
        adler.update(small, 0, n);
        crc.update(small, 0, n);
    }

    private int headerU8() throws IOException {
        headerBytes(1);
        return small[0] & 0xFF;
    }

    private int headerU16() throws IOException {
        headerBytes(2);
        return Lzop.getU16(small, 0);
    }

    private int headerU32() throws IOException {
        headerBytes(4);
        return Lzop.getU32(small, 0);
    }

    // ---------------------------------------------------------------- blocks

    /** Reads the next block's lengths and checksums into {@code b}; -1 after the end marker. */
    @Override
    public long nextBlock(LzopBlock b) throws IOException {
        if (!headerDone) {
            readHeader();
            headerDone = true;
        }
        blockNumber++;
        String where = "in block " + blockNumber;
        long dstLength = Integer.toUnsignedLong(readU32(blockNumber == 1 ? "before the first block" : "after block "
                + (blockNumber - 1) + " (no end marker)"));
        if (dstLength == 0) {
            expectEnd();
            return -1;
        }
        if (dstLength == 0xFFFF_FFFFL) {
            throw new CorruptObjectException("unsupported lzop stream: split (multi-part) file");
        }
        if (dstLength > MAX_BLOCK_SIZE) {
            throw new CorruptObjectException("corrupt lzop stream: block " + blockNumber + " claims " + dstLength
                    + " bytes, more than the maximum " + MAX_BLOCK_SIZE);
        }
        long srcLength = Integer.toUnsignedLong(readU32(where));
        if (srcLength == 0 || srcLength > dstLength) {
            throw new CorruptObjectException("corrupt lzop stream: block " + blockNumber + " has compressed length "
                    + srcLength + " for " + dstLength + " bytes");
        }
        b.number = blockNumber;
        b.flags = flags;
        b.filter = filter;
        b.dst = (int) dstLength;
        b.src = (int) srcLength;
        boolean isCompressed = b.isCompressed();
        b.dAdler = (flags & Lzop.F_ADLER32_D) != 0 ? readU32(where) : 0;
        b.dCrc = (flags & Lzop.F_CRC32_D) != 0 ? readU32(where) : 0;
        b.cAdler = isCompressed && (flags & Lzop.F_ADLER32_C) != 0 ? readU32(where) : 0;
        b.cCrc = isCompressed && (flags & Lzop.F_CRC32_C) != 0 ? readU32(where) : 0;
        return isCompressed ? srcLength + dstLength : dstLength;
    }

    /** Reads the block's stored bytes, growing its buffer only as data actually arrive. */
    @Override
    public void readBody(LzopBlock b) throws IOException {
        int n = b.src;
        int have = 0;
        while (have < n) {
            if (have == b.compressed.length) {
                byte[] bigger = new byte[(int) Math.min(n, 2L * b.compressed.length)];
                System.arraycopy(b.compressed, 0, bigger, 0, have);
                b.compressed = bigger;
            }
            int r = in.read(b.compressed, have, Math.min(n, b.compressed.length) - have);
            if (r < 0) {
                throw truncated("in block " + b.number);
            }
            have += r;
        }
    }

    /**
     * After the end marker the input must end. Like lzop, which exits with failure on anything else after the end
     * marker (garbage, a second stream) but silently accepts NUL padding, we skip zero bytes and reject the rest.
     * Zeros cannot hide data: a real block header always has a non-zero compressed length.
     */
    private void expectEnd() throws IOException {
        int r;
        while ((r = in.read(small, 0, small.length)) >= 0) {
            for (int i = 0; i < r; i++) {
                if (small[i] != 0) {
                    throw new CorruptObjectException("corrupt lzop stream: unexpected data after the end marker");
                }
            }
        }
    }

    // ---------------------------------------------------------------- raw input

    private int readU32(String where) throws IOException {
        readFully(small, 4, where);
        return Lzop.getU32(small, 0);
    }

    private void readFully(byte[] b, int n, String where) throws IOException {
        if (readUpTo(b, 0, n) < n) {
            throw truncated(where);
        }
    }

    private int readUpTo(byte[] b, int off, int n) throws IOException {
        int have = 0;
        while (have < n) {
            int r = in.read(b, off + have, n - have);
            if (r < 0) {
                break;
            }
            have += r;
        }
        return have;
    }

    private static CorruptObjectException truncated(String where) {
        return new CorruptObjectException("truncated lzop stream: input ends " + where,
                new EOFException());
    }
}
