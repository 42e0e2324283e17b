package org.walj.resident;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.walj.archive.Archive;
import org.walj.archive.Archives;
import org.walj.layout.WalFileName;
import org.walj.pipeline.codecs.Compression;
import org.walj.postgres.SegmentName;
import org.walj.storage.file.FileStorage;
import org.walj.wal.WalFetch;
import org.walj.wal.WalRestorer;

/**
 * The daemon's prefetch with the real WalFetch, WalPrefetcher and file backend: one task per segment, the window
 * refilled at every request, and a request's wait for its segment's task ending when the task ends.
 */
class DaemonPrefetchTest {
    @TempDir
    Path tmp;
    Path pgWal;
    Archive archive;
    GatedStorageStandIn storage;
    DaemonPrefetch prefetch;
    final List<byte[]> contents = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("archive").resolve("wal_005")).getParent();
        pgWal = Files.createDirectories(tmp.resolve("pg_wal"));
        storage = new GatedStorageStandIn(new FileStorage(root));
        archive = Archives.on(storage, root, Archives.LZO);
        for (int i = 0; i < 10; i++) {
            byte[] c = new byte[128 * 1024];
            new Random(i).nextBytes(c);
            contents.add(c);
            ByteArrayOutputStream lzo = new ByteArrayOutputStream();
            try (OutputStream out = Compression.LZO.compress(lzo)) {
                out.write(c);
            }
            storage.put("wal_005/" + seg(i) + ".lzo", new ByteArrayInputStream(lzo.toByteArray()),
                    "application/octet-stream");
        }
        prefetch = new DaemonPrefetch(new WalRestorer(archive), 2, 16, Duration.ofSeconds(60));
    }

    @AfterEach
    void tearDown() {
        storage.releaseGets();
        prefetch.shutdown();
    }

    @Test
    void theWindowIsRefilledAtEveryRequestAndServedFromTheTasks() throws Exception {
        WalFetch fetch = new WalFetch(archive, prefetch);
        Path dest = pgWal.resolve("RECOVERYXLOG");
        assertEquals(WalRestorer.Outcome.RESTORED, fetch.fetch(new WalFileName(seg(1)), dest, 3));
        assertArrayEquals(contents.get(1), Files.readAllBytes(dest));
        awaitIdle();
        assertEquals(3, prefetch.prefetched(), "2, 3 and 4 downloaded by tasks");

        for (int i = 2; i <= 6; i++) {
            assertEquals(WalRestorer.Outcome.RESTORED, fetch.fetch(new WalFileName(seg(i)), dest, 3));
            assertArrayEquals(contents.get(i), Files.readAllBytes(dest), seg(i));
        }
        awaitIdle();
        // one new segment per request (a process would have waited for half the window to be missing)
        assertEquals(8, prefetch.prefetched(), "2 … 9");
        Path area = pgWal.resolve(".wal-e/prefetch");
        for (int i = 7; i <= 9; i++) {
            assertTrue(Files.isRegularFile(area.resolve(seg(i))), seg(i) + " waits in the area");
        }
    }

    @Test
    void theEndOfTheArchiveIsNotFoundAndLeavesNothingRunning() throws Exception {
        WalFetch fetch = new WalFetch(archive, prefetch);
        Path dest = pgWal.resolve("RECOVERYXLOG");
        assertEquals(WalRestorer.Outcome.RESTORED, fetch.fetch(new WalFileName(seg(9)), dest, 4));
        awaitIdle();
        assertEquals(0, prefetch.prefetched(), "nothing after the last segment");
        assertEquals(WalRestorer.Outcome.NOT_FOUND, fetch.fetch(new WalFileName(seg(10)), dest, 4));
        awaitIdle();
        try (var running = Files.list(pgWal.resolve(".wal-e/prefetch/running"))) {
            assertEquals(0, running.count());
        }
    }

    @Test
    void aWaitForTheDaemonsOwnTaskEndsWhenTheTaskEnds() throws Exception {
        Path area = pgWal.resolve(".wal-e/prefetch/running");
        Files.createDirectories(area.resolve(seg(40)));
        prefetch.spawn(pgWal, List.of(sn(40))); // not in the archive: the task ends at once
        long start = System.nanoTime();
        prefetch.awaitProgress(pgWal, sn(40), 60_000);
        assertTrue(System.nanoTime() - start < 30_000_000_000L, "the wait ended with the task, not after 60 s");
        awaitIdle();
    }

    /**
     * A request whose segment's task never ends, running (a download that hangs) or queued behind it, is not held
     * forever: after the deadline it downloads the segment itself, with the right bytes, never "not found".
     */
    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aRequestDownloadsItselfWhenItsTaskIsStuck() throws Exception {
        prefetch.shutdown();
        Duration deadline = Duration.ofSeconds(4);
        prefetch = new DaemonPrefetch(new WalRestorer(archive), 1, 16, deadline); // one thread: the hung task blocks it
        storage.hangFirstGet("wal_005/" + seg(2) + ".lzo");
        WalFetch fetch = new WalFetch(archive, prefetch);
        Path dest = pgWal.resolve("RECOVERYXLOG");
        assertEquals(WalRestorer.Outcome.RESTORED, fetch.fetch(new WalFileName(seg(1)), dest, 3));
        assertArrayEquals(contents.get(1), Files.readAllBytes(dest));
        // 2's task hangs in its download; 3's stays queued behind it
        for (int i = 2; i <= 3; i++) {
            assertTrue(prefetch.runs(pgWal, sn(i)), seg(i) + " has a task");
            long start = System.nanoTime();
            assertEquals(WalRestorer.Outcome.RESTORED, fetch.fetch(new WalFileName(seg(i)), dest, 3), seg(i));
            long waited = System.nanoTime() - start;
            assertArrayEquals(contents.get(i), Files.readAllBytes(dest), seg(i));
            assertTrue(prefetch.runs(pgWal, sn(i)), seg(i) + "'s task still has not ended");
            assertTrue(waited >= deadline.toNanos(), seg(i) + ": waited for the task first, " + waited / 1_000_000
                    + " ms");
            assertTrue(waited < deadline.toNanos() + TimeUnit.SECONDS.toNanos(30), seg(i) + ": " + waited / 1_000_000
                    + " ms");
        }
    }

    private void awaitIdle() throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!prefetch.idle()) {
            assertTrue(System.nanoTime() < deadline, "prefetch tasks still running after 60 s");
            Thread.sleep(10);
        }
    }

    private static SegmentName sn(int i) {
        return new SegmentName(1, 0, i);
    }

    private static String seg(int i) {
        return sn(i).toString();
    }
}
