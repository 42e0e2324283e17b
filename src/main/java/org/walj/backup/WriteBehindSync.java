package org.walj.backup;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.walj.WorkerThreads;

/**
 * fsyncs restored files in the background while extraction goes on. The kernel does not start writing back a
 * restore smaller than its background dirty threshold (10 % of RAM) until someone syncs, so a single pass at the end
 * would leave the disk idle during extraction and then wait for all of it. This starts the writeback as each large
 * file is complete; the end pass ({@link Durability#syncTree}) still syncs everything, and then finds little left.
 * A failed fsync here fails the restore ({@link #awaitAll}): a later fsync of the same file may not report it again.
 */
final class WriteBehindSync {
    private static final int THREADS = 2;
    private final ThreadPoolExecutor executor = new ThreadPoolExecutor(THREADS, THREADS, 1, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), WorkerThreads.named("walj-write-behind"));
    private final AtomicReference<IOException> failure = new AtomicReference<>();

    WriteBehindSync() {
        executor.allowCoreThreadTimeOut(true); // no thread outlives a quiet second, also when a fetch fails
    }

    void submit(Path file) {
        executor.execute(() -> {
            try {
                Durability.syncFile(file);
            } catch (IOException e) {
                failure.compareAndSet(null, new IOException("fsync of " + file + " failed: " + e.getMessage(), e));
            }
        });
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
        IOException f = failure.get();
        if (f != null) {
            throw f;
        }
    }
}
