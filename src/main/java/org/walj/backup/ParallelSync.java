package org.walj.backup;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.walj.WorkerThreads;

/**
 * fsyncs on a few threads, at most {@code 4 × threads} paths waiting at once (the submitter blocks), so a walk of
 * millions of files holds a bounded queue. The first failure is kept and thrown by {@link #submit} or
 * {@link #awaitAll}; no fsync is skipped silently. {@link #close} stops the threads, also after a failure.
 */
final class ParallelSync implements AutoCloseable {
    private final ExecutorService executor;
    private final Semaphore room;
    private final AtomicReference<IOException> failure = new AtomicReference<>();

    ParallelSync(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
        this.executor = Executors.newFixedThreadPool(threads, WorkerThreads.numbered("walj-fsync-"));
        this.room = new Semaphore(4 * threads);
    }

    /** Queues an fsync of {@code path} (file or directory, never following a link); throws an earlier failure. */
    void submit(Path path) throws IOException {
        rethrow();
        try {
            room.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while syncing restored files");
        }
        try {
            executor.execute(() -> {
                try {
                    Durability.syncFile(path);
                } catch (IOException e) {
                    failure.compareAndSet(null, new IOException("fsync of " + path + " failed: " + e.getMessage(), e));
                } finally {
                    room.release();
                }
            });
        } catch (RuntimeException e) {
            room.release();
            throw e;
        }
    }

    /** Waits until every submitted fsync ran; throws the first failure. */
    void awaitAll() throws IOException {
        executor.shutdown();
        try {
            while (!executor.awaitTermination(1, TimeUnit.MINUTES)) {
                // a slow disk: keep waiting, the restore is not durable before this
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while syncing restored files");
        }
        rethrow();
    }

    private void rethrow() throws IOException {
        IOException f = failure.get();
        if (f != null) {
            throw f;
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
