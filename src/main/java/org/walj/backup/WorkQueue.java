package org.walj.backup;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.walj.TaskFailure;
import org.walj.logging.LogEvent;
import org.walj.logging.LoggerNames;
import org.walj.logging.WalELog;

/**
 * Work handed to a few threads while a walk of unknown length goes on (fsyncs, the delta scan's hashing, backup-push's
 * partition uploads). {@link #submit} waits while {@code capacity} tasks are queued or running, so what is held stays
 * flat however many files the walk finds; tasks start in submission order.
 *
 * <p>A failure stops the work: of the tasks that failed, the one submitted first is reported, as the exception it
 * threw, by the next {@link #submit} (the walk stops there) or by {@link #awaitAll} once every task submitted before it
 * has ended. Those earlier tasks run to their end (a failure reported is never one that an earlier task would have
 * replaced); a task submitted after the failed one does not start.
 *
 * <p>No worker outlives a quiet second, so a queue its owner never closes (the fetch's write-behind) leaves no thread.
 * {@link #close} drops what is queued, interrupts what runs and waits for it: nothing is still reading, writing or
 * removing files when the caller reports a failure or goes on.
 */
final class WorkQueue implements AutoCloseable {
    /** Submitting never waits: for work that arrives no faster than a bounded walk already limits it. */
    static final int UNBOUNDED = Integer.MAX_VALUE;
    private static final WalELog LOG = WalELog.get(LoggerNames.WORKER_BASE);
    /** A task that ignores its interrupt (an fsync of a slow disk) is waited for this long at most. */
    private static final long CLOSE_WAIT_MINUTES = 5;

    @FunctionalInterface
    interface Task {
        void run() throws IOException;
    }

    /** {@code order}: the failed task's place in submission order. */
    private record Failure(long order, Throwable error) {
        static Failure earlier(Failure a, Failure b) {
            return a == null || b.order < a.order ? b : a;
        }
    }

    private final ThreadPoolExecutor pool;
    private final Semaphore room;
    private final String activity;
    private final AtomicLong submitted = new AtomicLong();
    /** The tasks submitted and not ended, by order: at most {@code capacity}, so a bounded queue holds few. */
    private final ConcurrentSkipListSet<Long> unfinished = new ConcurrentSkipListSet<>();
    private final AtomicReference<Failure> failure = new AtomicReference<>();
    /** Notified whenever a task ends: what {@link #awaitAll} waits on. */
    private final Object ended = new Object();

    /**
     * {@code activity} completes "interrupted while …" when the caller's thread is interrupted while it waits; the
     * factory names the threads.
     */
    WorkQueue(int threads, int capacity, ThreadFactory threadFactory, String activity) {
        if (threads < 1 || capacity < 1) {
            throw new IllegalArgumentException("threads and capacity must be at least 1: " + threads + ", " + capacity);
        }
        this.pool = new ThreadPoolExecutor(threads, threads, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                threadFactory);
        pool.allowCoreThreadTimeOut(true);
        this.room = new Semaphore(capacity);
        this.activity = activity;
    }

    /** Queues {@code task}, waiting while the queue is full; throws the failure of a task submitted earlier. */
    void submit(Task task) throws IOException {
        rethrow();
        try {
            room.acquire();
        } catch (InterruptedException e) {
            throw interrupted();
        }
        long order = submitted.getAndIncrement();
        unfinished.add(order);
        boolean queued = false;
        try {
            rethrow(); // one failed while this waited for room
            pool.execute(() -> run(order, task));
            queued = true;
        } finally {
            if (!queued) {
                end(order);
            }
        }
    }

    /** Waits until every task submitted has ended; throws the failure (see the class comment) as soon as it is known. */
    void awaitAll() throws IOException {
        synchronized (ended) {
            while (true) {
                Failure f = failure.get();
                Long oldest = unfinished.ceiling(Long.MIN_VALUE);
                if (f != null && (oldest == null || oldest > f.order())) {
                    throw TaskFailure.of(f.error());
                }
                if (oldest == null) {
                    return;
                }
                try {
                    ended.wait();
                } catch (InterruptedException e) {
                    throw interrupted();
                }
            }
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
        try {
            if (!pool.awaitTermination(CLOSE_WAIT_MINUTES, TimeUnit.MINUTES)) {
                LOG.warning(LogEvent.msg("worker threads did not stop within " + CLOSE_WAIT_MINUTES + " minutes")
                        .detail("They were " + activity + "."));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run(long order, Task task) {
        try {
            Failure f = failure.get();
            if (f == null || f.order() > order) {
                task.run();
            }
        } catch (IOException | RuntimeException | Error e) {
            failure.accumulateAndGet(new Failure(order, e), Failure::earlier);
        } finally {
            end(order);
        }
    }

    private void end(long order) {
        unfinished.remove(order);
        room.release();
        synchronized (ended) {
            ended.notifyAll();
        }
    }

    private void rethrow() throws IOException {
        Failure f = failure.get();
        if (f != null) {
            throw TaskFailure.of(f.error());
        }
    }

    private InterruptedIOException interrupted() {
        Thread.currentThread().interrupt();
        return new InterruptedIOException("interrupted while " + activity);
    }
}
