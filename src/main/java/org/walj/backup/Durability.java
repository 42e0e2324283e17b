package org.walj.backup;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * fsync of restored files and directories, so that a restore reported complete survives a power loss (WAL-E fsyncs
 * every extracted path too). Walks do not follow symbolic links. A walk's fsyncs run on {@value #SYNC_THREADS}
 * threads ({@link ParallelSync}): one fsync at a time waits for one journal commit each, and a restore of a million
 * small files spent most of its time there (docs/performance.md, "Many files"); concurrent ones share commits.
 */
final class Durability {
    /** fsyncs in flight during a walk: they wait on the disk, not the CPU. */
    static final int SYNC_THREADS = 16;

    private Durability() {
    }

    /** fsync every regular file and directory below and including {@code root}. */
    static void syncTree(Path root) throws IOException {
        walk(root, true);
    }

    /** fsync every directory below and including {@code root}. */
    static void syncDirectories(Path root) throws IOException {
        walk(root, false);
    }

    /** fsync one file or directory; a symbolic link is never followed (O_NOFOLLOW), so nothing outside is touched. */
    static void syncFile(Path path) throws IOException {
        try (FileChannel c = FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            c.force(true);
        }
    }

    /** Every fsync submitted as the walk finds it; returns when all are done, throws the first that failed. */
    private static void walk(Path root, boolean files) throws IOException {
        try (ParallelSync sync = ParallelSync.bounded(SYNC_THREADS, "walj-fsync-")) {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    if (files && attrs.isRegularFile()) {
                        sync.submit(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    if (exc != null) {
                        throw exc;
                    }
                    sync.submit(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
            sync.awaitAll();
        }
    }
}
