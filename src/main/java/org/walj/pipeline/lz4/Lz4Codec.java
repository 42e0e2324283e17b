package org.walj.pipeline.lz4;

import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FrameOutputStream;
import net.jpountz.xxhash.XXHashFactory;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import org.walj.pipeline.BlockParallelism;
import org.walj.pipeline.CompressionCodec;
import org.walj.pipeline.CorruptObjectException;
import org.walj.pipeline.EncoderOptions;
import org.walj.pipeline.ParallelBlockReader;
import org.walj.pipeline.StreamFormat;

/**
 * LZ4 frames (the {@code lz4} CLI's format) through lz4-java, pure-Java implementations only (no JNI load, no
 * warnings on new JDKs). Written frames carry block checksums and a content checksum; the reader ({@link Lz4Framing})
 * accepts what the {@code lz4} CLI writes (independent or linked blocks, any block size, with or without checksums
 * and content size, concatenated and skippable frames) and reports every decoding problem as a
 * {@link CorruptObjectException}, every failure of the input stream unchanged.
 */
public final class Lz4Codec extends CompressionCodec {

    public Lz4Codec() {
        super(".lz4", StreamFormat.LZ4_FRAME, Lz4ParallelFrame.BLOCK_SIZE);
    }

    /** The frame {@link #compress(OutputStream)} writes; the header's mode and mtime have no place in it. */
    @Override
    public OutputStream encoder(OutputStream out, EncoderOptions options) throws IOException {
        return options.parallelism().isPresent() ? compress(out, options.parallelism().get()) : compress(out);
    }

    @Override
    protected InputStream decodeFrom(InputStream in) {
        return decompress(in);
    }

    /** A frame writer over {@code out}; closing it ends the frame and closes {@code out}. */
    public static OutputStream compress(OutputStream out) throws IOException {
        Objects.requireNonNull(out, "out");
        LZ4FrameOutputStream frame = new LZ4FrameOutputStream(out, LZ4FrameOutputStream.BLOCKSIZE.SIZE_256KB, -1L,
                LZ4Factory.fastestJavaInstance().fastCompressor(), XXHashFactory.fastestJavaInstance().hash32(),
                LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE, LZ4FrameOutputStream.FLG.Bits.BLOCK_CHECKSUM,
                LZ4FrameOutputStream.FLG.Bits.CONTENT_CHECKSUM);
        return new Writer(frame, out);
    }

    /**
     * The same frame, byte for byte, with its 256 KiB blocks compressed several at once on {@code parallelism}'s
     * executor ({@link Lz4ParallelFrame}); for a caller with one stream to encode.
     */
    public static OutputStream compress(OutputStream out, BlockParallelism parallelism) throws IOException {
        Objects.requireNonNull(out, "out");
        Lz4ParallelFrame frame = new Lz4ParallelFrame(out, LZ4Factory.fastestJavaInstance().fastCompressor(),
                XXHashFactory.fastestJavaInstance().hash32(),
                XXHashFactory.fastestJavaInstance().newStreamingHash32(0), parallelism);
        return new Writer(frame, out);
    }

    @Override
    public boolean decodesInParallel() {
        return true;
    }

    /** Blocks of frames with independent blocks are checked and decompressed several at once, handed out in order. */
    @Override
    protected InputStream decodeFrom(InputStream in, BlockParallelism parallelism) {
        return decompress(in, parallelism);
    }

    /** Decodes LZ4 frames from {@code in} (which must start with one; no format sniffing here). */
    public static InputStream decompress(InputStream in) {
        return decompress(in, null);
    }

    /**
     * As {@link #decompress(InputStream)}, the blocks of frames whose blocks are independent checked and decompressed
     * on {@code parallelism} too (null: on the reading thread alone); linked blocks are decompressed in order on the
     * reading thread. The same bytes and the same failures, at the same point, either way.
     */
    public static InputStream decompress(InputStream in, BlockParallelism parallelism) {
        Lz4Framing framing = new Lz4Framing(Objects.requireNonNull(in, "in"),
                LZ4Factory.fastestJavaInstance().safeDecompressor(), XXHashFactory.fastestJavaInstance().hash32(),
                XXHashFactory.fastestJavaInstance().newStreamingHash32(0));
        return new ParallelBlockReader<>(framing, parallelism);
    }

    /**
     * Makes lz4-java's close() always close the target, turns its runtime exceptions into IOExceptions, and, after
     * a failed write, refuses to end the frame (a block may be missing: the output must stay incomplete).
     */
    private static final class Writer extends FilterOutputStream {
        private final OutputStream target;
        private boolean closed;
        private boolean failed;

        Writer(OutputStream frame, OutputStream target) {
            super(frame);
            this.target = target;
        }

        @Override
        public void write(int b) throws IOException {
            ensureOpen();
            try {
                out.write(b);
            } catch (IOException | RuntimeException e) {
                throw failure(e);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            ensureOpen();
            try {
                out.write(b, off, len);
            } catch (IOException | RuntimeException e) {
                throw failure(e);
            }
        }

        @Override
        public void flush() throws IOException {
            ensureOpen();
            try {
                out.flush(); // lz4-java ends the current block here (and so does Lz4ParallelFrame)
            } catch (IOException | RuntimeException e) {
                throw failure(e);
            }
        }

        private IOException failure(Exception e) {
            failed = true;
            return e instanceof IOException io ? io : new IOException("LZ4 compression failed: " + e.getMessage(), e);
        }

        private void ensureOpen() throws IOException {
            if (closed) {
                throw new IOException("LZ4 stream is closed");
            }
            if (failed) {
                throw new IOException("LZ4 stream is unusable: an earlier write failed");
            }
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            IOException failure;
            if (failed) {
                failure = new IOException("LZ4 stream is incomplete: an earlier write failed");
            } else {
                try {
                    out.close(); // ends the frame, then closes the target
                    return;
                } catch (IOException | RuntimeException e) {
                    failure = failure(e);
                }
            }
            // lz4-java (and Lz4ParallelFrame) do not close the target when writing the end mark fails
            try {
                target.close();
            } catch (IOException | RuntimeException closeFailure) {
                failure.addSuppressed(closeFailure);
            }
            throw failure;
        }
    }
}
