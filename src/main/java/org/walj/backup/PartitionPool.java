package org.walj.backup;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.walj.WorkerThreads;
import org.walj.TaskFailure;
import org.walj.logging.LogEvent;
import org.walj.logging.LoggerNames;
import org.walj.logging.WalELog;
import org.walj.storage.ObjectInfo;

/**
 * Runs one task per partition, at most {@code poolSize} at once, for backup-fetch and backup-verify. The first failure
 * (in partition order) is thrown, but only after the other tasks were interrupted and have stopped, so nothing is
 * still being written or read when the caller reports it or cleans up.
 */
final class PartitionPool {
    private static final WalELog LOG = WalELog.get(LoggerNames.WORKER_BASE);

    private PartitionPool() {
    }

    @FunctionalInterface
    interface Task {
        void run(ObjectInfo partition) throws IOException;
    }

    static void runAll(List<ObjectInfo> partitions, int poolSize, String threadName, Task task) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(poolSize, partitions.size())),
                WorkerThreads.named(threadName));
        try {
            List<Future<?>> running = new ArrayList<>();
            for (ObjectInfo p : partitions) {
                running.add(pool.submit(() -> {
                    task.run(p);
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading partitions");
        } catch (ExecutionException e) {
            throw TaskFailure.cause(e);
        } finally {
            pool.shutdownNow();
            try {
                if (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
                    LOG.warning(LogEvent.msg("partition threads did not stop within a minute"));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
