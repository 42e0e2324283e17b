package org.walj.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The line itself, with a budget of plain units: first come, first served even when a later request would fit, and a
 * request that leaves the line (its attempt failed) lets the next one go. {@link PartBuffersTest} and
 * {@code s3.PartMemoryTest} cover it inside the two budgets.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BudgetQueueTest {

    /** A budget of units, taken whole by each request. */
    private static final class Units {
        final BudgetQueue line = new BudgetQueue(this);
        final int budget;
        int taken;

        Units(int budget) {
            this.budget = budget;
        }

        synchronized int take(int n) throws InterruptedIOException {
            return line.awaitTurn(() -> {
                if (taken + n > budget) {
                    return null;
                }
                taken += n;
                return taken;
            });
        }

        synchronized void give(int n) {
            taken -= n;
            notifyAll();
        }
    }

    @Test
    void aRequestOutsideTheOwnersMonitorIsRefused() {
        BudgetQueue line = new BudgetQueue(new Object());
        assertThrows(IllegalStateException.class, () -> line.awaitTurn(() -> Boolean.TRUE));
    }

    @Test
    void aLaterRequestThatWouldFitWaitsBehindAnEarlierOneThatDoesNot() throws Exception {
        Units units = new Units(10);
        units.take(8);
        ExecutorService threads = Executors.newCachedThreadPool(); // one thread per waiting request
        try {
            CompletableFuture<Integer> large = CompletableFuture.supplyAsync(() -> take(units, 5), threads);
            assertThrows(TimeoutException.class, () -> large.get(200, TimeUnit.MILLISECONDS));
            CompletableFuture<Integer> small = CompletableFuture.supplyAsync(() -> take(units, 2), threads);
            Thread.sleep(200);
            assertFalse(small.isDone(), "2 units were free, but the 5-unit request came first");
            units.give(8);
            assertEquals(5, large.get(60, TimeUnit.SECONDS));
            assertEquals(7, small.get(60, TimeUnit.SECONDS));
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aRequestWhoseAttemptFailsLeavesTheLine() throws Exception {
        Object monitor = new Object();
        BudgetQueue line = new BudgetQueue(monitor);
        synchronized (monitor) {
            assertThrows(IllegalArgumentException.class, () -> line.awaitTurn(() -> {
                throw new IllegalArgumentException("no such size");
            }));
            assertEquals("next", line.awaitTurn(() -> "next"), "the failed request is no longer first in line");
        }
    }

    private static int take(Units units, int n) {
        try {
            return units.take(n);
        } catch (InterruptedIOException e) {
            throw new IllegalStateException(e);
        }
    }
}
