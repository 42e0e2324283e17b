package org.walj.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One object uploaded in parts (Azure's staged blocks, Swift's large-object segments): the content is read into
 * buffers of the shared {@link PartBuffers} and each full buffer is handed to the backend's {@link Sender} on the
 * pool while the next is read, so at most the pool's size of parts is in flight. The backend then commits what the
 * senders returned (a block list, a manifest). On any failure the parts still in flight are waited for, so that
 * their buffers are back and the backend knows what was written, and the first failure is thrown.
 */
public final class ParallelParts<R> {

    /** Sends one part (retrying on its own) and says what the commit needs of it. */
    @FunctionalInterface
    public interface Sender<R> {
        /** @param number 1 for the first part */
        R send(int number, byte[] buffer, int length) throws IOException;
    }

    private final PartBuffers buffers;
    private final ExecutorService pool;
    private final int partSize;
    private final int maxParts;
    private final String what;
    private final String sizeSetting;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final List<Future<R>> sent = new ArrayList<>();

    /**
     * @param maxParts    the service's limit of parts per object
     * @param what        the operation, for messages ("upload of swift://c/p/X")
     * @param sizeSetting the setting that makes parts larger, named when an object needs more than maxParts
     */
    public ParallelParts(PartBuffers buffers, ExecutorService pool, int partSize, int maxParts, String what,
            String sizeSetting) {
        this.buffers = Objects.requireNonNull(buffers, "buffers");
        this.pool = Objects.requireNonNull(pool, "pool");
        this.partSize = partSize;
        this.maxParts = maxParts;
        this.what = Objects.requireNonNull(what, "what");
        this.sizeSetting = Objects.requireNonNull(sizeSetting, "sizeSetting");
    }

    /** 16 hex digits that name one upload's parts apart from a concurrent upload's to the same object. */
    public static String uploadId() {
        byte[] b = new byte[8];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** Reads until {@code buffer} is full or the stream ends; returns the count read. */
    public static int readFully(InputStream in, byte[] buffer) throws IOException {
        int n = 0;
        while (n < buffer.length) {
            int r = in.read(buffer, n, buffer.length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return n;
    }

    /**
     * Sends {@code first} (a full part, which this call now owns) and the rest of {@code content}; returns the
     * senders' results in part order once every part is sent.
     */
    public List<R> sendAll(InputStream content, byte[] first, Sender<R> sender) throws IOException {
        try {
            byte[] buffer = first;
            int n = partSize;
            while (true) {
                submit(buffer, n, sender); // the buffer now belongs to the part's task
                if (n < partSize || anyFailed() || stopped.get()) {
                    break;
                }
                buffer = buffers.take(partSize);
                try {
                    n = readFully(content, buffer);
                } catch (IOException | RuntimeException | Error e) {
                    buffers.give(buffer);
                    throw e;
                }
                if (n == 0) {
                    buffers.give(buffer);
                    break;
                }
                if (sent.size() == maxParts) {
                    buffers.give(buffer);
                    throw new StorageUnavailableException("the " + what + " is larger than " + maxParts + " parts of "
                            + (partSize >> 20) + " MiB, the storage's limit for one object; raise " + sizeSetting);
                }
            }
            List<R> results = new ArrayList<>(sent.size());
            for (Future<R> f : sent) {
                results.add(await(f));
            }
            if (stopped.get()) {
                throw new StorageUnavailableException("the " + what + " was abandoned: wal-j is stopping");
            }
            return results;
        } catch (IOException | RuntimeException | Error e) {
            stopped.set(true);
            drain();
            throw e;
        }
    }

    /** Parts not yet sent are not sent; {@link #sendAll} fails once those in flight are done. */
    public void stop() {
        stopped.set(true);
    }

    private void submit(byte[] buffer, int n, Sender<R> sender) {
        int number = sent.size() + 1;
        sent.add(pool.submit(() -> {
            try {
                if (stopped.get()) {
                    throw new StorageUnavailableException("the " + what + " stopped before part " + number);
                }
                return sender.send(number, buffer, n);
            } finally {
                buffers.give(buffer);
            }
        }));
    }

    private boolean anyFailed() {
        return sent.stream().anyMatch(f -> f.isDone() && !succeeded(f));
    }

    private static boolean succeeded(Future<?> f) {
        try {
            f.get();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return false;
        }
    }

    private R await(Future<R> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted during the " + what);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IOException(cause);
        }
    }

    /** Waits for parts still being sent, so that their buffers are back before the upload fails. */
    private void drain() {
        for (Future<R> f : sent) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException ignored) {
                // the upload fails with its first failure already
            }
        }
    }
}
