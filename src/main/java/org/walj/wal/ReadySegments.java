package org.walj.wal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.walj.logging.LogEvent;
import org.walj.logging.LoggerNames;
import org.walj.logging.WalELog;
import org.walj.postgres.WalNames;

/**
 * PostgreSQL's {@code archive_status/} directory: which segments wait to be archived, and marking them done (by
 * wal-push's parallel mode here and by the resident daemon's push-ahead).
 */
public final class ReadySegments {
    private static final WalELog LOG = WalELog.get(LoggerNames.WORKER_UPLOAD);

    private ReadySegments() {
    }

    /**
     * Up to {@code limit} other segments marked ready next to {@code explicit}, in name order. Only plain segments are
     * taken, never history or backup-history files, as WAL-E does.
     */
    static List<Path> after(Path explicit, int limit) throws IOException {
        String explicitName = explicit.getFileName().toString();
        List<Path> result = new ArrayList<>();
        for (Path segment : all(explicit.toAbsolutePath().getParent())) {
            if (result.size() >= limit) {
                break;
            }
            if (!segment.getFileName().toString().equals(explicitName)) {
                result.add(segment);
            }
        }
        return result;
    }

    /** Every plain segment of {@code walDir} marked ready, in name order (PostgreSQL archives the oldest first). */
    public static List<Path> all(Path walDir) throws IOException {
        Path statusDir = walDir.resolve("archive_status");
        if (!Files.isDirectory(statusDir)) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(statusDir)) {
            for (Path entry : entries) {
                String n = entry.getFileName().toString();
                if (WalNames.READY_SEGMENT.matcher(n).matches()) {
                    names.add(n.substring(0, n.length() - WalNames.READY_SUFFIX.length()));
                }
            }
        } catch (NoSuchFileException gone) {
            return List.of();
        }
        Collections.sort(names);
        List<Path> result = new ArrayList<>(names.size());
        for (String n : names) {
            result.add(walDir.resolve(n));
        }
        return result;
    }

    /**
     * Tells PostgreSQL that a segment we stored ourselves needs no archive_command call. A failure here only costs a
     * second upload of the same segment later, so it is logged, not fatal.
     */
    public static void markDone(Path segment) {
        Path statusDir = segment.getParent().resolve("archive_status");
        String name = segment.getFileName().toString();
        try {
            Files.move(statusDir.resolve(name + WalNames.READY_SUFFIX), statusDir.resolve(name + ".done"),
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warning(LogEvent.msg("problem moving .ready archive status to .done")
                    .detail("Renaming the status of " + name + " failed: " + e.getMessage()
                            + ". PostgreSQL will archive it again.")
                    .kv("action", "push-wal").kv("seg", name));
        }
    }
}
