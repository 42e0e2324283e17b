package org.walj.storage;

import java.time.Duration;
import java.util.Objects;

/**
 * How a backend retries transient failures: at most {@code maxAttempts} tries of one request, waiting a random time up
 * to {@code initialBackoff × 2^(attempt-1)} (capped at {@code maxBackoff}) between them ("full jitter"), and never
 * starting a retry once {@code deadline} has passed since the operation began. The deadline keeps a stuck wal-push
 * short, so that PostgreSQL's own archive_command retry takes over.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration deadline) {

    /** 6 attempts, 0.2 s doubling to at most 10 s, 60 s in all. Documented in docs/s3.md. */
    public static final RetryPolicy DEFAULT =
            new RetryPolicy(6, Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofSeconds(60));

    /** One attempt only. */
    public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO);

    public RetryPolicy {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(deadline, "deadline");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, not " + maxAttempts);
        }
        if (initialBackoff.isNegative() || maxBackoff.isNegative() || deadline.isNegative()) {
            throw new IllegalArgumentException("negative duration in retry policy");
        }
    }

    /** The upper bound of the random wait after the given failed attempt (1-based). */
    public Duration backoffCeiling(int failedAttempt) {
        int shift = Math.min(failedAttempt - 1, 30);
        long millis = initialBackoff.toMillis() << shift;
        return millis < 0 || millis > maxBackoff.toMillis() ? maxBackoff : Duration.ofMillis(millis);
    }
}
