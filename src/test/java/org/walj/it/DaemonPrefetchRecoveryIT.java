package org.walj.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.walj.it.harness.Compare;
import org.walj.it.harness.PgCluster;
import org.walj.it.harness.ResidentDaemon;
import org.walj.it.harness.Scratch;
import org.walj.it.harness.ScratchExtension;
import org.walj.it.harness.WalJ;

/**
 * wal-fetch's prefetch inside the daemon (docs/daemon.md, "What the daemon does with a request"), with a real
 * PostgreSQL 15 recovering through the unchanged {@code wal-j wal-fetch %f %p}: the daemon downloads the next segments
 * in its own tasks while PostgreSQL replays, and the requests are answered from its prefetch area. A damaged object
 * in the middle must still stop recovery, and a missing one end it exactly where the archive ends, as a wal-fetch
 * without a daemon does (FetchFailureStopsRecoveryIT).
 */
@ExtendWith(ScratchExtension.class)
class DaemonPrefetchRecoveryIT {
    private static final int SEGMENTS = 12;
    private static final Pattern PROMOTED = Pattern.compile(
            "MSG: promoted prefetched wal segment\\n\\s+STRUCTURED: .* seg=([0-9A-F]{24})");
    private static final Pattern PREFETCHED = Pattern.compile(
            "MSG: prefetched a segment\\n\\s+STRUCTURED: .* seg=([0-9A-F]{24})");

    /** The source's segments, its table's dump, and the daemon's environment. */
    private record Source(PgCluster restored, List<String> segments, Path expected, Map<String, String> walEnv,
                          Path archive) {
    }

    @Test
    void aRecoveryIsServedFromTheDaemonsPrefetchAndComparesRowByRow(Scratch scratch) throws Exception {
        WalJ walj = WalJ.install(scratch);
        Source src = archivedSource(scratch, walj);
        ResidentDaemon daemon = ResidentDaemon.start(walj, src.walEnv(), scratch, "daemon");

        src.restored().recoverWith(walj.shellCommand("wal-fetch", "%f", "%p"), src.walEnv(), Duration.ofMinutes(3));
        Path dump = scratch.file("dumps/t-restored.tsv");
        src.restored().dumpTable("t", dump);
        Compare.assertSameLines(src.expected(), dump, "table t recovered through the daemon");
        assertEquals(SEGMENTS * 500L, src.restored().count("t"));
        src.restored().stop();

        String serverLog = Files.readString(src.restored().logFile());
        assertFalse(serverLog.contains("working in-process"), "every wal-fetch was served by the daemon\n" + serverLog);
        assertFalse(serverLog.contains("discarded a prefetched file"), "nothing unverified was offered\n" + serverLog);
        Set<String> promoted = segs(PROMOTED, serverLog);
        Set<String> prefetched = segs(PREFETCHED, daemon.log());
        // the first segment is asked for before anything was prefetched; under load a few more may be fetched
        // in-band when PostgreSQL is quicker than the download: most must come from the prefetch area
        assertTrue(promoted.size() >= SEGMENTS / 2, "segments served from the prefetch: " + promoted + "\n"
                + serverLog);
        assertTrue(prefetched.containsAll(promoted), "every promoted segment was prefetched by the daemon itself: "
                + promoted + " vs " + prefetched + "\n" + daemon.log());
        assertTrue(src.segments().containsAll(promoted), promoted + " within " + src.segments());
        assertTrue(daemon.served("wal-fetch") >= SEGMENTS, "the daemon served the recovery:\n" + daemon.log());
        daemon.terminate();
    }

    /**
     * A damaged object the daemon meets while prefetching: its task fails (logged in the daemon's log), nothing is
     * placed in the area, and PostgreSQL's request for that segment downloads it in-band and fails with the fatal
     * status: recovery stops without promoting. Repaired, the restart finishes with every row.
     */
    @Test
    void aDamagedObjectMidRecoveryStopsItAsWithoutTheDaemon(Scratch scratch) throws Exception {
        WalJ walj = WalJ.install(scratch);
        Source src = archivedSource(scratch, walj);
        String damaged = src.segments().get(5);
        Path object = src.archive().resolve("wal_005/" + damaged + ".lzo");
        byte[] good = Files.readAllBytes(object);
        byte[] bad = good.clone();
        bad[bad.length - 100] ^= 0x01;
        Files.write(object, bad);
        ResidentDaemon daemon = ResidentDaemon.start(walj, src.walEnv(), scratch, "daemon");

        PgCluster restored = src.restored();
        restored.configure(Map.of("restore_command", walj.shellCommand("wal-fetch", "%f", "%p"),
                "recovery_target_timeline", "latest"));
        restored.serverEnv(src.walEnv());
        restored.createRecoverySignal();
        FetchFailureStopsRecoveryIT.startExpectingFatal(restored);
        String log = restored.logTail(300);
        FetchFailureStopsRecoveryIT.assertStoppedWithoutPromoting(restored, log);
        assertFalse(log.contains("working in-process"), "the daemon itself answered the failure\n" + log);
        assertTrue(daemon.log().contains("could not prefetch a segment"), "the daemon met the damage while "
                + "prefetching\n" + daemon.log());
        assertFalse(segs(PROMOTED, Files.readString(restored.logFile())).contains(damaged),
                "the damaged segment was never promoted");

        Files.write(object, good);
        restored.start(Duration.ofMinutes(1));
        restored.waitRecoveryFinished(Duration.ofMinutes(3));
        Path dump = scratch.file("dumps/t-restored.tsv");
        restored.dumpTable("t", dump);
        Compare.assertSameLines(src.expected(), dump, "table t after the repaired recovery");
        restored.stop();
        daemon.terminate();
    }

    /**
     * A missing object in the middle: the daemon's prefetch of it finds nothing, the request answers "not in the
     * archive" (exit 1) as wal-fetch without a daemon does, and PostgreSQL ends recovery right there, with exactly
     * the rows of the segments before it — the segments prefetched after the gap are never used.
     */
    @Test
    void aMissingObjectMidRecoveryEndsItAtTheGapAsWithoutTheDaemon(Scratch scratch) throws Exception {
        WalJ walj = WalJ.install(scratch);
        Source src = archivedSource(scratch, walj);
        int gap = 6;
        String missing = src.segments().get(gap);
        Files.move(src.archive().resolve("wal_005/" + missing + ".lzo"), scratch.root().resolve(missing + ".lzo"));
        ResidentDaemon daemon = ResidentDaemon.start(walj, src.walEnv(), scratch, "daemon");

        src.restored().recoverWith(walj.shellCommand("wal-fetch", "%f", "%p"), src.walEnv(), Duration.ofMinutes(3));
        assertEquals(gap * 500L, src.restored().count("t"), "rows of the segments before the gap only");
        String serverLog = Files.readString(src.restored().logFile());
        Set<String> promoted = segs(PROMOTED, serverLog);
        assertTrue(promoted.stream().allMatch(s -> s.compareTo(missing) < 0),
                "nothing after the gap was used: " + promoted);
        assertTrue(serverLog.contains("could no longer locate object while performing wal restore"),
                "wal-fetch said the segment is not in the archive\n" + serverLog);
        assertFalse(serverLog.contains("working in-process"), "the daemon answered\n" + serverLog);
        // the downloads past the gap were queued before PostgreSQL asked for the gap; they may end after it
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (segs(PREFETCHED, daemon.log()).stream().noneMatch(s -> s.compareTo(missing) > 0)) {
            assertTrue(System.nanoTime() < deadline, "the daemon prefetched past the gap (so the test shows those "
                    + "are not used)\n" + daemon.log());
            Thread.sleep(200);
        }
        src.restored().stop();
        daemon.terminate();
    }

    /**
     * A source archiving through wal-j, a base backup of it, then {@link #SEGMENTS} segments of 500 rows each; the
     * source is stopped. The daemon's socket is in a private directory of the server's user.
     */
    private static Source archivedSource(Scratch scratch, WalJ walj) throws IOException {
        Path archive = scratch.archive("archive");
        Map<String, String> walEnv = walj.fileArchiveEnv(archive);
        Path runDir = scratch.user().createDirectory(scratch.root().resolve("run"));
        walEnv.put("WALJ_DAEMON_SOCKET", runDir.resolve("daemon.sock").toString());

        PgCluster source = FetchFailureStopsRecoveryIT.archivingSource(scratch, walj, walEnv);
        PgCluster restored = source.baseBackup("restored");
        List<String> segments = new ArrayList<>();
        Path expected = FetchFailureStopsRecoveryIT.writeSegments(scratch, source, SEGMENTS, segments);
        return new Source(restored, segments, expected, walEnv, archive);
    }

    private static Set<String> segs(Pattern records, String log) {
        return records.matcher(log).results().map(m -> m.group(1)).collect(Collectors.toSet());
    }
}
