package org.walj.postgres;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code pg_stat_archiver}: how many segments archive_command archived and how many times it failed since the
 * statistics were last reset, and the last of each (empty when there was none).
 */
public record ArchiverStats(long archivedCount, Optional<String> lastArchivedWal, Optional<Instant> lastArchivedTime,
                            long failedCount, Optional<String> lastFailedWal, Optional<Instant> lastFailedTime) {
    public ArchiverStats {
        if (archivedCount < 0 || failedCount < 0) {
            throw new IllegalArgumentException("negative archiver counts: " + archivedCount + ", " + failedCount);
        }
        Objects.requireNonNull(lastArchivedWal, "lastArchivedWal");
        Objects.requireNonNull(lastArchivedTime, "lastArchivedTime");
        Objects.requireNonNull(lastFailedWal, "lastFailedWal");
        Objects.requireNonNull(lastFailedTime, "lastFailedTime");
    }

    /**
     * True when the latest attempt failed: a failure after the last success, or failures and no success at all.
     * PostgreSQL retries a failing segment forever, so this stays true until archive_command works again.
     */
    public boolean failing() {
        if (lastFailedTime.isEmpty()) {
            return false;
        }
        return lastArchivedTime.isEmpty() || lastFailedTime.get().isAfter(lastArchivedTime.get());
    }
}
