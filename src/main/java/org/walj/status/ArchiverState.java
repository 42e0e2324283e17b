package org.walj.status;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.walj.postgres.ArchiverStats;

/**
 * What a host's archiving looks like: the last archived segment and when, and, when PostgreSQL answered, its failures.
 * From storage alone there are no failures to tell ({@code failedCount} empty) and the time is the object's.
 */
public record ArchiverState(Source source, Optional<String> lastArchivedWal, Optional<Instant> lastArchivedTime,
                            OptionalLong failedCount, Optional<String> lastFailedWal, Optional<Instant> lastFailedTime,
                            boolean failing) {

    /** Where the last archived segment was read. */
    public enum Source {
        /** {@code pg_stat_archiver} of the running server. */
        POSTGRES,
        /** The newest segment object under {@code wal_005/}: PostgreSQL was not reachable. */
        STORAGE;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public ArchiverState {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(lastArchivedWal, "lastArchivedWal");
        Objects.requireNonNull(lastArchivedTime, "lastArchivedTime");
        Objects.requireNonNull(failedCount, "failedCount");
        Objects.requireNonNull(lastFailedWal, "lastFailedWal");
        Objects.requireNonNull(lastFailedTime, "lastFailedTime");
    }

    static ArchiverState of(ArchiverStats stats) {
        return new ArchiverState(Source.POSTGRES, stats.lastArchivedWal(), stats.lastArchivedTime(),
                OptionalLong.of(stats.failedCount()), stats.lastFailedWal(), stats.lastFailedTime(), stats.failing());
    }

    static ArchiverState fromStorage(Optional<String> newestSegment, Optional<Instant> storedAt) {
        return new ArchiverState(Source.STORAGE, newestSegment, storedAt, OptionalLong.empty(), Optional.empty(),
                Optional.empty(), false);
    }
}
