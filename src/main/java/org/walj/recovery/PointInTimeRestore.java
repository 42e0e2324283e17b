package org.walj.recovery;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.walj.archive.Archive;
import org.walj.archive.BackupCatalog;
import org.walj.backup.BackupFetch;
import org.walj.backup.RecoverySettingsReport;
import org.walj.layout.ArchiveLayout;
import org.walj.layout.BackupName;
import org.walj.layout.WalFileName;
import org.walj.logging.LogEvent;
import org.walj.logging.LoggerNames;
import org.walj.logging.ProgressDisplay;
import org.walj.logging.WalELog;
import org.walj.postgres.SegmentName;
import org.walj.postgres.WalCoverage;
import org.walj.postgres.WalSegmentSize;
import org.walj.storage.ObjectInfo;

/**
 * wal-j restore: a point-in-time restore in one command. Plans (which backup, whether the WAL reaches the target:
 * {@link RestorePlanner}), restores the backup through backup-fetch, then writes PostgreSQL 12+'s recovery settings
 * and {@code recovery.signal}. docs/restore-runbook.md.
 */
public final class PointInTimeRestore {
    private static final WalELog LOG = WalELog.get(LoggerNames.OPERATOR_BACKUP);
    public static final String DEFAULT_CONFIG_FILE = "postgresql.auto.conf";

    private final Archive archive;
    private final ProgressDisplay progress;

    /**
     * One restore.
     *
     * @param configFile where the settings go: relative names are inside the data directory
     */
    public record Request(Path dataDirectory, RecoveryTarget target, Optional<BackupName> pinned,
                          RecoverySettings settings, Path configFile, WalSegmentSize segmentSize) {
        public Request {
            Objects.requireNonNull(dataDirectory, "dataDirectory");
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(pinned, "pinned");
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(configFile, "configFile");
            Objects.requireNonNull(segmentSize, "segmentSize");
        }

        Path data() {
            return dataDirectory.toAbsolutePath().normalize();
        }

        Path config() {
            return data().resolve(configFile).normalize();
        }
    }

    /** What will be (or was) done: the backup and why, the WAL found, the settings and where they go. */
    public record Plan(Request request, RestorePlanner.Choice choice, RestorePlanner.WalCheck wal) {
    }

    public PointInTimeRestore(Archive archive, ProgressDisplay progress) {
        this.archive = archive;
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /**
     * Reads the backups and the WAL index, picks the backup and checks the WAL; writes nothing. Logs the choice
     * ({@code dryRun}: as what a restore would do).
     */
    public Plan plan(Request request, boolean dryRun) throws IOException {
        BackupCatalog catalog = archive.backups();
        List<BackupEnd> backups = new ArrayList<>();
        for (BackupCatalog.Entry e : catalog.all()) {
            backups.add(BackupEnd.of(e.name(), e.sentinel().lastModified(), catalog.sentinel(e),
                    request.segmentSize()));
        }
        RestorePlanner.Choice choice = RestorePlanner.choose(backups, request.target(), request.pinned());
        WalCoverage index = archive.walIndex(request.segmentSize());
        RestorePlanner.WalCheck wal = RestorePlanner.checkWal(choice.backup(), request.target(),
                request.settings().timeline(), index, this::storedAt);
        LOG.info(LogEvent.msg((dryRun ? "dry run: would restore " : "restoring ") + choice.backup().name()
                        + " for recovery to " + request.target().describe())
                .detail("Chose it as " + choice.why() + ". " + wal.describe() + ".")
                .kv("action", "restore").kv("backup", choice.backup().name()));
        for (String note : wal.notes()) {
            LOG.warning(LogEvent.msg("recovery may not reach the target").detail(note + "."));
        }
        return new Plan(request, choice, wal);
    }

    /**
     * Restores the planned backup with backup-fetch, then writes the recovery settings, {@code recovery.signal},
     * and removes a restored {@code standby.signal}.
     */
    public void restore(Plan plan, BackupFetch.Options fetchOptions) throws IOException {
        Request r = plan.request();
        new BackupFetch(archive, progress).fetch(r.dataDirectory(), plan.choice().backup().name().toString(),
                fetchOptions);
        // before ours are written: what the backup itself brought (a standby's primary_conninfo, archive_command)
        RecoverySettingsReport.logSettings(r.dataDirectory());
        RecoveryFiles.write(r, plan.choice().backup().name());
    }

    /** The stored time of a segment's object, whichever compression it has. */
    private Optional<Instant> storedAt(SegmentName segment) throws IOException {
        for (var codec : archive.codec().searchOrder()) {
            Optional<ObjectInfo> info = archive.storage()
                    .stat(ArchiveLayout.walObjectKey(new WalFileName(segment.toString()), codec.suffix()));
            if (info.isPresent()) {
                return Optional.of(info.get().lastModified());
            }
        }
        return Optional.empty();
    }
}
