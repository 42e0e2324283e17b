package org.walj.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.walj.it.harness.ArchivingCluster;
import org.walj.it.harness.Compare;
import org.walj.it.harness.Exec;
import org.walj.it.harness.PgCluster;
import org.walj.it.harness.ResidentDaemon;
import org.walj.it.harness.RestoreAndCompare;
import org.walj.it.harness.Scratch;
import org.walj.it.harness.ScratchExtension;
import org.walj.it.harness.SourceState;
import org.walj.it.harness.Tools;
import org.walj.it.harness.WalJ;

/**
 * The daemon pushes {@code .ready} segments ahead in the background (docs/daemon.md, "Pushing ahead"): a real
 * PostgreSQL 15 whose unchanged {@code archive_command} reaches the daemon produces segments faster than one
 * archive_command per segment can keep up with; the daemon stores some of them before PostgreSQL asks and marks
 * them {@code .done}, so PostgreSQL never calls archive_command for those. Every segment must still be in the archive
 * with its exact bytes, and a recovery through the archive must give the same rows.
 */
@ExtendWith(ScratchExtension.class)
class DaemonPushAheadIT {
    private static final Pattern SEGMENT = Pattern.compile("[0-9A-F]{24}");
    private static final Pattern PUSHED_AHEAD = Pattern.compile(
            "MSG: pushed a segment ahead\\n.*\\n\\s+STRUCTURED: .* seg=([0-9A-F]{24}) state=done");
    private static final Pattern REQUESTED = Pattern.compile(
            "MSG: served a request\\n\\s+DETAIL: wal-push \\S*?([0-9A-F]{24}) ");
    private static final int SWITCHES = 40;

    @Test
    void segmentsPushedAheadAreStoredWholeAndPostgresSkipsThem(Scratch scratch) throws Exception {
        Path lzop = Tools.require("lzop", "lzop");
        WalJ walj = WalJ.install(scratch);
        Path archive = scratch.archive("archive");
        Map<String, String> walEnv = daemonEnv(walj, archive, scratch);
        ResidentDaemon daemon = ResidentDaemon.start(walj, walEnv, scratch, "daemon", "--threads", "4");
        assertTrue(daemon.log().contains("pushing up to 4 ready segments ahead"), daemon.log());

        PgCluster source = ArchivingCluster.initdb(scratch, walj, "src", walEnv)
                .configure(Map.of("wal_keep_size", "2GB", "max_wal_size", "4GB"));
        source.start();
        source.psql("CREATE TABLE t (id bigint PRIMARY KEY, payload text NOT NULL)");
        PgCluster restored = source.baseBackup("restored");

        // A backlog on purpose: PostgreSQL's archiver is held (SIGSTOP) while the segments are written and the daemon
        // is restarted meanwhile, so the new one first sees this pg_wal at the first request after the archiver goes
        // on, with some forty segments ready. Left to the machine's speed (a backlog only when archive_command falls
        // behind), the daemon's watcher stored every segment as it appeared on an idle machine, nothing was left to
        // push ahead and rename, and the test failed.
        waitNothingReady(source, source.switchWal(), Duration.ofMinutes(2));
        String archiver = source.psql("SELECT pid FROM pg_stat_activity WHERE backend_type = 'archiver'");
        signal(archiver, "STOP");
        try {
            daemon.terminate();
            // many segments at once: each committed batch of rows ends its segment
            source.psql("DO $$ BEGIN FOR i IN 1.." + SWITCHES + " LOOP "
                    + "INSERT INTO t SELECT g, md5(g::text) FROM generate_series(i * 1000, i * 1000 + 999) g; "
                    + "COMMIT; PERFORM pg_switch_wal(); END LOOP; END $$");
            daemon = ResidentDaemon.start(walj, walEnv, scratch, "daemon-after", "--threads", "4");
        } finally {
            signal(archiver, "CONT");
        }
        source.psql("UPDATE t SET payload = 'changed' WHERE id % 7 = 0");
        String last = source.switchWal();
        waitNothingReady(source, last, Duration.ofMinutes(2));

        // --- the daemon stored segments PostgreSQL never asked for
        String log = daemon.log();
        Set<String> requested = REQUESTED.matcher(log).results().map(r -> r.group(1))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> ahead = PUSHED_AHEAD.matcher(log).results().map(r -> r.group(1))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> neverRequested = new TreeSet<>(ahead);
        neverRequested.removeAll(requested);
        assertFalse(neverRequested.isEmpty(), "some segments were archived without a request for them: pushed ahead "
                + ahead + ", requested " + requested + "\n" + log);
        PgCluster.ArchiverStats stats = source.archiverStats();
        assertEquals(0, stats.failedCount(), "archive_command never failed: " + stats);
        String pgLog = Files.readString(source.logFile());
        assertFalse(pgLog.contains("working in-process"), "every call went to the daemon:\n" + source.logTail(40));
        assertFalse(pgLog.contains("pushed a segment ahead"),
                "background records stay in the daemon's log, never reach a client");

        // --- every segment up to the last switch is in the archive: lzop -t passes, the bytes are the segment's
        SourceState expected = SourceState.capture(source, List.of("t"), scratch.dir("dumps/src"));
        int segments = checkArchive(archive.resolve("wal_005"), source.pgWal(), last, lzop, scratch);
        assertTrue(segments >= SWITCHES, "segments checked: " + segments);
        assertTrue(stats.archivedCount() < segments, "fewer archive_command calls (" + stats.archivedCount()
                + ") than segments archived (" + segments + ")");
        System.out.printf("DaemonPushAheadIT: %d segments archived, %d archive_command calls, %d pushed ahead and"
                        + " marked done (%d of them never requested), %d rename WARNINGs in PostgreSQL's log%n",
                segments, stats.archivedCount(), ahead.size(), neverRequested.size(),
                Pattern.compile("WARNING: .*could not rename file \"pg_wal/archive_status").matcher(pgLog).results()
                        .count());
        source.stop();

        // --- recovery through the archive, row by row
        RestoreAndCompare.throughWalFetch(restored, walj, walEnv, Duration.ofMinutes(2), expected, "pushed-ahead");

        daemon.terminate();
        assertTrue(daemon.log().contains("MSG: daemon stopped"), daemon.log());
    }

    private static final Pattern EARLY_BLOCKS = Pattern.compile(
            "STRUCTURED: .* early_blocks=([0-9]+) .*seg=([0-9A-F]{24}) state=complete");

    /**
     * The daemon compresses the blocks of the segment PostgreSQL is writing while it writes it (docs/daemon.md,
     * "Compressing while PostgreSQL writes"); the push after the {@code .ready} takes them where the segment still
     * has the same bytes. A real PostgreSQL writes segments of rows at a pace, with no switch; every segment must be
     * in the archive with its exact bytes (read back by the real lzop) and a recovery must give the same rows.
     */
    @Test
    void blocksCompressedWhilePostgresWritesMakeTheSameObjects(Scratch scratch) throws Exception {
        Path lzop = Tools.require("lzop", "lzop");
        WalJ walj = WalJ.install(scratch);
        Path archive = scratch.archive("archive");
        Map<String, String> walEnv = daemonEnv(walj, archive, scratch);
        ResidentDaemon daemon = ResidentDaemon.start(walj, walEnv, scratch, "daemon", "--threads", "2",
                "--compress-early");

        PgCluster source = ArchivingCluster.initdb(scratch, walj, "src", walEnv)
                .configure(Map.of("wal_keep_size", "1GB", "max_wal_size", "2GB"));
        source.start();
        source.psql("CREATE TABLE t (id bigint PRIMARY KEY, payload text NOT NULL)");
        PgCluster restored = source.baseBackup("restored");
        // a first request: from then on the daemon watches this pg_wal and follows the segment being written
        waitNothingReady(source, source.switchWal(), Duration.ofMinutes(2));

        // ~8 segments of rows, written in small transactions with pauses: segments fill while the daemon polls
        source.psql("DO $$ BEGIN FOR i IN 1..60 LOOP "
                + "INSERT INTO t SELECT g, md5(g::text) || md5((g + 1)::text) FROM generate_series(i * 10000, i * 10000 + 9999) g; "
                + "COMMIT; PERFORM pg_sleep(0.05); END LOOP; END $$");
        String last = source.switchWal();
        waitNothingReady(source, last, Duration.ofMinutes(2));

        String log = daemon.log();
        Map<String, Integer> early = EARLY_BLOCKS.matcher(log).results().collect(Collectors.toMap(
                r -> r.group(2), r -> Integer.parseInt(r.group(1)), Math::max, java.util.TreeMap::new));
        // each of the ~8 segments is followed, even when PostgreSQL creates it after marking the one before ready
        assertTrue(early.values().stream().filter(n -> n >= 8).count() >= 3,
                "segments were pushed with blocks compressed while PostgreSQL wrote them: " + early + "\n" + log);
        assertEquals(0, source.archiverStats().failedCount(), "archive_command never failed");

        SourceState expected = SourceState.capture(source, List.of("t"), scratch.dir("dumps/src"));
        int segments = checkArchive(archive.resolve("wal_005"), source.pgWal(), last, lzop, scratch);
        System.out.printf("DaemonPushAheadIT: %d segments archived, blocks compressed early per segment: %s%n",
                segments, early);
        source.stop();
        RestoreAndCompare.throughWalFetch(restored, walj, walEnv, Duration.ofMinutes(2), expected, "early-blocks");
        daemon.terminate();
    }

    /** The file archive's variables, and the socket of a daemon this test starts in a directory of the server's user. */
    private static Map<String, String> daemonEnv(WalJ walj, Path archive, Scratch scratch) throws Exception {
        Path runDir = scratch.user().createDirectory(scratch.root().resolve("run"));
        Map<String, String> walEnv = walj.fileArchiveEnv(archive);
        walEnv.put("WALJ_DAEMON_SOCKET", runDir.resolve("daemon.sock").toString());
        return walEnv;
    }

    private static void signal(String pid, String signal) throws Exception {
        assertTrue(pid.matches("[0-9]+"), "the archiver's pid: " + pid);
        Process kill = new ProcessBuilder("kill", "-" + signal, pid).inheritIO().start();
        assertTrue(kill.waitFor(30, TimeUnit.SECONDS), "kill -" + signal + " " + pid);
        assertEquals(0, kill.exitValue(), "kill -" + signal + " " + pid);
    }

    /** Until {@code last} is done and no .ready file is left (pushed ahead or archived by archive_command). */
    private static void waitNothingReady(PgCluster pg, String last, Duration timeout) throws Exception {
        Path status = pg.pgWal().resolve("archive_status");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> ready;
            try (Stream<Path> s = Files.list(status)) {
                ready = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".ready")).sorted().toList();
            }
            if (ready.isEmpty() && Files.exists(status.resolve(last + ".done"))) {
                return;
            }
            assertEquals(0, pg.archiverStats().failedCount(), "archive_command failed:\n" + pg.logTail(40));
            assertTrue(System.nanoTime() < deadline, "still ready after " + timeout.toSeconds() + " s: " + ready
                    + "\n" + pg.logTail(40));
            Thread.sleep(200);
        }
    }

    /** Checks every segment up to {@code last} that is still in pg_wal; returns how many. */
    private static int checkArchive(Path wal005, Path pgWal, String last, Path lzop, Scratch scratch) throws Exception {
        List<String> names;
        try (Stream<Path> s = Files.list(pgWal)) {
            names = s.map(p -> p.getFileName().toString())
                    .filter(n -> SEGMENT.matcher(n).matches() && n.compareTo(last) <= 0).sorted().toList();
        }
        Path out = scratch.file("lzop-out/decompressed");
        for (String name : names) {
            assertTrue(Files.exists(pgWal.resolve("archive_status").resolve(name + ".done")), name + " is done");
            Path object = wal005.resolve(name + ".lzo");
            assertTrue(Files.exists(object), name + " is in the archive");
            Exec.of(lzop.toString(), "-t", object.toString()).runOk();
            Files.deleteIfExists(out);
            Exec.of(lzop.toString(), "-d", "-c", object.toString()).stdoutTo(out).runOk();
            Compare.assertSameBytes(pgWal.resolve(name), out, name);
        }
        return names.size();
    }
}
