package org.walj.status;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.walj.UserException;

/**
 * Writes a metrics file for node_exporter's textfile collector so that a scrape never reads half of it: the text goes
 * to a hidden temporary file in the same directory (its name does not end in {@code .prom}, so the collector skips
 * it), is flushed to disk, and is renamed over the target. Mode 0644: node_exporter runs as a user of its own, and
 * the file holds no secret (segment and backup names, times, counts).
 */
public final class PrometheusTextfile {
    private PrometheusTextfile() {
    }

    public static void write(Path target, String text) throws IOException {
        Path file = target.toAbsolutePath().normalize();
        Path dir = file.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new UserException("cannot write the metrics file " + file, "Its directory does not exist.",
                    "Point --prometheus at a file in node_exporter's --collector.textfile.directory.");
        }
        Path tmp = dir.resolve("." + file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try {
            Files.deleteIfExists(tmp); // left by a killed run with the same pid
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    ch.write(bytes);
                }
                ch.force(true);
            }
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
            throw new IOException("cannot replace " + file + " atomically: " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
