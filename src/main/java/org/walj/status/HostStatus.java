package org.walj.status;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.walj.backup.BackupRow;

/**
 * {@code wal-j status} for one host at one moment: archiving ({@link ArchiverState}), why PostgreSQL was not asked
 * (when it was not reachable), the {@code .ready} backlog (when the data directory was given), and the archive's
 * backups: how many, and the newest with its WAL coverage as {@code backup-list --detail} shows it.
 */
public record HostStatus(Instant collectedAt, ArchiverState archiver, Optional<String> postgresProblem,
                         Optional<ReadyBacklog> backlog, int backups, Optional<BackupRow> newestBackup) {
    public HostStatus {
        Objects.requireNonNull(collectedAt, "collectedAt");
        Objects.requireNonNull(archiver, "archiver");
        Objects.requireNonNull(postgresProblem, "postgresProblem");
        Objects.requireNonNull(backlog, "backlog");
        Objects.requireNonNull(newestBackup, "newestBackup");
        if (backups < 0 || (backups == 0) != newestBackup.isEmpty()) {
            throw new IllegalArgumentException(backups + " backups, newest " + newestBackup);
        }
    }

    /** How long before {@link #collectedAt()} {@code then} was; never negative (clocks of other hosts drift). */
    public Duration ageOf(Instant then) {
        Duration d = Duration.between(then, collectedAt);
        return d.isNegative() ? Duration.ZERO : d;
    }
}
