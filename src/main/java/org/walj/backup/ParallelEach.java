package org.walj.backup;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.walj.TaskFailure;
import org.walj.WorkerThreads;

/**
 * Runs one task per item on at most {@code threads} threads (the delta scan's hashing of existing files); the first
 * failure is thrown once every task has stopped, so nothing is still removing files when the caller goes on.
 */
final class ParallelEach {
    private ParallelEach() {
    }

    @FunctionalInterface
    interface Task<T> {
        void run(T item) throws IOException;
    }

    static <T> void run(List<T> items, int threads, String threadName, Task<T> task) throws IOException {
        if (items.isEmpty()) {
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, items.size())),
                WorkerThreads.named(threadName));
        try {
            List<Future<?>> running = new ArrayList<>();
            for (T item : items) {
                running.add(pool.submit(() -> {
                    task.run(item);
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while comparing files with the backup manifest");
        } catch (ExecutionException e) {
            throw TaskFailure.cause(e);
        } finally {
            pool.shutdownNow();
            try {
                pool.awaitTermination(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
