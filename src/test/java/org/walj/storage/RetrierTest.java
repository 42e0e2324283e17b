package org.walj.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** Backoff, attempt limit and deadline, on a fake clock (no real sleeping, no timing assertions). */
class RetrierTest {
    private final AtomicLong nanos = new AtomicLong();
    private final List<Duration> waits = new ArrayList<>();
    private final RetryPolicy policy = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofMillis(400),
            Duration.ofSeconds(10));

    private Retrier retrier(RetryPolicy p) {
        return new Retrier(p, e -> e instanceof TransientStorageException, nanos::get, d -> {
            waits.add(d);
            nanos.addAndGet(d.toNanos());
        });
    }

    @Test
    void transientFailuresAreRetriedWithBoundedJitteredBackoff() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        String result = retrier(policy).run("upload of s3://b/k", () -> {
            if (calls.incrementAndGet() < 5) {
                throw new TransientStorageException("503 SlowDown", null);
            }
            return "done";
        });
        assertEquals("done", result);
        assertEquals(4, waits.size());
        for (int i = 0; i < waits.size(); i++) {
            assertTrue(waits.get(i).compareTo(policy.backoffCeiling(i + 1)) <= 0, waits.toString());
        }
        assertEquals(Duration.ofMillis(100), policy.backoffCeiling(1));
        assertEquals(Duration.ofMillis(400), policy.backoffCeiling(4));
    }

    /**
     * The waits are jittered in [0, ceiling], so one wait has no lower bound; over 400 of them, a retrier that never
     * (or barely) sleeps falls far below a quarter of the ceilings' sum, while full jitter averages half of it (the
     * chance of a correct one landing under a quarter is below 1e-40).
     */
    @Test
    void backoffActuallyWaitsAboutHalfTheCeilingOnAverage() throws IOException {
        long ceilings = 0;
        for (int run = 0; run < 100; run++) {
            AtomicInteger calls = new AtomicInteger();
            retrier(policy).run("x", () -> {
                if (calls.incrementAndGet() < 5) {
                    throw new TransientStorageException("503 SlowDown", null);
                }
                return "done";
            });
            for (int failed = 1; failed <= 4; failed++) {
                ceilings += policy.backoffCeiling(failed).toMillis();
            }
        }
        assertEquals(400, waits.size());
        long waited = waits.stream().mapToLong(Duration::toMillis).sum();
        assertTrue(waited >= ceilings / 4 && waited <= ceilings, "waited " + waited + " ms of ceilings " + ceilings);
        assertEquals(Duration.ofMillis(waited), Duration.ofNanos(nanos.get()), "every wait was a sleep");
    }

    @Test
    void permanentFailuresAreNotRetried() {
        IOException denied = new StorageUnavailableException("access denied");
        assertSame(denied, assertThrows(IOException.class, () -> retrier(policy).run("x", () -> {
            throw denied;
        })));
        assertEquals(List.of(), waits);
    }

    @Test
    void attemptsAreBounded() {
        AtomicInteger calls = new AtomicInteger();
        assertThrows(TransientStorageException.class, () -> retrier(policy).run("x", () -> {
            calls.incrementAndGet();
            throw new TransientStorageException("reset", null);
        }));
        assertEquals(5, calls.get());
    }

    @Test
    void noRetryStartsAfterTheDeadline() {
        AtomicInteger calls = new AtomicInteger();
        RetryPolicy shortDeadline = new RetryPolicy(100, Duration.ofMillis(100), Duration.ofMillis(100),
                Duration.ofSeconds(1));
        assertThrows(TransientStorageException.class, () -> retrier(shortDeadline).run("x", () -> {
            calls.incrementAndGet();
            nanos.addAndGet(Duration.ofMillis(300).toNanos()); // each attempt takes 0.3 s
            throw new TransientStorageException("timeout", null);
        }));
        assertTrue(calls.get() <= 4, "attempts: " + calls.get());
        assertTrue(Duration.ofNanos(nanos.get()).compareTo(Duration.ofMillis(1500)) < 0);
    }
}
