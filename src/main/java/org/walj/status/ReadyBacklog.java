package org.walj.status;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Optional;
import org.walj.UserException;

/**
 * The segments PostgreSQL has finished and not yet archived: the {@code .ready} files of
 * {@code PGDATA/pg_wal/archive_status}, and when the oldest of them was made. A backlog that only grows, or an oldest
 * one that only ages, is archiving stuck.
 */
public record ReadyBacklog(int segments, Optional<Instant> oldest) {
    public ReadyBacklog {
        if (segments < 0 || (segments == 0) != oldest.isEmpty()) {
            throw new IllegalArgumentException("backlog of " + segments + " with oldest " + oldest);
        }
    }

    /** Reads {@code dataDirectory}'s archive status; a directory without one is not a data directory. */
    public static ReadyBacklog of(Path dataDirectory) throws IOException {
        Path status = dataDirectory.resolve("pg_wal").resolve("archive_status");
        if (!Files.isDirectory(status)) {
            throw new UserException("not a PostgreSQL data directory: " + dataDirectory,
                    "There is no directory " + status + ".",
                    "Give the data directory (PGDATA or --pgdata) of the server this host archives.");
        }
        int count = 0;
        Instant oldest = null;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(status, "*.ready")) {
            for (Path f : files) {
                Instant made;
                try {
                    made = Files.readAttributes(f, BasicFileAttributes.class).lastModifiedTime().toInstant();
                } catch (NoSuchFileException archivedMeanwhile) {
                    continue; // renamed to .done between the listing and now
                }
                count++;
                oldest = oldest == null || made.isBefore(oldest) ? made : oldest;
            }
        }
        return new ReadyBacklog(count, Optional.ofNullable(oldest));
    }
}
