package org.walj.resident;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.walj.WorkerThreads;
import org.walj.logging.FailureText;
import org.walj.logging.LogEvent;
import org.walj.logging.LoggerNames;
import org.walj.logging.WalELog;
import org.walj.postgres.SegmentName;
import org.walj.wal.PrefetchSpawner;
import org.walj.wal.WalPrefetcher;
import org.walj.wal.WalRestorer;

/**
 * wal-fetch's prefetch inside the daemon: each claimed segment is one task of the daemon's own pool, no process and
 * no JVM. The download is the {@code wal-prefetch} process's own ({@link WalPrefetcher}: decoded with every checksum
 * verified into {@code running/}, its record stored, then renamed into the area), so wal-fetch promotes it under the
 * same rules. Because a task costs nothing to start, the window is refilled at every request; a request for a
 * segment still being downloaded is answered as soon as that task ended, not at wal-fetch's next look at the area.
 */
final class DaemonPrefetch implements PrefetchSpawner {
    private static final WalELog LOG = WalELog.get(LoggerNames.DAEMON);

    private final WalPrefetcher prefetcher;
    private final ThreadPoolExecutor pool;
    /** The tasks queued or running, by the segment's place in its area: what a request for it waits on. */
    private final ConcurrentHashMap<Path, CountDownLatch> pending = new ConcurrentHashMap<>();
    private final AtomicLong prefetched = new AtomicLong();
    private final Duration ownDownloadDeadline;

    /** {@code ownDownloadDeadline}: how long a request waits at most for its segment's task (see the interface). */
    DaemonPrefetch(WalRestorer restorer, int parallelism, int queue, Duration ownDownloadDeadline) {
        this.prefetcher = new WalPrefetcher(restorer);
        this.ownDownloadDeadline = ownDownloadDeadline;
        this.pool = new ThreadPoolExecutor(parallelism, parallelism, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queue),
                // not the log route of the request that happened to start a thread: records go to the daemon's log
                WorkerThreads.numbered("wal-j-prefetch-", false));
    }

    @Override
    public int refillAt(int window) {
        return 1;
    }

    @Override
    public void spawn(Path base, List<SegmentName> segments) throws IOException {
        for (SegmentName s : segments) {
            Path key = key(base, s);
            CountDownLatch done = new CountDownLatch(1);
            pending.put(key, done);
            try {
                pool.execute(() -> download(base, s, key, done));
            } catch (RejectedExecutionException busy) {
                pending.remove(key, done);
                done.countDown();
                throw new IOException("the daemon's prefetch queue is full");
            }
        }
    }

    @Override
    public boolean runs(Path base, SegmentName segment) {
        return pending.containsKey(key(base, segment));
    }

    @Override
    public Duration ownDownloadDeadline() {
        return ownDownloadDeadline;
    }

    @Override
    public void awaitProgress(Path base, SegmentName segment, long millis) throws InterruptedException {
        CountDownLatch done = pending.get(key(base, segment));
        if (done == null) {
            Thread.sleep(millis); // another process's download (a wal-prefetch started before this daemon)
        } else {
            done.await(millis, TimeUnit.MILLISECONDS);
        }
    }

    private void download(Path base, SegmentName s, Path key, CountDownLatch done) {
        try {
            if (prefetcher.prefetch(base, s)) {
                prefetched.incrementAndGet();
                // the daemon's own log only: background threads do not write to a client
                LOG.info(LogEvent.msg("prefetched a segment").kv("action", "wal-prefetch").kv("seg", s.toString())
                        .kv("state", "prefetched"));
            }
        } catch (IOException | RuntimeException e) {
            // wal-fetch downloads the segment itself when PostgreSQL asks, and reports what fails then
            LOG.warning(LogEvent.msg("could not prefetch a segment").detail(FailureText.describe(e))
                    .kv("action", "wal-prefetch").kv("seg", s.toString()));
        } finally {
            pending.remove(key, done);
            done.countDown();
        }
    }

    private static Path key(Path base, SegmentName s) {
        return base.resolve(s.toString());
    }

    /** Segments placed in a prefetch area since the daemon started. */
    long prefetched() {
        return prefetched.get();
    }

    /** No task queued or running (a task leaves {@code pending} only once its download has ended). */
    boolean idle() {
        return pending.isEmpty() && pool.getActiveCount() == 0 && pool.getQueue().isEmpty();
    }

    void shutdown() {
        pool.shutdownNow();
    }
}
