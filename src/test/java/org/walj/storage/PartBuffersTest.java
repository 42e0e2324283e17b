package org.walj.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The part buffers' byte budget: never exceeded, buffers reused, requests served in order, no deadlock. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PartBuffersTest {

    @Test
    void reusesAFreeBufferOfTheSameSize() throws Exception {
        PartBuffers pool = new PartBuffers(10);
        byte[] a = pool.take(5);
        pool.give(a);
        assertSame(a, pool.take(5));
        assertEquals(5, pool.held());
    }

    @Test
    void aLargerFreeBufferServesASmallerPartWhenNothingNewFits() throws Exception {
        PartBuffers pool = new PartBuffers(20);
        byte[] first = pool.take(20);
        pool.give(first);
        assertSame(first, pool.take(5), "reused, not a second buffer beside it");
        assertEquals(20, pool.held());
    }

    @Test
    void smallerFreeBuffersAreDroppedForALargerPart() throws Exception {
        PartBuffers pool = new PartBuffers(10);
        byte[] a = pool.take(5);
        byte[] b = pool.take(5);
        pool.give(a);
        pool.give(b);
        assertEquals(10, pool.take(10).length);
        assertEquals(10, pool.held());
    }

    @Test
    void aPartLargerThanTheBudgetWaitsUntilNothingElseIsHeld() throws Exception {
        PartBuffers pool = new PartBuffers(10);
        byte[] small = pool.take(4);
        CompletableFuture<byte[]> big = CompletableFuture.supplyAsync(() -> takeUnchecked(pool, 30));
        assertThrows(java.util.concurrent.TimeoutException.class, () -> big.get(300, TimeUnit.MILLISECONDS));
        pool.give(small);
        assertEquals(30, big.get(60, TimeUnit.SECONDS).length);
        assertEquals(30, pool.held());
    }

    @Test
    void requestsAreServedInArrivalOrder() throws Exception {
        PartBuffers pool = new PartBuffers(10);
        byte[] all = pool.take(10);
        CompletableFuture<byte[]> large = CompletableFuture.supplyAsync(() -> takeUnchecked(pool, 8));
        waitUntilWaiting(large);
        CompletableFuture<byte[]> small = CompletableFuture.supplyAsync(() -> takeUnchecked(pool, 2));
        Thread.sleep(200);
        assertFalse(small.isDone(), "the small request must not pass the large one waiting before it");
        pool.give(all);
        byte[] got = large.get(60, TimeUnit.SECONDS);
        assertSame(all, got, "the free 10-byte buffer serves the 8-byte part");
        assertThrows(java.util.concurrent.TimeoutException.class, () -> small.get(300, TimeUnit.MILLISECONDS));
        pool.give(got);
        assertEquals(10, small.get(60, TimeUnit.SECONDS).length);
    }

    @Test
    void anInterruptedWaiterLetsTheNextOneGo() throws Exception {
        PartBuffers pool = new PartBuffers(10);
        byte[] all = pool.take(10);
        List<Object> outcome = new ArrayList<>();
        Thread waiter = new Thread(() -> {
            try {
                pool.take(10);
                outcome.add("served");
            } catch (InterruptedIOException e) {
                outcome.add(e);
            }
        });
        waiter.start();
        Thread.sleep(200);
        CompletableFuture<byte[]> next = CompletableFuture.supplyAsync(() -> takeUnchecked(pool, 10));
        Thread.sleep(200);
        waiter.interrupt();
        waiter.join(60_000);
        assertTrue(outcome.get(0) instanceof InterruptedIOException, String.valueOf(outcome));
        pool.give(all);
        assertSame(all, next.get(60, TimeUnit.SECONDS));
    }

    @Test
    void neverHoldsMoreThanTheBudgetUnderConcurrentUse() throws Exception {
        long budget = 64;
        PartBuffers pool = new PartBuffers(budget);
        AtomicLong inUse = new AtomicLong();
        AtomicLong worst = new AtomicLong();
        ExecutorService threads = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                done.add(threads.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        int size = ThreadLocalRandom.current().nextInt(1, 33);
                        byte[] b = pool.take(size);
                        worst.accumulateAndGet(inUse.addAndGet(b.length), Math::max);
                        worst.accumulateAndGet(pool.held(), Math::max);
                        inUse.addAndGet(-b.length);
                        pool.give(b);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(100, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        assertTrue(worst.get() <= budget, "at most the budget held at once: " + worst.get());
        assertTrue(pool.held() <= budget);
    }

    private static byte[] takeUnchecked(PartBuffers pool, int size) {
        try {
            return pool.take(size);
        } catch (InterruptedIOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void waitUntilWaiting(CompletableFuture<?> f) throws InterruptedException {
        Thread.sleep(200);
        assertFalse(f.isDone());
    }
}
