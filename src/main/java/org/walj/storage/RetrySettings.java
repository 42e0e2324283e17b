package org.walj.storage;

import java.time.Duration;
import java.util.List;
import org.walj.settings.Scope;
import org.walj.settings.Setting;
import org.walj.settings.Settings;

/**
 * The retry policy of every backend, tunable by environment: WALJ_RETRY_ATTEMPTS (tries per request, default 6) and
 * WALJ_RETRY_DEADLINE_SECONDS (no retry starts later than this after the request's first attempt, default 60).
 * WAL-E's WALE_RETRIES is not used: its default of 100 with backoff would keep a wal-push busy for hours instead of
 * failing and letting PostgreSQL retry the segment.
 */
public final class RetrySettings {
    public static final Setting<Integer> ATTEMPTS = Setting.integer("WALJ_RETRY_ATTEMPTS", Scope.MUST_MATCH_DAEMON,
            RetryPolicy.DEFAULT.maxAttempts(), 1, 100, "Tries per storage request.");
    public static final Setting<Integer> DEADLINE_SECONDS = Setting.integer("WALJ_RETRY_DEADLINE_SECONDS",
            Scope.MUST_MATCH_DAEMON, (int) RetryPolicy.DEFAULT.deadline().toSeconds(), 0, 24 * 3600,
            "No retry starts later than this after a request's first attempt.");
    public static final List<Setting<?>> ALL = List.of(ATTEMPTS, DEADLINE_SECONDS);

    private RetrySettings() {
    }

    public static RetryPolicy policy(Settings settings) {
        RetryPolicy d = RetryPolicy.DEFAULT;
        return new RetryPolicy(settings.value(ATTEMPTS), d.initialBackoff(), d.maxBackoff(),
                Duration.ofSeconds(settings.value(DEADLINE_SECONDS)));
    }
}
