package org.walj.pipeline.lzop;

import java.io.IOException;
import java.io.InputStream;
import org.walj.pipeline.BlockParallelism;
import org.walj.pipeline.ParallelBlockReader;

/**
 * Reads one lzop stream, any variant lzop 1.04 writes ({@link LzopFraming}), verifying every per-block checksum
 * present before the block's bytes are handed out ({@link LzopBlock}). With a {@link BlockParallelism}, blocks are
 * decompressed and checked several at once on its executor ({@link ParallelBlockReader}); the bytes and the failures
 * are the same.
 *
 * <p>Whatever is wrong with the input (bad magic, checksum mismatch, impossible lengths, truncation anywhere
 * including a missing end marker, non-zero bytes after the end marker) raises a
 * {@link org.walj.pipeline.CorruptObjectException}; I/O errors of the underlying stream propagate unchanged. Errors
 * are sticky. Data are returned block by block: one read returns at most the rest of the current block. Nothing is
 * read from the underlying stream before the first read. Not thread-safe.
 */
public final class LzopInputStream extends InputStream {

    /** Largest block accepted (lzop's format maximum). */
    public static final int MAX_BLOCK_SIZE = Lzop.MAX_BLOCK_SIZE;

    private final ParallelBlockReader<LzopBlock> blocks;

    public LzopInputStream(InputStream in) {
        this(in, null);
    }

    /** Decodes blocks on {@code parallelism} too; null: on the reading thread alone. */
    public LzopInputStream(InputStream in, BlockParallelism parallelism) {
        this.blocks = new ParallelBlockReader<>(new LzopFraming(in), parallelism);
    }

    @Override
    public int read() throws IOException {
        return blocks.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        return blocks.read(b, off, len);
    }

    @Override
    public long skip(long n) throws IOException {
        return blocks.skip(n);
    }

    @Override
    public int available() throws IOException {
        return blocks.available();
    }

    @Override
    public void close() throws IOException {
        blocks.close();
    }
}
