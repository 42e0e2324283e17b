package org.walj.resident;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walj.archive.Archives;
import org.walj.logging.LogRoute;
import org.walj.logging.LogSetup;
import org.walj.pipeline.codecs.Compression;
import org.walj.storage.file.FileStorage;
import org.walj.wal.WalArchiver;

/**
 * The daemon's push-ahead with real files in a temporary pg_wal and the real file backend; {@link GatedStorageStandIn}
 * holds chosen uploads to catch them in the act. Nothing here measures time: waits are for outcomes, bounded only
 * so that a bug fails the test instead of hanging it.
 */
class PushAheadTest {
    private static final String S1 = "000000010000000000000001";
    private static final String S2 = "000000010000000000000002";
    private static final String S3 = "000000010000000000000003";
    private static final String S4 = "000000010000000000000004";
    private static final String S5 = "000000010000000000000005";

    @TempDir
    Path tmp;
    Path pgWal;
    Path status;
    GatedStorageStandIn storage;
    WalArchiver archiver;
    PushAhead ahead;
    final Map<String, byte[]> contents = new HashMap<>();

    @BeforeEach
    void setUp() throws IOException {
        // the daemon's level (wal-j daemon sets INFO); a --terse run earlier in this JVM would leave WARNING
        LogSetup.setTerse(false);
        pgWal = Files.createDirectories(tmp.resolve("pg_wal"));
        status = Files.createDirectories(pgWal.resolve("archive_status"));
        Path archive = Files.createDirectories(tmp.resolve("archive").resolve("wal_005")).getParent(); // an archive: wal_005/ exists
        storage = new GatedStorageStandIn(new FileStorage(archive));
        archiver = new WalArchiver(Archives.on(storage, archive, Archives.LZO));
        for (String s : new String[] {S1, S2, S3, S4, S5}) {
            segment(s);
            Files.createFile(status.resolve(s + ".ready"));
        }
    }

    @AfterEach
    void stop() {
        if (ahead != null) {
            ahead.shutdown(Duration.ofSeconds(10));
        }
    }

    @Test
    void answersBeforeTheBackgroundUploadsAndMarksThemDoneOnlyOnceStored() throws IOException {
        ahead = new PushAhead(archiver, 8, 4);
        for (String s : new String[] {S3, S4, S5}) {
            storage.hold(key(s));
        }

        ahead.archive(pgWal.resolve(S1), pgWal.resolve(S1), 32); // returns while the others are held

        eventually(() -> storage.waiting(key(S3)) && storage.waiting(key(S4)) && storage.waiting(key(S5)));
        for (String s : new String[] {S3, S4, S5}) {
            assertTrue(Files.exists(status.resolve(s + ".ready")), s + " not stored yet, so still .ready");
            storage.release(key(s));
        }
        eventually(ahead::idle);

        for (String s : new String[] {S1, S3, S4, S5}) {
            assertStored(s);
            assertEquals(1, storage.puts(key(s)), s + " uploaded once");
        }
        for (String s : new String[] {S3, S4, S5}) {
            assertTrue(Files.exists(status.resolve(s + ".done")), s + " marked done");
            assertFalse(Files.exists(status.resolve(s + ".ready")));
        }
        assertTrue(Files.exists(status.resolve(S1 + ".ready")), "the request's own .ready is PostgreSQL's to rename");
        // the oldest other one is PostgreSQL's next archive_command: left to it
        assertTrue(Files.exists(status.resolve(S2 + ".ready")));
        assertEquals(0, storage.puts(key(S2)));
    }

    @Test
    void pushesAtMostTheRequestsPoolSizeMinusOne() throws IOException {
        ahead = new PushAhead(archiver, 8, 4);
        ahead.archive(pgWal.resolve(S1), pgWal.resolve(S1), 2);
        eventually(ahead::idle);
        assertEquals(1, storage.puts(key(S3)));
        assertEquals(0, storage.puts(key(S4)) + storage.puts(key(S5)));

        ahead.archive(pgWal.resolve(S2), pgWal.resolve(S2), 1); // --pool-size 1: nothing ahead
        eventually(ahead::idle);
        assertEquals(0, storage.puts(key(S4)) + storage.puts(key(S5)));
    }

    @Test
    void aRequestForASegmentBeingPushedWaitsForThatUploadAndLeavesTheRenameToPostgres() throws Exception {
        ahead = new PushAhead(archiver, 8, 4);
        storage.hold(key(S3));
        ahead.archive(pgWal.resolve(S1), pgWal.resolve(S1), 32);
        eventually(() -> storage.waiting(key(S3)));

        CompletableFuture<Void> request = runAsync(() -> ahead.archive(Path.of("pg_wal", S3), pgWal.resolve(S3), 32));
        eventually(() -> ahead.awaited(pgWal.resolve(S3)));
        assertFalse(request.isDone(), "the request waits for the background upload");
        storage.release(key(S3));
        request.get();

        eventually(ahead::idle);
        assertEquals(1, storage.puts(key(S3)), "uploaded once, by the background");
        assertStored(S3);
        assertTrue(Files.exists(status.resolve(S3 + ".ready")), "PostgreSQL renames it after its archive_command");
        assertFalse(Files.exists(status.resolve(S3 + ".done")));
    }

    @Test
    void aRequestPushesItselfWhenTheBackgroundUploadItWaitedForFailed() throws Exception {
        ahead = new PushAhead(archiver, 8, 4);
        storage.hold(key(S3));
        storage.fail(key(S3), 1);
        ahead.archive(pgWal.resolve(S1), pgWal.resolve(S1), 32);
        eventually(() -> storage.waiting(key(S3)));

        CompletableFuture<Void> request = runAsync(() -> ahead.archive(pgWal.resolve(S3), pgWal.resolve(S3), 32));
        eventually(() -> ahead.awaited(pgWal.resolve(S3)));
        storage.release(key(S3));
        request.get();

        assertEquals(2, storage.puts(key(S3)), "the failed background upload, then the request's own");
        assertStored(S3);
        eventually(ahead::idle);
        assertTrue(Files.exists(status.resolve(S3 + ".ready")));
    }

    @Test
    void aFailedBackgroundUploadOnlyLeavesItsReadyFileForPostgres() throws IOException {
        ahead = new PushAhead(archiver, 8, 4);
        storage.fail(key(S4), 1);
        ahead.archive(pgWal.resolve(S1), pgWal.resolve(S1), 32);
        eventually(ahead::idle);

        assertEquals(1, storage.puts(key(S4)));
        assertTrue(Files.exists(status.resolve(S4 + ".ready")), "not stored: PostgreSQL archives it as usual");
        assertFalse(Files.exists(status.resolve(S4 + ".done")));
        assertTrue(Files.exists(status.resolve(S3 + ".done")), "the others are not affected");
        assertTrue(Files.exists(status.resolve(S5 + ".done")));

        ahead.archive(pgWal.resolve(S4), pgWal.resolve(S4), 32); // PostgreSQL's call: uploaded for real now
        assertEquals(2, storage.puts(key(S4)));
        assertStored(S4);
    }

    @Test
    void aSegmentStoredMomentsAgoIsNotUploadedAgainUnlessTheFileChanged() throws IOException {
        ahead = new PushAhead(archiver, 8, 4);
        ahead.archive(pgWal.resolve(S1), pgWal.resolve(S1), 32);
        eventually(ahead::idle);
        assertEquals(1, storage.puts(key(S3)));

        ahead.archive(pgWal.resolve(S3), pgWal.resolve(S3), 1); // PostgreSQL's call raced the rename
        assertEquals(1, storage.puts(key(S3)), "answered without a second upload");

        Files.setLastModifiedTime(pgWal.resolve(S3), FileTime.fromMillis(1_000_000_000_000L));
        ahead.archive(pgWal.resolve(S3), pgWal.resolve(S3), 1);
        assertEquals(2, storage.puts(key(S3)), "another mtime: another file, uploaded");

        ahead.archive(pgWal.resolve(S1), pgWal.resolve(S1), 1); // a retry of the request's own segment
        assertEquals(1, storage.puts(key(S1)));
    }

    @Test
    void aQueuedBackgroundUploadIsTakenOverByTheRequestInsteadOfWaitingForAWorker() throws IOException {
        ahead = new PushAhead(archiver, 8, 1); // one worker: S3 runs (held), S4 and S5 queue behind it
        storage.hold(key(S3));
        ahead.archive(pgWal.resolve(S1), pgWal.resolve(S1), 32);
        eventually(() -> storage.waiting(key(S3)));

        ahead.archive(pgWal.resolve(S4), pgWal.resolve(S4), 1); // returns although the only worker is stuck
        assertEquals(1, storage.puts(key(S4)));
        assertStored(S4);

        storage.release(key(S3));
        eventually(ahead::idle);
        assertEquals(1, storage.puts(key(S4)), "the worker skipped the segment the request took");
        assertTrue(Files.exists(status.resolve(S4 + ".ready")), "the request's: PostgreSQL renames it");
        assertTrue(Files.exists(status.resolve(S5 + ".done")));
    }

    @Test
    void neverTakesASegmentARequestIsPushing() throws Exception {
        ahead = new PushAhead(archiver, 8, 4);
        storage.hold(key(S3));
        CompletableFuture<Void> request = runAsync(() -> ahead.archive(pgWal.resolve(S3), pgWal.resolve(S3), 1));
        eventually(() -> storage.waiting(key(S3)));

        ahead.archive(pgWal.resolve(S1), pgWal.resolve(S1), 32);
        eventually(() -> storage.puts(key(S4)) == 1 && storage.puts(key(S5)) == 1 && ahead.idle());
        storage.release(key(S3));
        request.get();

        assertEquals(1, storage.puts(key(S3)));
        assertTrue(Files.exists(status.resolve(S3 + ".ready")));
        assertTrue(Files.exists(status.resolve(S4 + ".done")));
    }

    @Test
    void backgroundRecordsStayOutOfTheRequestsLogRoute() throws IOException {
        ahead = new PushAhead(archiver, 8, 4);
        ByteArrayOutputStream client = new ByteArrayOutputStream();
        try (LogRoute route = LogRoute.open(client)) {
            ahead.archive(pgWal.resolve(S1), pgWal.resolve(S1), 32); // starts the worker threads from this one
            eventually(ahead::idle);
        }
        String routed = client.toString(StandardCharsets.UTF_8);
        assertTrue(routed.contains("seg=" + S1), "the request's own records reach its client:\n" + routed);
        assertFalse(routed.contains("seg=" + S3), "background uploads are the daemon's own:\n" + routed);
        assertFalse(routed.contains("pushed a segment ahead"), routed);
        assertTrue(Files.exists(status.resolve(S3 + ".done")));
    }

    @Test
    void stoppingAbandonsUnfinishedUploadsWithoutMarkingThemDone() throws IOException {
        ahead = new PushAhead(archiver, 8, 1);
        storage.hold(key(S3)); // never released: the upload is interrupted; S4 and S5 never start
        ahead.archive(pgWal.resolve(S1), pgWal.resolve(S1), 32);
        eventually(() -> storage.waiting(key(S3)));

        ahead.shutdown(Duration.ofMillis(200));
        ahead = null;

        for (String s : new String[] {S3, S4, S5}) {
            assertTrue(Files.exists(status.resolve(s + ".ready")), s + " still .ready");
            assertFalse(Files.exists(status.resolve(s + ".done")), s + " not marked done");
        }
        assertEquals(0, storage.puts(key(S4)) + storage.puts(key(S5)));
        assertEquals(java.util.List.of("wal_005/" + S1 + ".lzo"),
                storage.list("").stream().map(o -> o.key()).toList(), "only the request's segment is stored");
    }

    @Test
    void aSegmentMarkedReadyWithNothingElseWaitingIsStoredBeforeItsRequestArrives() throws Exception {
        for (String s : new String[] {S2, S3, S4, S5}) {
            Files.delete(status.resolve(s + ".ready"));
        }
        ahead = new PushAhead(archiver, 8, 4);
        ahead.archive(pgWal.resolve(S1), pgWal.resolve(S1), 32); // the first request: its directory is watched
        Files.move(status.resolve(S1 + ".ready"), status.resolve(S1 + ".done")); // PostgreSQL's rename

        Files.createFile(status.resolve(S2 + ".ready")); // as PostgreSQL marks the next segment
        eventually(() -> storage.puts(key(S2)) == 1 && ahead.idle());
        assertStored(S2);
        assertTrue(Files.exists(status.resolve(S2 + ".ready")), "the rename stays PostgreSQL's: its request is coming");

        ahead.archive(pgWal.resolve(S2), pgWal.resolve(S2), 32); // archive_command's request
        assertEquals(1, storage.puts(key(S2)), "answered from the upload that started when the segment was marked");
    }

    @Test
    void withABacklogAMarkedSegmentIsLeftForTheScanThatRenames() throws Exception {
        ahead = new PushAhead(archiver, 8, 4);
        ahead.archive(pgWal.resolve(S1), pgWal.resolve(S1), 1); // no scan: S2..S5 stay ready, unstored
        ahead.anticipate(pgWal.resolve(S5));
        assertTrue(ahead.idle(), "nothing started for S5: older segments wait");
        assertEquals(0, storage.puts(key(S5)));
    }

    private interface Action {
        void run() throws Exception;
    }

    private static CompletableFuture<Void> runAsync(Action action) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                action.run();
                f.complete(null);
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        t.setDaemon(true);
        t.start();
        return f;
    }

    private static void eventually(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("condition not reached within 30 s");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }

    private void assertStored(String segment) throws IOException {
        try (InputStream in = Compression.LZO.decompress(storage.get(key(segment)))) {
            assertArrayEquals(contents.get(segment), in.readAllBytes(), segment + " decodes to the file's bytes");
        }
    }

    private static String key(String segment) {
        return "wal_005/" + segment + ".lzo";
    }

    private void segment(String name) throws IOException {
        byte[] content = new byte[256 << 10];
        Random r = new Random(name.hashCode());
        for (int i = 0; i < content.length; i += 32) {
            content[i] = (byte) r.nextInt();
        }
        Files.write(pgWal.resolve(name), content);
        contents.put(name, content);
    }
}
