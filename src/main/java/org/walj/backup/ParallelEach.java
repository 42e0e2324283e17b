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
import org.walj.logging.LogEvent;
import org.walj.logging.LoggerNames;
import org.walj.logging.WalELog;

/**
 * Runs one task per item on at most {@code threads} threads: a fetch's or verify's partitions ({@link PartitionPool}),
 * the delta scan's hashing of files in place. The first failure (in item order) is thrown, but only after the other
 * tasks were interrupted and have stopped, so nothing is still being written, read or removed when the caller reports
 * it or cleans up.
 */
final class ParallelEach {
    private static final WalELog LOG = WalELog.get(LoggerNames.WORKER_BASE);

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
            throw new IOException("interrupted while waiting for the " + threadName + " threads");
        } catch (ExecutionException e) {
            throw TaskFailure.cause(e);
        } finally {
            pool.shutdownNow();
            try {
                if (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
                    LOG.warning(LogEvent.msg(threadName + " threads did not stop within a minute"));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
