package org.walj.pipeline.lz4;

import org.walj.pipeline.BlockParallelism;
import org.walj.pipeline.ParallelBlockWriter;

import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.xxhash.StreamingXXHash32;
import net.jpountz.xxhash.XXHash32;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * The LZ4 frame {@link Lz4Codec#compress} writes (256 KiB independent blocks, block and content checksums), with the
 * blocks compressed on several threads ({@link ParallelBlockWriter}); byte for byte lz4-java's output. The content
 * checksum runs over the input in order on the writing thread. Like lz4-java's writer, flush() ends the current
 * block, and close() ends the frame and closes the target; a failed close leaves the target to the caller
 * ({@link Lz4Codec}'s wrapper closes it).
 */
final class Lz4ParallelFrame extends OutputStream {

    /**
     * lzop's block size: a block in flight (input and output) costs 512 KiB rather than 8 MiB, so that a partition's
     * blocks can be compressed and decompressed on several cores within the memory the LZO ones take; LZ4 matches
     * reach back 64 KiB only, so larger blocks would shrink the output by a fraction of a per cent.
     */
    static final int BLOCK_SIZE = 256 * 1024;
    private static final int MAGIC = 0x184D2204;
    /** Version 01, independent blocks, block checksums, content checksum (no content size). */
    private static final int FLG = 0x40 | 0x20 | 0x10 | 0x04;
    /** Block maximum size 256 KiB (id 5). */
    private static final int BD = 5 << 4;

    private final OutputStream out;
    private final ParallelBlockWriter blocks;
    private final StreamingXXHash32 content;
    private boolean closed;

    Lz4ParallelFrame(OutputStream out, LZ4Compressor compressor, XXHash32 hash, StreamingXXHash32 content,
                     BlockParallelism parallelism) throws IOException {
        this.out = Objects.requireNonNull(out, "out");
        this.content = content;
        this.blocks = new ParallelBlockWriter(out, parallelism, BLOCK_SIZE,
                () -> new Lz4BlockEncoder(compressor, hash, BLOCK_SIZE));
        byte[] header = new byte[7];
        Lz4BlockEncoder.putIntLE(header, 0, MAGIC);
        header[4] = (byte) FLG;
        header[5] = (byte) BD;
        header[6] = (byte) ((hash.hash(header, 4, 2, 0) >> 8) & 0xFF);
        out.write(header);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        ensureOpen();
        blocks.write(b, off, len);
        content.update(b, off, len);
    }

    @Override
    public void flush() throws IOException {
        ensureOpen();
        blocks.writeAll();
        out.flush();
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("LZ4 stream is closed");
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            blocks.finish();
        } finally {
            blocks.abandon(); // no-op after finish(); otherwise waits for running blocks
        }
        byte[] end = new byte[8];
        Lz4BlockEncoder.putIntLE(end, 4, content.getValue());
        out.write(end);
        out.flush();
        out.close();
    }
}
