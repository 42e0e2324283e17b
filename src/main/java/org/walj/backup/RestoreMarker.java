package org.walj.backup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;

/**
 * The file by which backup-fetch recognises its own interrupted restore: written (and fsynced) into the data
 * directory before anything else, removed after {@code global/pg_control} was put in place. A rerun that finds it
 * continues as a delta restore instead of refusing the non-empty directory; a directory without it is someone
 * else's and is refused as before (unless {@code --delta}). Its name ends in {@code .walj-incomplete}, which no tar
 * member may ({@link MemberName}), so no backup can bring or overwrite it, and backup-push never stores it
 * ({@link ClusterListing}).
 */
final class RestoreMarker {
    static final String NAME = "backup_fetch" + PartitionExtractor.INCOMPLETE_SUFFIX;

    private RestoreMarker() {
    }

    /** Whether {@code data} holds a marker: a regular file, not a link (which could be anyone's). */
    static boolean present(Path data) throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(data.resolve(NAME), BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            return a.isRegularFile();
        } catch (java.nio.file.NoSuchFileException e) {
            return false;
        }
    }

    /** Writes the marker naming the backup being restored; durable before the first restored byte. */
    static void write(Path data, String backup) throws IOException {
        Path marker = data.resolve(NAME);
        String text = "wal-j backup-fetch of " + backup + " started " + Instant.now()
                + "; remove the directory or run backup-fetch again to continue\n";
        try (FileChannel c = FileChannel.open(marker, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                c.write(b);
            }
            c.force(true);
        }
        Durability.syncFile(data);
    }

    /** The restore is complete: the marker goes, durably. */
    static void remove(Path data) throws IOException {
        Files.deleteIfExists(data.resolve(NAME));
        Durability.syncFile(data);
    }
}
