package org.walj.pipeline.lzop;

import org.walj.pipeline.CorruptObjectException;
import org.walj.pipeline.StreamFormat;

import io.airlift.compress.MalformedInputException;
import io.airlift.compress.lzo.LzoDecompressor;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.zip.Adler32;
import java.util.zip.CRC32;

/**
 * Reads one lzop stream, any variant lzop 1.04 writes: methods 1 to 3 (all LZO1X), any version fields, old and new
 * header shapes, file names, header extra field, {@code --filter=1..16}, Adler-32 or CRC-32 header checksum, and
 * every per-block checksum (each one present is verified before the block's bytes are handed out).
 *
 * <p>Whatever is wrong with the input (bad magic, checksum mismatch, impossible lengths, truncation anywhere
 * including a missing end marker, non-zero bytes after the end marker) raises a {@link CorruptObjectException}; I/O errors of
 * the underlying stream propagate unchanged. Errors are sticky. Block lengths are checked before anything is
 * allocated from them, and compressed data is buffered only as fast as it actually arrives.
 *
 * <p>Data are returned block by block: one read returns at most the rest of the current block. Nothing is read
 * from the underlying stream before the first read. Not thread-safe.
 */
public final class LzopInputStream extends InputStream {

    /** Largest block accepted (lzop's format maximum). */
    public static final int MAX_BLOCK_SIZE = Lzop.MAX_BLOCK_SIZE;

    private static final int INITIAL_BUFFER = Lzop.BLOCK_SIZE;

    private final InputStream in;
    private final LzoDecompressor decompressor = new LzoDecompressor();
    private final Adler32 adler = new Adler32();
    private final CRC32 crc = new CRC32();
    private final byte[] small = new byte[256]; // header fields, names (< 256 bytes), skipped bytes

    private boolean headerDone;
    private int flags;
    private int filter;
    private long blockNumber; // 1-based number of the block being read, for messages

    private byte[] compressed = new byte[INITIAL_BUFFER];
    private byte[] decompressed = new byte[INITIAL_BUFFER];
    private byte[] current; // the buffer holding the block being returned
    private int position;
    private int limit;

    private boolean eof;
    private boolean closed;
    private IOException failure;

    public LzopInputStream(InputStream in) {
        this.in = Objects.requireNonNull(in, "in");
    }

    @Override
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return current[position++] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, limit - position);
        System.arraycopy(current, position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        if (n <= 0 || !fill()) {
            return 0;
        }
        int k = (int) Math.min(n, limit - position);
        position += k;
        return k;
    }

    @Override
    public int available() throws IOException {
        ensureOpen();
        return current == null ? 0 : limit - position;
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            current = null;
            in.close();
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("lzop stream is closed");
        }
    }

    /** Makes sure the current block has unread bytes; false at the (verified) end of the stream. */
    private boolean fill() throws IOException {
        ensureOpen();
        if (failure != null) {
            throw failure;
        }
        if (current != null && position < limit) {
            return true;
        }
        if (eof) {
            return false;
        }
        try {
            if (!headerDone) {
                readHeader();
                headerDone = true;
            }
            if (readBlock()) {
                return true; // blocks are never empty: a zero length is the end marker
            }
            eof = true;
            current = null;
            return false;
        } catch (IOException e) {
            failure = e;
            throw e;
        } catch (RuntimeException e) {
            // the decoder must not let anything but a one-line corruption report escape
            failure = new CorruptObjectException("corrupt lzop stream: " + e, e);
            throw failure;
        }
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

    /** Reads, checks and decodes the next block into {@link #current}; false after the end marker. */
    private boolean readBlock() throws IOException {
        blockNumber++;
        String where = "in block " + blockNumber;
        long dstLength = Integer.toUnsignedLong(readU32(blockNumber == 1 ? "before the first block" : "after block "
                + (blockNumber - 1) + " (no end marker)"));
        if (dstLength == 0) {
            expectEnd();
            return false;
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
        int dst = (int) dstLength;
        int src = (int) srcLength;
        boolean isCompressed = src < dst;

        int dAdler = (flags & Lzop.F_ADLER32_D) != 0 ? readU32(where) : 0;
        int dCrc = (flags & Lzop.F_CRC32_D) != 0 ? readU32(where) : 0;
        int cAdler = isCompressed && (flags & Lzop.F_ADLER32_C) != 0 ? readU32(where) : 0;
        int cCrc = isCompressed && (flags & Lzop.F_CRC32_C) != 0 ? readU32(where) : 0;

        readBlockData(src, where);

        if (isCompressed && (flags & Lzop.F_ADLER32_C) != 0 && adler32(compressed, src) != cAdler) {
            throw checksumMismatch("Adler-32 of the compressed data");
        }
        if (isCompressed && (flags & Lzop.F_CRC32_C) != 0 && crc32(compressed, src) != cCrc) {
            throw checksumMismatch("CRC-32 of the compressed data");
        }

        if (isCompressed) {
            if (decompressed.length < dst) {
                decompressed = new byte[Math.max(dst, Math.min(MAX_BLOCK_SIZE, decompressed.length * 2))];
            }
            int n;
            try {
                n = decompressor.decompress(compressed, 0, src, decompressed, 0, dst);
            } catch (MalformedInputException e) {
                throw new CorruptObjectException("corrupt lzop stream: block " + blockNumber
                        + " does not decompress (invalid LZO1X data)", e);
            }
            if (n != dst) {
                throw new CorruptObjectException("corrupt lzop stream: block " + blockNumber + " decompresses to "
                        + n + " bytes, header says " + dst);
            }
            current = decompressed;
        } else {
            current = compressed; // stored block: the data are the bytes themselves
        }
        if (filter != 0) {
            unfilter(current, dst, filter);
        }

        if ((flags & Lzop.F_ADLER32_D) != 0 && adler32(current, dst) != dAdler) {
            throw checksumMismatch("Adler-32 of the uncompressed data");
        }
        if ((flags & Lzop.F_CRC32_D) != 0 && crc32(current, dst) != dCrc) {
            throw checksumMismatch("CRC-32 of the uncompressed data");
        }
        position = 0;
        limit = dst;
        return true;
    }

    /** Reads {@code n} bytes of block data into {@link #compressed}, growing it only as data actually arrive. */
    private void readBlockData(int n, String where) throws IOException {
        int have = 0;
        while (have < n) {
            if (have == compressed.length) {
                byte[] bigger = new byte[(int) Math.min(n, 2L * compressed.length)];
                System.arraycopy(compressed, 0, bigger, 0, have);
                compressed = bigger;
            }
            int r = in.read(compressed, have, Math.min(n, compressed.length) - have);
            if (r < 0) {
                throw truncated(where);
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

    /**
     * Undoes lzop's {@code --filter=N}: the writer replaced each byte by its difference to the byte N positions
     * earlier in the same block (earlier than the block start counts as 0); blocks shorter than N+1 are unfiltered.
     */
    static void unfilter(byte[] b, int length, int n) {
        if (length <= n) {
            return;
        }
        for (int i = n; i < length; i++) {
            b[i] += b[i - n];
        }
    }

    private CorruptObjectException checksumMismatch(String what) {
        return new CorruptObjectException("corrupt lzop stream: checksum mismatch in block " + blockNumber
                + " (" + what + ")");
    }

    private int adler32(byte[] b, int n) {
        adler.reset();
        adler.update(b, 0, n);
        return (int) adler.getValue();
    }

    private int crc32(byte[] b, int n) {
        crc.reset();
        crc.update(b, 0, n);
        return (int) crc.getValue();
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
