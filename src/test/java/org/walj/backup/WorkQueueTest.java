package org.walj.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.walj.WorkerThreads;

@Timeout(value = 2, unit = TimeUnit.MINUTES)
class WorkQueueTest {
    private static WorkQueue queue(int threads, int capacity, String name) {
        return new WorkQueue(threads, capacity, WorkerThreads.numbered(name), "testing");
    }

    /** Many more tasks than the queue holds: every one runs, in submission order on one thread. */
    @Test
    void everyTaskRunsInSubmissionOrder() throws IOException {
        List<Integer> ran = Collections.synchronizedList(new ArrayList<>());
        try (WorkQueue q = queue(1, 3, "wq-order-")) {
            for (int i = 0; i < 1000; i++) {
                int n = i;
                q.submit(() -> ran.add(n));
            }
            q.awaitAll();
        }
        assertEquals(1000, ran.size());
        for (int i = 0; i < 1000; i++) {
            assertEquals(i, ran.get(i));
        }
    }

    /**
     * A failed task stops the queue: what was submitted after it does not run, the next submit and awaitAll throw the
     * task's own exception (not wrapped, not a second failure's), and close does not throw it again.
     */
    @Test
    void aFailureStopsTheQueueAndIsThrownAsItIs() throws Exception {
        IOException broken = new IOException("disk gone");
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger ranAfter = new AtomicInteger();
        WorkQueue q = queue(1, 100, "wq-fail-");
        try {
            q.submit(() -> {
                await(release);
                throw broken;
            });
            for (int i = 0; i < 5; i++) {
                q.submit(ranAfter::incrementAndGet);
            }
            q.submit(() -> {
                throw new IOException("a later failure");
            });
            release.countDown();
            assertSame(broken, assertThrows(IOException.class, q::awaitAll));
            assertSame(broken, assertThrows(IOException.class, () -> q.submit(ranAfter::incrementAndGet)));
            assertSame(broken, assertThrows(IOException.class, q::awaitAll));
        } finally {
            q.close();
        }
        assertEquals(0, ranAfter.get());
    }

    /**
     * Of two failures, the earlier task's is reported even when the later task failed first, and only once the earlier
     * task has ended: a failure reported is never one that a task still running would have replaced.
     */
    @Test
    void theEarliestSubmittedFailureIsReported() throws Exception {
        IOException first = new IOException("first submitted");
        CountDownLatch secondFailed = new CountDownLatch(1);
        try (WorkQueue q = queue(2, 10, "wq-two-")) {
            q.submit(() -> {
                await(secondFailed);
                sleep(200); // the second failure is recorded well before this one
                throw first;
            });
            q.submit(() -> {
                secondFailed.countDown();
                throw new IllegalStateException("submitted second, failed first");
            });
            assertSame(first, assertThrows(IOException.class, q::awaitAll));
        }
    }

    /** An unchecked failure comes back unchanged too. */
    @Test
    void anUncheckedFailureIsRethrownUnchanged() throws IOException {
        IllegalStateException bug = new IllegalStateException("bug");
        try (WorkQueue q = queue(2, 10, "wq-bug-")) {
            q.submit(() -> {
                throw bug;
            });
            assertSame(bug, assertThrows(IllegalStateException.class, q::awaitAll));
        }
    }

    /** With {@code capacity} tasks queued or running, submit waits until one ends. */
    @Test
    void aFullQueueBlocksTheProducer() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (WorkQueue q = queue(1, 2, "wq-full-")) {
            q.submit(() -> await(release)); // running
            q.submit(() -> { });             // waiting: the queue is full
            CompletableFuture<Void> third = CompletableFuture.runAsync(() -> {
                try {
                    q.submit(() -> { });
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(500);
            assertFalse(third.isDone(), "submit returned although the queue was full");
            release.countDown();
            third.get(1, TimeUnit.MINUTES);
            q.awaitAll();
        }
    }

    /** A producer interrupted while it waits for room gets an InterruptedIOException and keeps its interrupt. */
    @Test
    void anInterruptedProducerStops() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (WorkQueue q = queue(1, 1, "wq-intr-")) {
            q.submit(() -> await(release));
            Thread.currentThread().interrupt();
            InterruptedIOException e = assertThrows(InterruptedIOException.class, () -> q.submit(() -> { }));
            assertTrue(Thread.interrupted(), "the interrupt is kept");
            assertEquals("interrupted while testing", e.getMessage());
            release.countDown();
        }
    }

    /** close interrupts what runs and returns only once it has ended; what was still queued never starts. */
    @Test
    void closeWaitsForTheWorkInFlight() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean ended = new AtomicBoolean();
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicBoolean queuedRan = new AtomicBoolean();
        WorkQueue q = queue(1, 10, "wq-close-");
        q.submit(() -> {
            started.countDown();
            try {
                Thread.sleep(TimeUnit.MINUTES.toMillis(1));
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
            sleep(300); // the task's own cleanup, after the interrupt
            ended.set(true);
        });
        q.submit(() -> queuedRan.set(true));
        assertTrue(started.await(1, TimeUnit.MINUTES));
        q.close();
        assertTrue(interrupted.get(), "the running task was interrupted");
        assertTrue(ended.get(), "close returned before the running task ended");
        assertFalse(queuedRan.get(), "a queued task started after close");
    }

    /** No worker outlives a quiet second: a queue nobody closes (the fetch's write-behind) leaves no thread behind. */
    @Test
    void idleWorkersExit() throws Exception {
        WorkQueue q = queue(3, 10, "wq-idle-");
        for (int i = 0; i < 3; i++) {
            q.submit(() -> sleep(50));
        }
        q.awaitAll();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (workers("wq-idle-") > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(0, workers("wq-idle-"));
    }

    private static long workers(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(prefix)).count();
    }

    private static void await(CountDownLatch latch) throws InterruptedIOException {
        try {
            if (!latch.await(1, TimeUnit.MINUTES)) {
                throw new IllegalStateException("latch not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException();
        }
    }

    private static void sleep(long millis) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < end) {
            try {
                Thread.sleep(Math.max(1, (end - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                // keeps sleeping: a task that finishes its own cleanup first
            }
        }
    }
}
