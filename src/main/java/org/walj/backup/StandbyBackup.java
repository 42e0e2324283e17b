package org.walj.backup;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.walj.UserException;
import org.walj.archive.Archive;
import org.walj.layout.BackupLayout;
import org.walj.layout.BackupName;
import org.walj.logging.LogEvent;
import org.walj.logging.LoggerNames;
import org.walj.logging.WalELog;
import org.walj.postgres.BackupLabel;
import org.walj.postgres.ConnectionSettings;
import org.walj.postgres.Lsn;
import org.walj.postgres.PgSession;
import org.walj.postgres.SegmentName;
import org.walj.postgres.WalPageHeader;
import org.walj.postgres.WalSegmentSize;

/**
 * What a backup taken on a hot standby adds to an online one (docs/standby-backups.md).
 * {@code pg_backup_stop} there returns the stop position without switching WAL, and the standby does not archive (or,
 * with {@code archive_mode=always}, archives only what it received): the backup is restorable once its primary has
 * archived the segment holding that position. So the stop does not wait inside PostgreSQL, and the sentinel is written
 * only after this class has seen that segment in the archive, bounded by {@link Options#archiveWait()}.
 *
 * <p>Refused, with one line and no sentinel: the standby promoted during the backup (its pages may be newer than any
 * WAL the old primary archived), its timeline changed between start and stop, or the archive is not the one its
 * primary archives to: the segment found there was written by another cluster (its page header's system identifier),
 * or the standby is on a timeline whose history file the archive does not hold.
 */
public final class StandbyBackup {
    private static final WalELog OPERATOR = WalELog.get(LoggerNames.OPERATOR_BACKUP);
    static final String SWITCH_HINT = "On the primary, run SELECT pg_switch_wal(); (an idle primary finishes a "
            + "segment only then, or after archive_timeout), or let wal-j do it with WALJ_PRIMARY_PGHOST "
            + "(docs/backup-push.md).";
    private static final long FIRST_POLL_MILLIS = 500;
    private static final long LAST_POLL_MILLIS = 5_000;
    private static final long STILL_WAITING_NANOS = Duration.ofMinutes(1).toNanos();

    /**
     * @param archiveWait how long to wait for the stop segment to be archived (WALJ_STANDBY_ARCHIVE_WAIT_SECONDS)
     * @param primary     where to ask for {@code pg_switch_wal()} instead of waiting for it (WALJ_PRIMARY_PGHOST and its siblings)
     */
    public record Options(Duration archiveWait, Optional<ConnectionSettings> primary) {
        public static final Duration DEFAULT_WAIT = Duration.ofMinutes(10);

        public Options {
            Objects.requireNonNull(archiveWait, "archiveWait");
            Objects.requireNonNull(primary, "primary");
            if (archiveWait.isNegative()) {
                throw new IllegalArgumentException("negative wait: " + archiveWait);
            }
        }

        public static Options defaults() {
            return new Options(DEFAULT_WAIT, Optional.empty());
        }
    }

    private final Archive archive;
    private final Options options;
    private final long systemIdentifier;

    StandbyBackup(Archive archive, Options options, long systemIdentifier) {
        this.archive = archive;
        this.options = options;
        this.systemIdentifier = systemIdentifier;
    }

    /** A standby backup when {@code session}'s server is in recovery; empty for a primary. */
    static Optional<StandbyBackup> detect(PgSession session, Archive archive, Options options) throws IOException {
        if (!session.inRecovery()) {
            return Optional.empty();
        }
        OPERATOR.info(LogEvent.msg("backing up a hot standby")
                .detail("The server is in recovery (pg_is_in_recovery()). The backup is complete once its primary "
                        + "has archived the WAL up to the backup's stop position; wal-j waits up to "
                        + options.archiveWait().toSeconds() + " s for that (WALJ_STANDBY_ARCHIVE_WAIT_SECONDS).")
                .kv("standby", "true"));
        return Optional.of(new StandbyBackup(archive, options, session.systemIdentifier()));
    }

    /**
     * Before anything is uploaded. A standby starts its backup at the last checkpoint it replayed, so a second push
     * before the primary's next checkpoint gets the same name: its partitions would overwrite a complete backup's,
     * which a failure half-way would leave broken. And a standby past timeline 1 follows a timeline some server
     * created by promotion, whose history file that server archived: an archive without it is not this standby's.
     * When the segment before the start is archived already (the usual case), its header must be this cluster's:
     * a wrong archive is refused before a byte is uploaded, not after the whole cluster was.
     */
    void beforeUpload(BackupName name, long timeline, WalSegmentSize size) throws IOException {
        if (archive.storage().stat(BackupLayout.sentinelKey(name)).isPresent()) {
            throw new UserException("standby backup refused: backup " + name + " already exists",
                    "The standby has replayed no checkpoint of its primary since that backup was taken, so this one "
                            + "would start at the same position, under the same name, and overwrite it.",
                    "Run backup-push again after the primary's next checkpoint (checkpoint_timeout), or run "
                            + "CHECKPOINT on the primary first.");
        }
        requireTimelineHistory(timeline);
        SegmentName start = name.startSegment();
        if (size.number(start) > 0) {
            SegmentName before = size.name(start.timeline(), size.number(start) - 1);
            Optional<ArchivedSegment> archived = ArchivedSegment.find(archive, before);
            if (archived.isPresent()) {
                requireOurs(archived.get(), before, size);
            }
        }
    }

    void requireTimelineHistory(long timeline) throws IOException {
        if (timeline > 1 && !ArchivedSegment.historyPresent(archive, timeline)) {
            throw wrongArchive("it holds no history file for the standby's timeline " + timeline + " ("
                    + String.format("%08X.history", timeline) + ")");
        }
    }

    /**
     * The stop call, never waiting inside PostgreSQL (on a standby with {@code archive_mode=always} it would wait
     * for the standby's own archiver, unbounded). {@code uploadGood} false: the upload failed, the stop is only
     * clean-up, and its failure is logged rather than hiding the upload's error.
     */
    PgSession.StopResult stop(PgSession session, boolean uploadGood) throws IOException {
        if (uploadGood && !session.inRecovery()) {
            throw promoted();
        }
        try {
            return session.stopBackup(false);
        } catch (IOException e) {
            if (!uploadGood) {
                OPERATOR.warning(LogEvent.msg("could not stop the backup after a failed upload")
                        .detail(e.getMessage()));
                return null;
            }
            // PostgreSQL's own check: "the standby was promoted during online backup"
            if (String.valueOf(e.getMessage()).contains("promoted")) {
                throw promoted();
            }
            throw e;
        }
    }

    /**
     * After a good stop: checks the backup stayed on its timeline, then waits until the segment holding the stop
     * position is archived and is this cluster's. Returns normally only when the sentinel may be written.
     */
    void awaitArchived(PgSession session, PgSession.StopResult stop, long startTimeline, WalSegmentSize size)
            throws IOException {
        awaitArchived(BackupLabel.parse(stop.labelFile()), session.minRecoveryTimeline(), stop.lsn(), startTimeline,
                size);
    }

    /** The checks of the above on what the stop call and the standby said. */
    void awaitArchived(BackupLabel label, long stopTimeline, Lsn stopLsn, long startTimeline, WalSegmentSize size)
            throws IOException {
        long labelTimeline = label.startTimeline().orElse(startTimeline);
        if (labelTimeline != startTimeline || stopTimeline != startTimeline) {
            throw new UserException("standby backup refused: the standby's timeline changed during the backup "
                    + "(started on " + labelTimeline + ", named by " + startTimeline + ", stopped on " + stopTimeline
                    + ")",
                    "A backup must start and stop on one timeline; its pages may mix both histories.",
                    "Run backup-push again once the standby follows its new timeline.");
        }
        SegmentName last = lastNeeded(stopLsn, startTimeline, size);
        ArchivedSegment found = waitFor(last, stopLsn);
        requireOurs(found, last, size);
    }

    /** The segment holding the byte before {@code stop}: PostgreSQL's own rule for the last segment a backup needs. */
    static SegmentName lastNeeded(Lsn stop, long timeline, WalSegmentSize size) {
        long before = Math.max(0, stop.value() - 1);
        return new Lsn(before).segment(timeline, size);
    }

    private ArchivedSegment waitFor(SegmentName segment, Lsn stop) throws IOException {
        Optional<ArchivedSegment> found = ArchivedSegment.find(archive, segment);
        if (found.isPresent()) {
            return found.get();
        }
        long waitSeconds = options.archiveWait().toSeconds();
        OPERATOR.info(LogEvent.msg("waiting for the primary to archive the backup's last WAL segment")
                .detail("The standby's backup stops at " + stop + ", in segment " + segment + ", which is not in "
                        + "the archive yet; the backup is complete only once it is. Waiting up to " + waitSeconds
                        + " s (WALJ_STANDBY_ARCHIVE_WAIT_SECONDS).")
                .hint(SWITCH_HINT)
                .kv("segment", segment.toString()).kv("wait_seconds", waitSeconds));
        options.primary().ifPresent(p -> switchOnPrimary(p));
        long started = System.nanoTime();
        long deadline = started + options.archiveWait().toNanos();
        long nextNote = started + STILL_WAITING_NANOS;
        long pause = FIRST_POLL_MILLIS;
        while (true) {
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                break;
            }
            sleep(Math.min(pause, Math.max(1, (deadline - now) / 1_000_000)));
            pause = Math.min(pause * 2, LAST_POLL_MILLIS);
            found = ArchivedSegment.find(archive, segment);
            if (found.isPresent()) {
                OPERATOR.info(LogEvent.msg("the backup's last WAL segment is archived")
                        .detail("Segment " + segment + " appeared after "
                                + (System.nanoTime() - started) / 1_000_000_000 + " s.")
                        .kv("segment", segment.toString()));
                return found.get();
            }
            if (System.nanoTime() - nextNote >= 0) {
                OPERATOR.info(LogEvent.msg("still waiting for the primary to archive segment " + segment)
                        .hint(SWITCH_HINT));
                nextNote += STILL_WAITING_NANOS;
            }
        }
        throw new UserException("standby backup not completed: segment " + segment + " was not archived within "
                + waitSeconds + " s",
                "The backup stops at " + stop + "; without that segment in the archive it cannot be restored, so no "
                        + "sentinel was written. Either the primary is idle (it has not finished the segment), or it "
                        + "does not archive to " + archive.prefix().urlOf("") + ".",
                SWITCH_HINT + " Check the primary's archive_command and pg_stat_archiver, or raise "
                        + "WALJ_STANDBY_ARCHIVE_WAIT_SECONDS.");
    }

    /**
     * One {@code pg_switch_wal()} on the primary: only on a server that is not in recovery and has this standby's
     * system identifier, so a mistyped host never switches another cluster's WAL. Its refusal is the push's failure:
     * the operator asked for it.
     */
    private void switchOnPrimary(ConnectionSettings primary) {
        try (PgSession p = PgSession.connect(primary)) {
            if (p.inRecovery()) {
                throw new UserException("WALJ_PRIMARY_PGHOST names a server in recovery (" + primary.describe()
                        + "), not the standby's primary", null, "Point WALJ_PRIMARY_PGHOST (and its siblings) at the primary.");
            }
            long theirs = p.systemIdentifier();
            if (theirs != systemIdentifier) {
                throw new UserException("WALJ_PRIMARY_PGHOST names another cluster (" + primary.describe()
                        + "): system identifier " + Long.toUnsignedString(theirs) + ", the standby's is "
                        + Long.toUnsignedString(systemIdentifier), null, "Point WALJ_PRIMARY_PGHOST (and its siblings) at the primary.");
            }
            Lsn switched = p.switchWal();
            OPERATOR.info(LogEvent.msg("asked the primary to switch WAL")
                    .detail("pg_switch_wal() on " + primary.describe() + " finished the segment ending at "
                            + switched + "; the primary's archive_command stores it next.")
                    .kv("primary_switch", switched.toString()));
        } catch (IOException e) {
            throw new UserException("could not ask the primary to switch WAL: " + e.getMessage(), null,
                    "Check WALJ_PRIMARY_PGHOST and its siblings (docs/backup-push.md), or unset WALJ_PRIMARY_PGHOST to wait for the "
                            + "primary instead.");
        }
    }

    /**
     * The segment's first page names the cluster, the WAL address and the timeline (at most the segment's: the first
     * segment of a new timeline begins with the old timeline's pages).
     */
    private void requireOurs(ArchivedSegment found, SegmentName segment, WalSegmentSize size) {
        if (found.header().isEmpty()) {
            OPERATOR.warning(LogEvent.msg("could not check which cluster wrote segment " + segment)
                    .detail("Reading " + found.key() + " failed: " + found.unreadable() + ". The segment is in the "
                            + "archive; the backup is complete."));
            return;
        }
        WalPageHeader h = found.header().get();
        long expectedAddress = size.number(segment) * size.bytes();
        if (h.systemIdentifier() != systemIdentifier || h.timeline() > segment.timeline()
                || h.pageAddress() != expectedAddress) {
            throw wrongArchive("its " + segment + " was written by another cluster (system identifier "
                    + Long.toUnsignedString(h.systemIdentifier()) + ", timeline " + h.timeline() + ", the standby's: "
                    + Long.toUnsignedString(systemIdentifier) + ", timeline " + segment.timeline() + ")");
        }
    }

    private UserException wrongArchive(String why) {
        return new UserException("standby backup refused: " + archive.prefix().urlOf("")
                + " is not the archive the standby's primary archives to: " + why,
                "A standby backup restores only from the primary's archive; no sentinel was written.",
                "Give backup-push the archive of the primary's archive_command (WALE_*_PREFIX).");
    }

    private static UserException promoted() {
        return new UserException("standby backup refused: the standby was promoted during the backup",
                "Its files may hold changes from its new timeline that the backup's WAL does not describe; no "
                        + "sentinel was written.",
                "Run backup-push again against the new primary or a standby.");
    }

    private static void sleep(long millis) throws InterruptedIOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the archive");
        }
    }
}
