package org.walj.wal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.walj.postgres.SegmentName;

/**
 * WAL-E's prefetch area beside the restore destination, shared with WAL-E itself:
 * {@code BASE/.wal-e/prefetch/<SEGMENT>} holds a completed, verified segment, and
 * {@code BASE/.wal-e/prefetch/<SEGMENT>.walj-verified} what wal-j verified of it ({@link PrefetchRecord});
 * {@code BASE/.wal-e/prefetch/running/<SEGMENT>/} holds one being downloaded.
 */
final class PrefetchDirectory {
    private final Path prefetch;
    private final Path running;

    PrefetchDirectory(Path base) {
        this.prefetch = base.resolve(".wal-e").resolve("prefetch");
        this.running = prefetch.resolve("running");
    }

    /** WAL-E keys the area on the directory of the real path of the destination. */
    static PrefetchDirectory forDestination(Path destination) throws IOException {
        Path abs = destination.toAbsolutePath();
        Path parent = abs.getParent();
        return new PrefetchDirectory(parent.toRealPath());
    }

    Path base() {
        return prefetch.getParent().getParent();
    }

    void create() throws IOException {
        for (Path d : new Path[] {prefetch.getParent(), prefetch, running}) {
            try {
                Files.createDirectory(d, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException exists) {
                // fine: another wal-fetch made it
            }
        }
    }

    Path completed(SegmentName s) {
        return prefetch.resolve(s.toString());
    }

    Path runningDir(SegmentName s) {
        return running.resolve(s.toString());
    }

    /** What the prefetcher verified of {@code completed(s)}: without it the file is never promoted. */
    Path record(SegmentName s) {
        return prefetch.resolve(s + PrefetchRecord.SUFFIX);
    }

    /**
     * Puts the record in place durably (written in {@code runningDir}, fsynced, renamed), before the segment file
     * itself is renamed into place: a promoted file always had its record first.
     */
    void writeRecord(SegmentName s, PrefetchRecord record, Path runningDir) throws IOException {
        Path tmp = runningDir.resolve("record" + PrefetchRecord.SUFFIX);
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer bytes = ByteBuffer.wrap(record.format().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
            out.force(true);
        }
        Files.move(tmp, record(s), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The record of {@code s}, or empty when there is none, or it is not one this version wrote. */
    Optional<PrefetchRecord> readRecord(SegmentName s) {
        try (InputStream in = Files.newInputStream(record(s), LinkOption.NOFOLLOW_LINKS)) {
            return PrefetchRecord.parse(in.readNBytes(PrefetchRecord.maxBytes() + 1));
        } catch (IOException absent) {
            return Optional.empty();
        }
    }

    boolean isCompleted(SegmentName s) {
        return Files.isRegularFile(completed(s));
    }

    boolean isRunning(SegmentName s) {
        return Files.isDirectory(runningDir(s));
    }

    /** Atomically claims a segment for download; false when someone else already has. */
    boolean claim(SegmentName s) throws IOException {
        try {
            Files.createDirectory(runningDir(s));
            return true;
        } catch (FileAlreadyExistsException taken) {
            return false;
        }
    }

    /** Bytes written so far by the download of {@code s}, or -1 when none is running. */
    long runningBytes(SegmentName s) {
        Path dir = runningDir(s);
        try (Stream<Path> files = Files.list(dir)) {
            return files.mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException gone) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Removes stale downloads and prefetched files of every segment not in {@code keep}, as WAL-E does. */
    void clearExcept(Set<SegmentName> keep) {
        for (Path dir : new Path[] {running, prefetch}) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path e : entries) {
                    String name = e.getFileName().toString();
                    if (name.endsWith(PrefetchRecord.SUFFIX)) {
                        name = name.substring(0, name.length() - PrefetchRecord.SUFFIX.length());
                    }
                    SegmentName.parse(name)
                            .filter(s -> !keep.contains(s))
                            .ifPresent(s -> deleteQuietly(e));
                }
            } catch (IOException e) {
                // nothing to clean
            }
        }
    }

    static void deleteQuietly(Path p) {
        try (Stream<Path> walk = Files.walk(p)) {
            walk.sorted(Comparator.reverseOrder()).forEach(x -> {
                try {
                    Files.deleteIfExists(x);
                } catch (IOException ignored) {
                    // best effort: a stale file only costs disk until the next clean-up
                }
            });
        } catch (NoSuchFileException gone) {
            // already gone
        } catch (IOException ignored) {
            // best effort
        }
    }
}
