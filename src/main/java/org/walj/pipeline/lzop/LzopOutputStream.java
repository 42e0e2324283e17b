package org.walj.pipeline.lzop;

import org.walj.pipeline.BlockMemo;
import org.walj.pipeline.BlockParallelism;
import org.walj.pipeline.ParallelBlockWriter;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.Objects;
import java.util.zip.Adler32;
import java.util.zip.CRC32;

/**
 * Writes the lzop container as {@code lzop --crc32 -c} does (lzop 1.04): same header fields, 256 KiB blocks
 * compressed with LZO1X-1 (stored raw when that does not make them smaller), a CRC-32 of each uncompressed block,
 * and the 4-byte end marker on {@link #close()}. WAL-E's own {@code lzop -c} writes Adler-32s instead; every reader
 * of WAL-E archives accepts either (lzop 1.04, WAL-G's reader, ours: docs/pipeline.md), and CRC-32 costs a tenth of
 * Adler-32 in the daemon's C1-compiled code, where the JDK has an intrinsic only for CRC-32.
 *
 * <p>Only the mode and mtime header fields depend on the input: WAL-E's lzop reads a WAL segment as its stdin
 * (so the header carries the segment's st_mode and mtime) and a tar partition from a pipe (mode 0, current time).
 *
 * <p>{@link #flush()} does not end a block (that would make the output differ from lzop's); it only flushes the
 * underlying stream. Not thread-safe.
 *
 * <p>With a {@link BlockParallelism}, blocks are compressed on its executor, several at once, and written in order
 * ({@link ParallelBlockWriter}); blocks are independent in lzop, so the stream is byte for byte the same. Only for a
 * caller with one stream to encode: one that already encodes several streams at once would only add threads.
 */
public final class LzopOutputStream extends OutputStream {

    /**
     * {@code F_OS_UNIX | F_STDOUT | F_STDIN | F_CRC32_D | F_H_CRC32} ({@code 0x0300110C}): what {@code lzop --crc32 -c}
     * writes when reading stdin (header checksum CRC-32 too, and version needed 0x1001).
     */
    public static final int DEFAULT_FLAGS = Lzop.F_OS_UNIX | Lzop.F_STDOUT | Lzop.F_STDIN | Lzop.F_CRC32_D
            | Lzop.F_H_CRC32;

    /** {@code F_OS_UNIX | F_STDOUT | F_STDIN | F_ADLER32_D} ({@code 0x0300000D}): what plain {@code lzop -c} writes. */
    public static final int ADLER32_FLAGS = Lzop.F_OS_UNIX | Lzop.F_STDOUT | Lzop.F_STDIN | Lzop.F_ADLER32_D;

    /** Flag bits a caller may choose: OS byte, stdin/stdout markers, the four checksums, CRC-32 header checksum. */
    private static final int WRITABLE_FLAGS = Lzop.F_OS_MASK | Lzop.F_STDIN | Lzop.F_STDOUT
            | Lzop.F_ADLER32_D | Lzop.F_CRC32_D | Lzop.F_ADLER32_C | Lzop.F_CRC32_C | Lzop.F_H_CRC32;

    private static final int HEADER_LENGTH = 25; // version .. name_len, with an empty name

    private final OutputStream out;
    private final int flags;
    /** Sequential mode: the block encoder and the pending input (less than one block); null in parallel mode. */
    private final LzopBlockEncoder encoder;
    private final byte[] block;
    private int blockLength;
    /** Parallel mode: cuts, encodes and writes the blocks; null in sequential mode. */
    private final ParallelBlockWriter parallel;
    /** Sequential mode only: blocks encoded ahead, used where unchanged; null for none. */
    private final BlockMemo memo;
    /** Blocks written so far (sequential mode): the memo's index of the next one. */
    private int blockIndex;
    private boolean closed;
    private boolean failed;

    /** As {@code lzop -c} with the given stdin mode and mtime (seconds since the epoch), default flags. */
    public LzopOutputStream(OutputStream out, int mode, long mtimeSeconds) throws IOException {
        this(out, mode, mtimeSeconds, DEFAULT_FLAGS);
    }

    /**
     * As {@code lzop -c}, with explicit header flags (only the OS byte, {@code F_STDIN}, {@code F_STDOUT}, the four
     * checksum flags and {@code F_H_CRC32} may be set; a compressed-data checksum requires the matching data
     * checksum). The header is written immediately.
     */
    public LzopOutputStream(OutputStream out, int mode, long mtimeSeconds, int flags) throws IOException {
        this(out, mode, mtimeSeconds, flags, (BlockParallelism) null);
    }

    /**
     * As {@link #LzopOutputStream(OutputStream, int, long, int)}, compressing up to {@code parallelism.blocks()}
     * blocks at once on its executor. The bytes written are exactly the sequential writer's; the blocks reach
     * {@code out} in order, from the calling thread. A block's failure is thrown by a later write or by close(), and
     * close() returns only once no task of this stream runs any more.
     */
    public LzopOutputStream(OutputStream out, int mode, long mtimeSeconds, int flags, BlockParallelism parallelism)
            throws IOException {
        this(out, mode, mtimeSeconds, flags, parallelism, null);
    }

    /**
     * As {@link #LzopOutputStream(OutputStream, int, long, int)}, taking each block's encoding from {@code memo} where
     * it holds one made from exactly the same bytes (and encoding the block here otherwise), so the bytes written are
     * the same as without it. The memo must have been filled by {@link LzopCodec#blockPrecoder()} with these flags.
     */
    public LzopOutputStream(OutputStream out, int mode, long mtimeSeconds, int flags, BlockMemo memo)
            throws IOException {
        this(out, mode, mtimeSeconds, flags, null, checked(memo, flags));
    }

    /** Before the header is written: a memo made for other blocks would only ever miss, or worse. */
    private static BlockMemo checked(BlockMemo memo, int flags) {
        Objects.requireNonNull(memo, "memo");
        if (memo.blockSize() != Lzop.BLOCK_SIZE || flags != DEFAULT_FLAGS) {
            throw new IllegalArgumentException("a memo of " + memo.blockSize() + "-byte blocks for lzop flags "
                    + String.format("0x%08x", flags));
        }
        return memo;
    }

    private LzopOutputStream(OutputStream out, int mode, long mtimeSeconds, int flags, BlockParallelism parallelism,
                             BlockMemo memo) throws IOException {
        this.memo = memo;
        this.out = Objects.requireNonNull(out, "out");
        if ((flags & ~WRITABLE_FLAGS) != 0) {
            throw new IllegalArgumentException(String.format("unsupported lzop flags 0x%08x", flags & ~WRITABLE_FLAGS));
        }
        if ((flags & Lzop.F_ADLER32_C) != 0 && (flags & Lzop.F_ADLER32_D) == 0
                || (flags & Lzop.F_CRC32_C) != 0 && (flags & Lzop.F_CRC32_D) == 0) {
            // lzop reuses the data checksum for stored blocks and aborts on a compressed-only checksum
            throw new IllegalArgumentException("an lzop compressed-data checksum needs the matching data checksum");
        }
        this.flags = flags;
        if (parallelism == null) {
            this.encoder = new LzopBlockEncoder(flags);
            this.block = new byte[Lzop.BLOCK_SIZE];
            this.parallel = null;
        } else {
            this.encoder = null;
            this.block = null;
            this.parallel = new ParallelBlockWriter(out, parallelism, Lzop.BLOCK_SIZE,
                    () -> new LzopBlockEncoder(flags));
        }
        writeHeader(mode, mtimeSeconds);
    }

    /** The form WAL-E uses for data arriving through a pipe (tar partitions): mode 0, mtime now. */
    public static LzopOutputStream forPipe(OutputStream out) throws IOException {
        return new LzopOutputStream(out, 0, Instant.now().getEpochSecond());
    }

    private void writeHeader(int mode, long mtime) throws IOException {
        byte[] h = new byte[Lzop.MAGIC.length + HEADER_LENGTH + 4];
        System.arraycopy(Lzop.MAGIC, 0, h, 0, Lzop.MAGIC.length);
        int p = Lzop.MAGIC.length;
        Lzop.putU16(h, p, Lzop.VERSION);
        Lzop.putU16(h, p + 2, Lzop.LIB_VERSION);
        Lzop.putU16(h, p + 4, (flags & Lzop.F_H_CRC32) != 0 ? Lzop.VERSION_NEEDED_CRC32 : Lzop.VERSION_NEEDED);
        h[p + 6] = (byte) Lzop.METHOD_LZO1X_1;
        h[p + 7] = (byte) Lzop.DEFAULT_LEVEL;
        Lzop.putU32(h, p + 8, flags);
        Lzop.putU32(h, p + 12, mode);
        Lzop.putU32(h, p + 16, (int) mtime);
        Lzop.putU32(h, p + 20, (int) (mtime >>> 32));
        h[p + 24] = 0; // no file name: lzop -c reading stdin stores none
        int checksum;
        if ((flags & Lzop.F_H_CRC32) != 0) {
            CRC32 crc = new CRC32();
            crc.update(h, p, HEADER_LENGTH);
            checksum = (int) crc.getValue();
        } else {
            Adler32 adler = new Adler32();
            adler.update(h, p, HEADER_LENGTH);
            checksum = (int) adler.getValue();
        }
        Lzop.putU32(h, p + HEADER_LENGTH, checksum);
        emit(h, 0, h.length);
    }

    @Override
    public void write(int b) throws IOException {
        ensureOpen();
        if (parallel != null) {
            try {
                parallel.write(b);
            } catch (IOException | RuntimeException e) {
                failed = true;
                throw e;
            }
            return;
        }
        block[blockLength++] = (byte) b;
        if (blockLength == block.length) {
            writeBlock(block, 0, blockLength);
            blockLength = 0;
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        ensureOpen();
        if (parallel != null) {
            writeParallel(b, off, len);
            return;
        }
        while (len > 0) {
            if (blockLength == 0 && len >= Lzop.BLOCK_SIZE) {
                // whole block available in the caller's array: compress it from there, no copy
                writeBlock(b, off, Lzop.BLOCK_SIZE);
                off += Lzop.BLOCK_SIZE;
                len -= Lzop.BLOCK_SIZE;
                continue;
            }
            int n = Math.min(len, block.length - blockLength);
            System.arraycopy(b, off, block, blockLength, n);
            blockLength += n;
            off += n;
            len -= n;
            if (blockLength == block.length) {
                writeBlock(block, 0, blockLength);
                blockLength = 0;
            }
        }
    }

    /** Encodes and writes one block; any failure makes the stream unusable (a block may be lost). */
    private void writeBlock(byte[] src, int off, int len) throws IOException {
        try {
            boolean known = memo != null && memo.writeIfSame(blockIndex, src, off, len, out);
            blockIndex++;
            if (known) {
                return;
            }
            encoder.encode(src, off, len);
            encoder.writeTo(out);
        } catch (IOException | RuntimeException e) {
            failed = true;
            throw e;
        }
    }

    private void writeParallel(byte[] b, int off, int len) throws IOException {
        try {
            parallel.write(b, off, len);
        } catch (IOException | RuntimeException e) {
            failed = true;
            throw e;
        }
    }

    private void emit(byte[] b, int off, int len) throws IOException {
        try {
            out.write(b, off, len);
        } catch (IOException | RuntimeException e) {
            failed = true;
            throw e;
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("lzop stream is closed");
        }
        if (failed) {
            throw new IOException("lzop stream is unusable: an earlier write failed");
        }
    }

    /**
     * Flushes the underlying stream; buffered input stays pending until the block is full or the stream closed. In
     * parallel mode the blocks already complete are written first.
     */
    @Override
    public void flush() throws IOException {
        ensureOpen();
        if (parallel != null) {
            try {
                parallel.writeSubmitted();
            } catch (IOException | RuntimeException e) {
                failed = true;
                throw e;
            }
        }
        out.flush();
    }

    /**
     * Writes the last (short) block and the end marker, then closes the underlying stream, which is closed even
     * when writing fails. If an earlier write failed, no end marker is written (the output must stay recognisably
     * incomplete) and this throws after closing.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        Throwable primary = null;
        try {
            if (failed) {
                throw new IOException("lzop stream is incomplete: an earlier write failed");
            }
            if (parallel != null) {
                try {
                    parallel.finish();
                } catch (IOException | RuntimeException e) {
                    failed = true;
                    throw e;
                }
            } else if (blockLength > 0) {
                writeBlock(block, 0, blockLength);
                blockLength = 0;
            }
            emit(new byte[4], 0, 4);
            out.flush();
        } catch (Throwable t) {
            primary = t;
            throw t;
        } finally {
            if (parallel != null) {
                parallel.abandon(); // no-op after finish(); otherwise waits for running blocks
            }
            if (primary == null) {
                out.close();
            } else {
                try {
                    out.close();
                } catch (Throwable closeFailure) {
                    primary.addSuppressed(closeFailure);
                }
            }
        }
    }
}
