package org.walj.pipeline.lz4;

import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FrameInputStream;
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
import org.walj.pipeline.ForwardingInputStream;
import org.walj.pipeline.StreamFormat;

/**
 * LZ4 frames (the {@code lz4} CLI's format) through lz4-java, pure-Java implementations only (no JNI load, no
 * warnings on new JDKs). Written frames carry block checksums and a content checksum; the reader accepts what the
 * {@code lz4} CLI writes by default (independent blocks, any block size, with or without checksums, concatenated
 * frames) and reports every decoding problem as a {@link CorruptObjectException}.
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
        LZ4FrameOutputStream frame = new LZ4FrameOutputStream(out, LZ4FrameOutputStream.BLOCKSIZE.SIZE_4MB, -1L,
                LZ4Factory.fastestJavaInstance().fastCompressor(), XXHashFactory.fastestJavaInstance().hash32(),
                LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE, LZ4FrameOutputStream.FLG.Bits.BLOCK_CHECKSUM,
                LZ4FrameOutputStream.FLG.Bits.CONTENT_CHECKSUM);
        return new Writer(frame, out);
    }

    /**
     * The same frame, byte for byte, with its 4 MiB blocks compressed several at once on {@code parallelism}'s
     * executor ({@link Lz4ParallelFrame}); for a caller with one stream to encode.
     */
    public static OutputStream compress(OutputStream out, BlockParallelism parallelism) throws IOException {
        Objects.requireNonNull(out, "out");
        Lz4ParallelFrame frame = new Lz4ParallelFrame(out, LZ4Factory.fastestJavaInstance().fastCompressor(),
                XXHashFactory.fastestJavaInstance().hash32(),
                XXHashFactory.fastestJavaInstance().newStreamingHash32(0), parallelism);
        return new Writer(frame, out);
    }

    /** Decodes LZ4 frames from {@code in} (which must start with one; no format sniffing here). */
    public static InputStream decompress(InputStream in) {
        return new Reader(new Source(Objects.requireNonNull(in, "in")));
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

    /**
     * Wraps lz4-java's reader: its format errors (plain IOExceptions, LZ4Exception, IllegalArgumentException...)
     * become CorruptObjectExceptions, while I/O errors of the source stream pass through unchanged.
     */
    private static final class Reader extends ForwardingInputStream {
        private final Source source;
        private LZ4FrameInputStream frames;
        private IOException failure;
        private boolean closed;

        Reader(Source source) {
            super(source);
            this.source = source;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            ensureOpen();
            if (len == 0) {
                return 0;
            }
            try {
                if (frames == null) {
                    frames = new LZ4FrameInputStream(source, LZ4Factory.fastestJavaInstance().safeDecompressor(),
                            XXHashFactory.fastestJavaInstance().hash32(), false);
                }
                return frames.read(b, off, len);
            } catch (IOException | RuntimeException e) {
                throw fail(e);
            }
        }

        @Override
        public int available() throws IOException {
            ensureOpen();
            return frames == null ? 0 : frames.available();
        }

        private void ensureOpen() throws IOException {
            if (closed) {
                throw new IOException("LZ4 stream is closed");
            }
            if (failure != null) {
                throw failure;
            }
        }

        private IOException fail(Exception e) {
            if (e == source.lastFailure) {
                failure = (IOException) e; // the source broke, not the data
            } else {
                String msg = String.valueOf(e.getMessage());
                if (msg.contains("ended prematurely")) {
                    failure = new CorruptObjectException("truncated LZ4 frame: input ends early", e);
                } else if (source.firstFrameHasLinkedBlocks()) {
                    failure = new CorruptObjectException("unsupported LZ4 frame: linked blocks (lz4 -BD)", e);
                } else {
                    failure = new CorruptObjectException("corrupt LZ4 frame: " + oneLine(e), e);
                }
            }
            return failure;
        }

        private static String oneLine(Throwable e) {
            Throwable t = e;
            // lz4-java wraps decoder failures in IOException(cause) whose message is the cause's toString()
            while (t.getCause() != null && t.getMessage() != null && t.getMessage().equals(t.getCause().toString())) {
                t = t.getCause();
            }
            String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            return msg.replace('\n', ' ');
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                source.close();
            }
        }
    }

    /**
     * Remembers the exception the underlying stream threw, to tell I/O failures from format errors, and the first
     * bytes (magic and FLG byte), to explain lz4-java's rejection of linked blocks.
     */
    private static final class Source extends ForwardingInputStream {
        IOException lastFailure;
        private final byte[] head = new byte[5];
        private int headLength;

        Source(InputStream in) {
            super(in);
        }

        boolean firstFrameHasLinkedBlocks() {
            return headLength == head.length && head[0] == 0x04 && head[1] == 0x22 && head[2] == 0x4D
                    && head[3] == 0x18 && (head[4] & 0x20) == 0;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n;
            try {
                n = in.read(b, off, len);
            } catch (IOException e) {
                lastFailure = e;
                throw e;
            }
            int k = Math.min(n, head.length - headLength);
            if (k > 0) {
                System.arraycopy(b, off, head, headLength, k);
                headLength += k;
            }
            return n;
        }
    }
}
