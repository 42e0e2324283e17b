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
import java.util.Optional;
import java.util.Set;
import org.walj.UserException;
import org.walj.layout.BackupName;
import org.walj.logging.LogEvent;
import org.walj.logging.LoggerNames;
import org.walj.logging.WalELog;

/**
 * The files wal-j restore writes into a restored data directory: the recovery settings (with settings that would
 * fight them commented out), {@code recovery.signal}; and the {@code standby.signal} it removes.
 */
public final class RecoveryFiles {
    private static final WalELog LOG = WalELog.get(LoggerNames.OPERATOR_BACKUP);
    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");

    private RecoveryFiles() {
    }

    /**
     * Whether the data directory already holds something backup-fetch will refuse (anything, unless {@code delta});
     * for the dry run.
     */
    public static Optional<String> obstacle(Path dataDirectory, boolean delta) throws IOException {
        Path data = dataDirectory.toAbsolutePath().normalize();
        if (!Files.exists(data, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        if (!Files.isDirectory(data)) {
            return Optional.of(data + " exists and is not a directory");
        }
        if (delta) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(data)) {
            return entries.iterator().hasNext() ? Optional.of(data + " is not empty: backup-fetch will refuse it")
                    : Optional.empty();
        }
    }

    static void write(PointInTimeRestore.Request r, BackupName backup) throws IOException {
        Path data = r.data().toRealPath();
        UserPrincipal owner = Files.getOwner(data);
        // a backup of a standby may hold one: PostgreSQL would then follow a primary instead of stopping at the target
        if (Files.deleteIfExists(data.resolve("standby.signal"))) {
            LOG.info(LogEvent.msg("removed standby.signal from the restored backup")
                    .detail("Recovery runs as a targeted archive recovery (recovery.signal), not as a standby."));
        }
        Path auto = data.resolve(PointInTimeRestore.DEFAULT_CONFIG_FILE);
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
