package org.walj.backup;

import java.io.IOException;
import java.util.List;
import org.walj.storage.ObjectInfo;

/**
 * Runs one task per partition, at most {@code poolSize} at once, for backup-fetch and backup-verify. The first failure
 * (in partition order) is thrown, but only after the other tasks were interrupted and have stopped, so nothing is
 * still being written or read when the caller reports it or cleans up.
 */
final class PartitionPool {
    private PartitionPool() {
    }

    @FunctionalInterface
    interface Task {
        void run(ObjectInfo partition) throws IOException;
    }

    static void runAll(List<ObjectInfo> partitions, int poolSize, String threadName, Task task) throws IOException {
        ParallelEach.run(partitions, poolSize, threadName, task::run);
    }
}
