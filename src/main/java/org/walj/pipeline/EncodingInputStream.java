package org.walj.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.walj.WorkerThreads;

/**
 * Turns an encoder that writes to an {@link OutputStream} (compression, later encryption) into an
 * {@link InputStream} of encoded bytes, as {@code Storage.put} wants. A producer task copies the source through
 * the encoder into a few reusable chunks; the reader consumes them.
 *
 * <ul>
 * <li>Memory is bounded: at most {@link #CHUNKS} chunks of {@link #CHUNK_SIZE} bytes exist.</li>
 * <li>Any failure of the producer (source, encoder) is thrown by the reader's next read as an IOException: the
 * stream is never silently short. End of stream is reported only after the encoder was closed successfully.</li>
 * <li>{@link #close()} before the end stops the producer and waits until it has finished (source and encoder
 * closed), so no thread outlives the stream.</li>
 * </ul>
 * The source is owned by this stream: the producer closes it when done. Reads are for one consumer thread.
 */
public final class EncodingInputStream extends InputStream {

    public static final int CHUNK_SIZE = 1024 * 1024;
    public static final int CHUNKS = 4;

    private static final ThreadFactory ENCODER_THREADS = WorkerThreads.numbered("walj-encoder-");
    /**
     * Chunks of closed streams, for the next stream to take before it allocates: a backup or restore opens one stream
     * per partition, and four fresh MiB per partition were garbage that the young collection promoted while still in
     * use, filling the old generation until a full collection (peak RSS of a 15 GB backup-fetch; docs/performance.md,
     * "The JIT's share of backup-push and backup-fetch"). Bounded: what does not fit is left to the collector. A
     * stream reads a chunk only up to the length written into it in this stream.
     */
    private static final BlockingQueue<byte[]> SPARE = new ArrayBlockingQueue<>(2 * CHUNKS);
    /** Put into the free list by close() to wake a producer waiting for a chunk. */
    private static final byte[] CANCELLED = new byte[0];

    private record Chunk(byte[] data, int length, Throwable failure) {
        static final Chunk END = new Chunk(null, 0, null);
    }

    private final BlockingQueue<Chunk> ready = new LinkedBlockingQueue<>();
    private final BlockingQueue<byte[]> free = new LinkedBlockingQueue<>();
    private final AtomicInteger allocated = new AtomicInteger();
    private final CountDownLatch producerDone = new CountDownLatch(1);
    private volatile boolean cancelled;

    private Chunk current;
    private int position;
    private boolean eof;
    private boolean closed;
    private IOException failure;

    private EncodingInputStream() {
    }

    /** The bytes {@code encoder} produces from {@code source}, encoded on a new daemon thread. */
    public static InputStream encoded(InputStream source, IOFunction<OutputStream, OutputStream> encoder)
            throws IOException {
        return encoded(source, encoder, task -> ENCODER_THREADS.newThread(task).start());
    }

    /**
     * The bytes of {@code source}, read ahead on a new daemon thread into the same bounded chunks. For a decoder
     * (decrypt, decompress) to run on one core while the consumer (tar extraction, file writes) runs on another;
     * its failures reach the consumer as they would from {@code source} itself.
     */
    public static InputStream readAhead(InputStream source) throws IOException {
        return encoded(source, sink -> sink);
    }

    /** As {@link #encoded(InputStream, IOFunction)}, running the producer on {@code executor}. */
    public static InputStream encoded(InputStream source, IOFunction<OutputStream, OutputStream> encoder,
                                      Executor executor) throws IOException {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(encoder, "encoder");
        Objects.requireNonNull(executor, "executor");
        EncodingInputStream stream = new EncodingInputStream();
        try {
            executor.execute(() -> stream.produce(source, encoder));
        } catch (RejectedExecutionException e) {
            try {
                source.close();
            } catch (IOException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw new IOException("cannot start the encoder: " + e.getMessage(), e);
        }
        return stream;
    }

    // ---------------------------------------------------------------- producer side

    private void produce(InputStream source, IOFunction<OutputStream, OutputStream> encoder) {
        Sink sink = new Sink();
        Throwable failure = null;
        try (InputStream in = source) {
            OutputStream encoding = encoder.apply(sink);
            try (OutputStream enc = encoding) {
                byte[] buffer = new byte[64 * 1024];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (cancelled) {
                        throw new IOException("encoding cancelled: the reader closed the stream");
                    }
                    enc.write(buffer, 0, n);
                }
            }
            sink.finish();
        } catch (Throwable t) {
            failure = t;
        } finally {
            // published last, so the reader cannot see the end before everything above succeeded
            ready.add(failure == null ? Chunk.END : new Chunk(null, 0, failure));
            producerDone.countDown();
        }
    }

    /** Collects encoder output into chunks and hands them to the reader. */
    private final class Sink extends OutputStream {
        private byte[] buffer;
        private int length;

        @Override
        public void write(int b) throws IOException {
            if (buffer == null || length == buffer.length) {
                next();
            }
            buffer[length++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            while (len > 0) {
                if (buffer == null || length == buffer.length) {
                    next();
                }
                int n = Math.min(len, buffer.length - length);
                System.arraycopy(b, off, buffer, length, n);
                length += n;
                off += n;
                len -= n;
            }
        }

        /** Publishes the full buffer (if any) and takes a free one, waiting while all chunks are in use. */
        private void next() throws IOException {
            publish();
            byte[] b = free.poll();
            if (b == null) {
                if (allocated.getAndIncrement() < CHUNKS) {
                    b = SPARE.poll();
                    if (b == null) {
                        b = new byte[CHUNK_SIZE];
                    }
                } else {
                    allocated.decrementAndGet();
                    try {
                        b = free.take();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("encoder interrupted");
                    }
                }
            }
            if (b == CANCELLED || cancelled) {
                throw new IOException("encoding cancelled: the reader closed the stream");
            }
            buffer = b;
            length = 0;
        }

        private void publish() throws IOException {
            if (cancelled) {
                throw new IOException("encoding cancelled: the reader closed the stream");
            }
            if (buffer != null && length > 0) {
                ready.add(new Chunk(buffer, length, null));
                buffer = null;
                length = 0;
            }
        }

        /** The encoder is done: hand over the last partial chunk. (close() does too, for encoders that close.) */
        void finish() throws IOException {
            publish();
        }

        @Override
        public void close() throws IOException {
            publish();
        }
    }

    // ---------------------------------------------------------------- consumer side

    @Override
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return current.data[position++] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            ensureOpen();
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, current.length - position);
        System.arraycopy(current.data, position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public int available() throws IOException {
        ensureOpen();
        return current == null ? 0 : current.length - position;
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("stream is closed");
        }
    }

    private boolean fill() throws IOException {
        ensureOpen();
        while (current == null || position == current.length) {
            if (failure != null) {
                throw failure;
            }
            if (eof) {
                return false;
            }
            if (current != null) {
                free.add(current.data);
                current = null;
            }
            Chunk next;
            try {
                next = ready.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for encoded data");
            }
            if (next == Chunk.END) {
                eof = true;
            } else if (next.failure != null) {
                failure = asIOException(next.failure);
            } else {
                current = next;
                position = 0;
            }
        }
        return true;
    }

    private static void spare(byte[] chunk) {
        if (chunk != null && chunk.length == CHUNK_SIZE) {
            SPARE.offer(chunk);
        }
    }

    private static IOException asIOException(Throwable t) {
        if (t instanceof IOException io) {
            return io;
        }
        return new IOException("encoding failed: " + t, t);
    }

    /** Stops the producer if it is still running and waits for it to finish. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        cancelled = true;
        free.add(CANCELLED);
        byte[] last = current == null ? null : current.data;
        current = null;
        ready.clear();
        boolean interrupted = false;
        while (true) {
            try {
                producerDone.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        // the producer is done: no chunk of this stream is written or read any more
        ready.clear();
        spare(last);
        for (byte[] b; (b = free.poll()) != null; ) {
            spare(b);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
