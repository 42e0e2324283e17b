package org.walj.backup;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.walj.WorkerThreads;

/**
 * fsyncs on a few threads. The first failure is kept and thrown by {@link #submit} or {@link #awaitAll}: a later
 * fsync of the same file may not report it again, so no fsync is skipped silently. No thread outlives a quiet second,
 * also when the fetch fails before {@link #awaitAll}; {@link #close} stops them at once.
 */
final class ParallelSync implements AutoCloseable {
    private final ThreadPoolExecutor executor;
    private final Semaphore room;
    private final AtomicReference<IOException> failure = new AtomicReference<>();

    /** At most {@code 4 × threads} paths waiting at once (the submitter blocks): a walk of millions holds few. */
    static ParallelSync bounded(int threads, String name) {
        return new ParallelSync(threads, 4 * threads, name);
    }

    /** Submitting never waits (the fetch's write-behind: one path per large file). */
    static ParallelSync unbounded(int threads, String name) {
        return new ParallelSync(threads, Integer.MAX_VALUE, name);
    }

    private ParallelSync(int threads, int waiting, String name) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
        this.executor = new ThreadPoolExecutor(threads, threads, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                WorkerThreads.numbered(name));
        executor.allowCoreThreadTimeOut(true);
        this.room = new Semaphore(waiting);
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
