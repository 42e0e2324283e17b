package org.walj.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walj.archive.Archive;
import org.walj.archive.Archives;
import org.walj.layout.WalFileName;
import org.walj.pipeline.codecs.Compression;
import org.walj.postgres.SegmentName;
import org.walj.storage.file.FileStorage;

/**
 * Prefetch logic with the real prefetcher run in this process: the spawner below is a stand-in for starting a
 * second JVM. The process start itself is covered by WalArchiveRecoveryIT: PostgreSQL's recovery through
 * {@code wal-fetch} must promote segments that real spawned {@code wal-prefetch} processes placed (a failed spawn
 * only falls back to in-band downloads, so that IT fails when no segment was promoted).
 */
class WalFetchTest {
    @TempDir
    Path tmp;
    Path pgWal;
    FileStorage storage;
    Archive archive;
    final List<List<SegmentName>> spawned = new ArrayList<>();
    final List<byte[]> contents = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        Path archive = Files.createDirectories(tmp.resolve("archive").resolve("wal_005")).getParent(); // an archive: wal_005/ exists
        pgWal = Files.createDirectories(tmp.resolve("pg_wal"));
        storage = new FileStorage(archive);
        this.archive = Archives.on(storage, archive, Archives.LZO);
        for (int i = 0; i < 12; i++) {
            byte[] c = new byte[256 * 1024];
            new Random(i).nextBytes(c);
            contents.add(c);
            storage.put("wal_005/" + seg(i) + ".lzo",
                    new ByteArrayInputStream(WalRestorerTest.encode(Compression.LZO, c)), "application/octet-stream");
        }
    }

    private WalFetch fetchWithInProcessPrefetcher() {
        return new WalFetch(archive, (base, segments) -> {
            spawned.add(segments);
            new WalPrefetcher(new WalRestorer(archive)).prefetch(base, segments, 2);
        });
    }

    @Test
    void prefetchedSegmentsArePromotedAndTheWindowIsRefilledInBatches() throws IOException {
        WalFetch fetch = fetchWithInProcessPrefetcher();
        Path dest = pgWal.resolve("RECOVERYXLOG");

        assertEquals(WalRestorer.Outcome.RESTORED, fetch.fetch(new WalFileName(seg(1)), dest, 4));
        assertArrayEquals(contents.get(1), Files.readAllBytes(dest));
        assertEquals(List.of(List.of(sn(2), sn(3), sn(4), sn(5))), spawned);
        Path area = pgWal.resolve(".wal-e/prefetch");
        assertTrue(Files.isRegularFile(area.resolve(seg(2))));

        // segment 2 comes from the prefetch area; only 1 of 4 future names is missing: no new process yet
        assertEquals(WalRestorer.Outcome.RESTORED, fetch.fetch(new WalFileName(seg(2)), dest, 4));
        assertArrayEquals(contents.get(2), Files.readAllBytes(dest));
        assertFalse(Files.exists(area.resolve(seg(2))));
        assertEquals(1, spawned.size());

        // after segment 3, two of the next four are missing: one process fetches both
        fetch.fetch(new WalFileName(seg(3)), dest, 4);
        assertArrayEquals(contents.get(3), Files.readAllBytes(dest));
        assertEquals(List.of(sn(6), sn(7)), spawned.get(1));
    }

    /**
     * The call that works in-process while a daemon is starting: no download started and nothing claimed (a claimed
     * segment nobody downloads would make the daemon's next request wait on it), and a segment already prefetched is
     * still promoted.
     */
    @Test
    void leftToTheDaemonStartsAndClaimsNothingButStillPromotes() throws IOException {
        Path dest = pgWal.resolve("RECOVERYXLOG");
        fetchWithInProcessPrefetcher().fetch(new WalFileName(seg(1)), dest, 2); // segments 2 and 3 prefetched
        spawned.clear();
        WalFetch leftToDaemon = new WalFetch(archive, PrefetchSpawner.LEFT_TO_DAEMON);

        assertEquals(WalRestorer.Outcome.RESTORED, leftToDaemon.fetch(new WalFileName(seg(2)), dest, 4));
        assertArrayEquals(contents.get(2), Files.readAllBytes(dest));
        Path area = pgWal.resolve(".wal-e/prefetch");
        assertFalse(Files.exists(area.resolve(seg(2))), "promoted from the area");
        assertEquals(List.of(), WalRestorerTest.files(area.resolve("running")), "nothing claimed");
        assertEquals(WalRestorer.Outcome.RESTORED, leftToDaemon.fetch(new WalFileName(seg(5)), dest, 4));
        assertArrayEquals(contents.get(5), Files.readAllBytes(dest), "downloaded in-band");
        assertEquals(List.of(), WalRestorerTest.files(area.resolve("running")), "nothing claimed");
        assertEquals(List.of(), spawned);
    }

    /**
     * A download the spawner runs itself (the daemon's task) that has not written a byte for longer than the patience
     * for another process's download: waited for (within the spawner's deadline, 60 s by default), not downloaded a
     * second time beside it.
     */
    @Test
    void aDownloadTheSpawnerRunsItselfIsWaitedForHoweverLongItTakesToStart() throws Exception {
        Set<SegmentName> runningTasks = ConcurrentHashMap.newKeySet();
        WalFetch fetch = new WalFetch(archive, new PrefetchSpawner() {
            @Override
            public void spawn(Path base, List<SegmentName> segments) {
                runningTasks.addAll(segments);
                Thread task = new Thread(() -> {
                    try {
                        Thread.sleep(4_500); // queued behind other tasks: longer than the 3 s grace
                        new WalPrefetcher(new WalRestorer(archive)).prefetch(base, segments, 1);
                    } catch (IOException | InterruptedException e) {
                        throw new IllegalStateException(e);
                    } finally {
                        runningTasks.removeAll(segments);
                    }
                });
                task.start();
            }

            @Override
            public int refillAt(int window) {
                return 1;
            }

            @Override
            public boolean runs(Path base, SegmentName segment) {
                return runningTasks.contains(segment);
            }
        });
        Path dest = pgWal.resolve("RECOVERYXLOG");
        fetch.fetch(new WalFileName(seg(1)), dest, 1);
        long start = System.nanoTime();
        assertEquals(WalRestorer.Outcome.RESTORED, fetch.fetch(new WalFileName(seg(2)), dest, 1));
        assertTrue(System.nanoTime() - start >= 4_000_000_000L, "waited for the task, not given up after 3 s");
        assertArrayEquals(contents.get(2), Files.readAllBytes(dest));
    }

    // issue 12, item 9: only a file wal-j itself verified may be promoted

    @Test
    void bytesPlacedInThePrefetchAreaAreNeverPromoted() throws IOException {
        Path area = Files.createDirectories(pgWal.resolve(".wal-e/prefetch"));
        byte[] planted = new byte[256 * 1024];
        new Random(99).nextBytes(planted);
        Files.write(area.resolve(seg(40)), planted); // a segment the archive does not hold
        Files.write(area.resolve(seg(1)), planted); // and one it does
        Path dest = pgWal.resolve("RECOVERYXLOG");

        assertEquals(WalRestorer.Outcome.NOT_FOUND, fetchWithInProcessPrefetcher().fetch(new WalFileName(seg(40)), dest, 3));
        assertFalse(Files.exists(dest));
        assertFalse(Files.exists(area.resolve(seg(40))), "discarded");

        assertEquals(WalRestorer.Outcome.RESTORED, fetchWithInProcessPrefetcher().fetch(new WalFileName(seg(1)), dest, 3));
        assertArrayEquals(contents.get(1), Files.readAllBytes(dest), "downloaded in-band, not the planted bytes");
    }

    @Test
    void aPrefetchedFileThatNoLongerMatchesItsRecordIsDiscarded() throws IOException {
        WalFetch fetch = fetchWithInProcessPrefetcher();
        Path dest = pgWal.resolve("RECOVERYXLOG");
        fetch.fetch(new WalFileName(seg(1)), dest, 4);
        Path area = pgWal.resolve(".wal-e/prefetch");
        assertTrue(Files.isRegularFile(area.resolve(seg(2) + ".walj-verified")), "the prefetcher recorded it");

        // one byte changed, same size
        byte[] changed = Files.readAllBytes(area.resolve(seg(2)));
        changed[1000] ^= 1;
        Files.write(area.resolve(seg(2)), changed);
        assertEquals(WalRestorer.Outcome.RESTORED, fetch.fetch(new WalFileName(seg(2)), dest, 4));
        assertArrayEquals(contents.get(2), Files.readAllBytes(dest));

        // two verified files swapped: each record names its segment
        Path three = area.resolve(seg(3));
        Path four = area.resolve(seg(4));
        Path aside = area.resolve("aside");
        Files.move(three, aside);
        Files.move(four, three);
        Files.move(aside, four);
        assertEquals(WalRestorer.Outcome.RESTORED, fetch.fetch(new WalFileName(seg(3)), dest, 4));
        assertArrayEquals(contents.get(3), Files.readAllBytes(dest));

        // a verified file whose record was removed
        Files.delete(area.resolve(seg(5) + ".walj-verified"));
        assertEquals(WalRestorer.Outcome.RESTORED, fetch.fetch(new WalFileName(seg(5)), dest, 4));
        assertArrayEquals(contents.get(5), Files.readAllBytes(dest));
    }

    @Test
    void aRecordOfAnotherArchiveDoesNotCount() throws IOException {
        fetchWithInProcessPrefetcher().fetch(new WalFileName(seg(1)), pgWal.resolve("RECOVERYXLOG"), 2);
        Path area = pgWal.resolve(".wal-e/prefetch");
        assertTrue(Files.isRegularFile(area.resolve(seg(2))));
        // the same segment name, prefetched by a wal-fetch whose prefix was another archive
        Path other = Files.createDirectories(tmp.resolve("other-archive/wal_005")).getParent();
        new FileStorage(other).put("wal_005/" + seg(2) + ".lzo", new ByteArrayInputStream(
                WalRestorerTest.encode(Compression.LZO, contents.get(7))), "application/octet-stream");
        Files.delete(area.resolve(seg(2)));
        Files.delete(area.resolve(seg(2) + ".walj-verified"));
        new WalPrefetcher(new WalRestorer(Archives.file(other))).prefetch(pgWal, List.of(sn(2)), 1);
        assertTrue(Files.isRegularFile(area.resolve(seg(2))));

        Path dest = pgWal.resolve("RECOVERYXLOG");
        assertEquals(WalRestorer.Outcome.RESTORED, fetchWithInProcessPrefetcher().fetch(new WalFileName(seg(2)), dest, 2));
        assertArrayEquals(contents.get(2), Files.readAllBytes(dest), "this archive's segment, not the other's");
    }

    @Test
    void aPromotedSegmentTakesItsRecordAlongAndStaleRecordsAreCleared() throws IOException {
        WalFetch fetch = fetchWithInProcessPrefetcher();
        Path dest = pgWal.resolve("RECOVERYXLOG");
        fetch.fetch(new WalFileName(seg(1)), dest, 2);
        Path area = pgWal.resolve(".wal-e/prefetch");
        fetch.fetch(new WalFileName(seg(2)), dest, 2);
        assertArrayEquals(contents.get(2), Files.readAllBytes(dest));
        assertFalse(Files.exists(area.resolve(seg(2) + ".walj-verified")));
        Files.writeString(area.resolve(seg(10) + ".walj-verified"), "stale");
        fetch.fetch(new WalFileName(seg(3)), dest, 2);
        assertFalse(Files.exists(area.resolve(seg(10) + ".walj-verified")));
    }

    @Test
    void stalePrefetchesOutsideTheWindowAreRemoved() throws IOException {
        Path area = Files.createDirectories(pgWal.resolve(".wal-e/prefetch/running/" + seg(11)));
        Files.writeString(pgWal.resolve(".wal-e/prefetch/" + seg(10)), "stale");
        fetchWithInProcessPrefetcher().fetch(new WalFileName(seg(1)), pgWal.resolve("RECOVERYXLOG"), 2);
        assertFalse(Files.exists(area));
        assertFalse(Files.exists(pgWal.resolve(".wal-e/prefetch/" + seg(10))));
    }

    @Test
    void theEndOfTheArchiveIsStillNotFoundWithPrefetchOn() throws IOException {
        assertEquals(WalRestorer.Outcome.NOT_FOUND,
                fetchWithInProcessPrefetcher().fetch(new WalFileName(seg(40)), pgWal.resolve("RECOVERYXLOG"), 3));
        assertFalse(Files.exists(pgWal.resolve("RECOVERYXLOG")));
        // nothing half-done is left behind for the segments that do not exist either
        assertEquals(List.of(), WalRestorerTest.files(pgWal.resolve(".wal-e/prefetch/running")));
    }

    @Test
    void historyFilesAreFetchedWithoutPrefetching() throws IOException {
        storage.put("wal_005/00000002.history.lzo", new ByteArrayInputStream(
                WalRestorerTest.encode(Compression.LZO, "1\t0/3000000\treason\n".getBytes())), "application/octet-stream");
        Path dest = pgWal.resolve("RECOVERYHISTORY");
        assertEquals(WalRestorer.Outcome.RESTORED,
                fetchWithInProcessPrefetcher().fetch(new WalFileName("00000002.history"), dest, 8));
        assertEquals("1\t0/3000000\treason\n", Files.readString(dest));
        assertEquals(List.of(), spawned);
    }

    private static String seg(int i) {
        return sn(i).toString();
    }

    private static SegmentName sn(int i) {
        return new SegmentName(1, 0, i);
    }
}
