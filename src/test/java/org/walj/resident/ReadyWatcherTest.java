package org.walj.resident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadyWatcherTest {
    private static final String SEGMENT = "000000010000000000000003";

    @TempDir
    Path pgWal;

    @Test
    void reportsEachSegmentPostgresMarksReadyAndNothingElse() throws Exception {
        Path status = Files.createDirectories(pgWal.resolve("archive_status"));
        BlockingQueue<Path> heard = new LinkedBlockingQueue<>();
        try (ReadyWatcher watcher = new ReadyWatcher(heard::add)) {
            watcher.watch(pgWal);
            watcher.watch(pgWal); // twice: still one report per file
            assertTrue(watcher.watches(pgWal));
            // what PostgreSQL also creates there, and must not be taken for a ready segment
            Files.createFile(status.resolve("00000002.history.ready"));
            Files.createFile(status.resolve("000000010000000000000002.00000028.backup.ready"));
            Files.createFile(status.resolve("000000010000000000000001.done"));
            Files.createFile(status.resolve(SEGMENT + ".ready"));
            assertEquals(pgWal.toAbsolutePath().normalize().resolve(SEGMENT), heard.poll(10, TimeUnit.SECONDS));
            // a file renamed into place is reported too (inotify IN_MOVED_TO)
            Path tmp = Files.createFile(pgWal.resolve("tmp"));
            Files.move(tmp, status.resolve("000000010000000000000004.ready"));
            assertEquals(pgWal.toAbsolutePath().normalize().resolve("000000010000000000000004"),
                    heard.poll(10, TimeUnit.SECONDS));
            assertNull(heard.poll(300, TimeUnit.MILLISECONDS), "only the two plain segments are reported");
        }
    }

    @Test
    void closeStopsTheThread() throws Exception {
        Files.createDirectories(pgWal.resolve("archive_status"));
        java.util.Set<Thread> before = watcherThreads();
        ReadyWatcher watcher = new ReadyWatcher(p -> { });
        watcher.watch(pgWal);
        java.util.Set<Thread> started = watcherThreads();
        started.removeAll(before);
        assertEquals(1, started.size(), "the watcher runs one thread of its own");
        watcher.close();
        for (Thread t : started) {
            assertFalse(t.isAlive(), "close() ended the watcher's thread");
        }
    }

    private static java.util.Set<Thread> watcherThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("wal-j-ready-watcher"))
                .collect(java.util.stream.Collectors.toSet());
    }
}
