package org.walj.recovery;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.walj.UserException;
import org.walj.archive.Archive;
import org.walj.archive.BackupCatalog;
import org.walj.backup.BackupFetch;
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
    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");

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
        writeRecoveryFiles(r, plan.choice().backup().name());
    }

    /** Whether the data directory already holds something (backup-fetch will refuse it); for the dry run. */
    public static Optional<String> obstacle(Path dataDirectory) throws IOException {
        Path data = dataDirectory.toAbsolutePath().normalize();
        if (!Files.exists(data, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        if (!Files.isDirectory(data)) {
            return Optional.of(data + " exists and is not a directory");
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(data)) {
            return entries.iterator().hasNext() ? Optional.of(data + " is not empty: backup-fetch will refuse it")
                    : Optional.empty();
        }
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

    static void writeRecoveryFiles(Request r, BackupName backup) throws IOException {
        Path data = r.data().toRealPath();
        UserPrincipal owner = Files.getOwner(data);
        // a backup of a standby may hold one: PostgreSQL would then follow a primary instead of stopping at the target
        if (Files.deleteIfExists(data.resolve("standby.signal"))) {
            LOG.info(LogEvent.msg("removed standby.signal from the restored backup")
                    .detail("Recovery runs as a targeted archive recovery (recovery.signal), not as a standby."));
        }
        Path auto = data.resolve(DEFAULT_CONFIG_FILE);
        Path config = data.resolve(r.configFile()).normalize();
        if (!config.equals(auto) && Files.isRegularFile(auto, LinkOption.NOFOLLOW_LINKS)) {
            // read after the named file: a restore_command or target of the source's ALTER SYSTEM would win
            String text = Files.readString(auto, StandardCharsets.UTF_8);
            if (RecoverySettings.setsManaged(text)) {
                replace(auto, RecoverySettings.disableManaged(text), owner);
            }
        }
        String existing = Files.isRegularFile(config) ? Files.readString(config, StandardCharsets.UTF_8) : "";
        String kept = RecoverySettings.disableManaged(existing);
        String separator = kept.isEmpty() || kept.endsWith("\n") ? "" : "\n";
        replace(config, kept + separator + r.settings().block("wal-j restore " + Instant.now() + ": recovery from "
                + backup + " to " + r.target().describe()), owner);
        Path signal = data.resolve("recovery.signal");
        if (!Files.exists(signal, LinkOption.NOFOLLOW_LINKS)) {
            replace(signal, "", owner);
        }
        LOG.info(LogEvent.msg("recovery settings written")
                .detail("restore_command, " + String.join(", ", r.settings().values().keySet().stream()
                        .filter(k -> !k.equals("restore_command")).toList()) + " in " + config
                        + "; recovery.signal in " + data + ".")
                .kv("action", "restore").kv("state", "complete"));
    }

    /**
     * Replaces (or creates) {@code file} with {@code text} through a synced temporary file, keeping an existing
     * file's owner and mode; a new one is the data directory owner's, 0600 (PostgreSQL runs as that user).
     */
    private static void replace(Path file, String text, UserPrincipal dataOwner) throws IOException {
        Path dir = file.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new UserException("cannot write " + file + ": its directory does not exist", null,
                    "Give --config-file in an existing directory.");
        }
        boolean exists = Files.exists(file, LinkOption.NOFOLLOW_LINKS);
        if (exists && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new UserException("refusing to replace " + file + ": it is not a regular file", null, null);
        }
        UserPrincipal owner = exists ? Files.getOwner(file, LinkOption.NOFOLLOW_LINKS) : dataOwner;
        Set<PosixFilePermission> mode = exists ? Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS)
                : PRIVATE;
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".wal-j-tmp",
                PosixFilePermissions.asFileAttribute(PRIVATE));
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
                ch.force(true);
            }
            if (!Files.getOwner(tmp).equals(owner)) {
                Files.setOwner(tmp, owner);
            }
            Files.setPosixFilePermissions(tmp, mode);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}
