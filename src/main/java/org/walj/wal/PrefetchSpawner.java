package org.walj.wal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.walj.postgres.SegmentName;
import org.walj.storage.RetryPolicy;

/**
 * Starts the downloads of wal-fetch's prefetch: a detached {@code wal-prefetch BASE SEGMENT…} process (the CLI knows
 * how to start itself), or, in the daemon, tasks of its own.
 */
@FunctionalInterface
public interface PrefetchSpawner {
    /**
     * Starts no download: for the wal-fetch that works in-process while a daemon is being started, which prefetches
     * from the next request on (a {@code wal-prefetch} JVM would cost as much CPU as the call itself). What is already
     * in the area is still promoted under the same rules.
     */
    PrefetchSpawner LEFT_TO_DAEMON = new PrefetchSpawner() {
        @Override
        public void spawn(Path base, List<SegmentName> segments) {
            // never called: refillAt asks for more missing segments than any window has
        }

        @Override
        public int refillAt(int window) {
            return Integer.MAX_VALUE;
        }
    };

    /** Downloads {@code segments} (already claimed in the area under {@code base}) into the prefetch area. */
    void spawn(Path base, List<SegmentName> segments) throws IOException;

    /**
     * How many segments of a window of {@code window} must be missing before {@link #spawn} is called. A process
     * start costs more than a download, so by default the window is refilled in batches, once half of it is missing.
     */
    default int refillAt(int window) {
        return (window + 1) / 2;
    }

    /**
     * Whether this spawner itself still runs (or has queued) the download of {@code segment} into the area under
     * {@code base}: wal-fetch then waits for it, up to {@link #ownDownloadDeadline}, instead of downloading the segment
     * a second time in-band beside it. By default false: another process's download is judged by its progress.
     */
    default boolean runs(Path base, SegmentName segment) {
        return false;
    }

    /**
     * How long one wal-fetch waits at most for a download {@link #runs} reports, however long it takes to start: a
     * task that is stuck (a hung download, or queued behind hung ones) must not hold PostgreSQL's restore_command
     * forever. After it the request downloads the segment itself, as when no task exists. By default the storage
     * layer's default retry deadline: by then a healthy download has stopped retrying.
     */
    default Duration ownDownloadDeadline() {
        return RetryPolicy.DEFAULT.deadline();
    }

    /**
     * Waits up to {@code millis} while the download of {@code segment} into the area under {@code base} runs: by
     * default simply sleeps (wal-fetch watches the area for another process's download); a spawner that runs the
     * download itself returns as soon as it ended.
     */
    default void awaitProgress(Path base, SegmentName segment, long millis) throws InterruptedException {
        Thread.sleep(millis);
    }
}
