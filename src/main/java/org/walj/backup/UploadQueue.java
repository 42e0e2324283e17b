package org.walj.backup;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.walj.TaskFailure;
import org.walj.WorkerThreads;

/**
 * backup-push's partition uploads, fed while the cluster is walked: at most {@code poolSize} run and one more waits,
 * so {@link #submit} blocks the walk when the uploads are behind and the partitions held in memory stay bounded
 * whatever the number of files. A failed upload is thrown at the next {@link #submit} (the walk stops there) or by
 * {@link #awaitAll}. {@link #close} interrupts what still runs and waits for it: nothing may read the cluster after
 * the push returns (the stop call follows).
 */
final class UploadQueue implements AutoCloseable {
    /** One partition's upload. */
    @FunctionalInterface
    interface Upload {
        void run() throws IOException;
    }

    private final ExecutorService pool;
    private final Semaphore slots;
    private final ArrayDeque<Future<?>> pending = new ArrayDeque<>();

    UploadQueue(int poolSize) {
        this.pool = Executors.newFixedThreadPool(poolSize, WorkerThreads.numbered("walj-partition-"));
        this.slots = new Semaphore(poolSize + 1);
    }

    void submit(Upload upload) throws IOException {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while uploading partitions");
        }
        try {
            throwFirstFailure();
            pending.add(pool.submit(() -> {
                try {
                    upload.run();
                } finally {
                    slots.release();
                }
                return null;
            }));
        } catch (IOException | RuntimeException | Error e) {
            slots.release();
            throw e;
        }
    }

    /** Waits for every upload submitted; throws the first failure, in submission order. */
    void awaitAll() throws IOException {
        while (!pending.isEmpty()) {
            await(pending.peekFirst());
            pending.removeFirst();
        }
    }

    /** Forgets the finished uploads; throws if one failed. */
    private void throwFirstFailure() throws IOException {
        for (Iterator<Future<?>> i = pending.iterator(); i.hasNext(); ) {
            Future<?> f = i.next();
            if (f.isDone()) {
                await(f);
                i.remove();
            }
        }
    }

    private static void await(Future<?> f) throws IOException {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while uploading partitions");
        } catch (ExecutionException e) {
            throw TaskFailure.cause(e);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
        try {
            // the stop call must not run while a partition is still being read
            pool.awaitTermination(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
