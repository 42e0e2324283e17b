package org.walj.cli;

import java.time.Duration;

import org.walj.storage.RetryPolicy;

/**
 * The retry policy of every backend, tunable by environment: WALJ_RETRY_ATTEMPTS (tries per request, default 6) and
 * WALJ_RETRY_DEADLINE_SECONDS (no retry starts later than this after the request's first attempt, default 60).
 * WAL-E's WALE_RETRIES is not used: its default of 100 with backoff would keep a wal-push busy for hours instead of
 * failing and letting PostgreSQL retry the segment.
 */
final class RetryOptions {
    private RetryOptions() {
    }

    static RetryPolicy policy(Environment env) {
        RetryPolicy d = RetryPolicy.DEFAULT;
        int attempts = NumberVariable.read(env, "WALJ_RETRY_ATTEMPTS", d.maxAttempts(), 1, 100);
        int deadline = NumberVariable.read(env, "WALJ_RETRY_DEADLINE_SECONDS", (int) d.deadline().toSeconds(), 0,
                24 * 3600);
        return new RetryPolicy(attempts, d.initialBackoff(), d.maxBackoff(), Duration.ofSeconds(deadline));
    }
}
