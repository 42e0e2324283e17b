package org.walj.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.walj.it.harness.ArchivingCluster;
import org.walj.it.harness.OnDiskScratch;
import org.walj.it.harness.PgCluster;
import org.walj.it.harness.ProcessResult;
import org.walj.it.harness.RestoreAndCompare;
import org.walj.it.harness.Scratch;
import org.walj.it.harness.ScratchExtension;
import org.walj.it.harness.SourceState;
import org.walj.it.harness.WalJ;

/**
 * backup-fetch over an existing data directory on a real PostgreSQL 15, wal-j on both sides: a copy restored from
 * an online backup, started and changed (rows updated, a table dropped, one added), stopped, then
 * {@code backup-fetch --delta} of the same backup over it; it recovers through wal-fetch to the source's last write
 * and equals the source table by table, having written a fraction of a full restore's bytes. And a backup-fetch
 * SIGKILLed part-way, its rerun SIGKILLed too (at seeded points), run once more with the same arguments: it
 * continues, reading and writing less than a full restore, and the result recovers and compares equal.
 */
@ExtendWith(ScratchExtension.class)
@OnDiskScratch // its kills land at seeded times: on tmpfs the restore could finish before them
class DeltaRestoreIT {
    private static final List<String> TABLES = List.of("pgbench_accounts", "pgbench_branches", "pgbench_history",
            "steady", "changed", "dropped", "marker");
    private static final Pattern WROTE = Pattern.compile("Wrote (\\d+) bytes of files, read (\\d+) of (\\d+) "
            + "partitions \\((\\d+) bytes from storage\\)");

    /** A source with an online backup of about 330 MB of PGDATA (two partitions), writing after it. */
    private record Source(PgCluster cluster, WalJ walj, Map<String, String> env) {
    }

    private static Source source(Scratch scratch) {
        WalJ walj = WalJ.install(scratch);
        Map<String, String> env = new LinkedHashMap<>(walj.fileArchiveEnv(scratch.archive("archive")));
        PgCluster source = ArchivingCluster.initdb(scratch, walj, "src", env)
                .configure(ArchivingCluster.SHORT_CHECKPOINTS);
        source.start();
        source.pgbench(Duration.ofMinutes(5), "-i", "-s", "20", "-q");
        source.psql("CREATE TABLE steady AS SELECT g AS id, md5(g::text) AS v FROM generate_series(1, 50000) g;"
                + "CREATE TABLE changed (id int PRIMARY KEY, v text);"
                + "INSERT INTO changed SELECT g, md5(g::text) FROM generate_series(1, 50000) g;"
                + "CREATE TABLE dropped AS SELECT g AS id, md5(g::text) AS v FROM generate_series(1, 50000) g;"
                + "CREATE TABLE marker (id int PRIMARY KEY, note text NOT NULL);"
                + "INSERT INTO marker SELECT g, 'before backup' FROM generate_series(1, 1000) g;"
                + "VACUUM ANALYZE; CHECKPOINT");
        Map<String, String> pgEnv = new LinkedHashMap<>(env);
        pgEnv.putAll(source.clientEnv());
        walj.run(pgEnv, Duration.ofMinutes(10), "backup-push", "--pool-size", "2", source.dataDir().toString())
                .requireSuccess();
        source.psql("INSERT INTO marker SELECT g, 'after backup' FROM generate_series(1001, 2000) g;"
                + "UPDATE changed SET v = 'source ' || id WHERE id % 100 = 0");
        source.pgbench(Duration.ofMinutes(2), "-t", "200", "-c", "2");
        return new Source(source, walj, env);
    }

    /** The source's last write, archived, and its tables: what every recovered copy must equal. */
    private static SourceState finalState(Scratch scratch, Source s) {
        s.cluster().psql("INSERT INTO marker VALUES (0, 'last write')");
        SourceState state = SourceState.capture(s.cluster(), TABLES, scratch.dir("dumps/source"));
        s.cluster().waitArchived(s.cluster().switchWal(), Duration.ofMinutes(2));
        return state;
    }

    @Test
    void deltaRestoreOfADriftedCopyWritesAFractionAndRecoversEqual(Scratch scratch) throws IOException {
        Source s = source(scratch);
        WalJ walj = s.walj();
        PgCluster copy = PgCluster.unfilled(scratch, "copy");
        ProcessResult full = walj.run(s.env(), Duration.ofMinutes(10), "backup-fetch", "--pool-size", "2",
                copy.dataDir().toString(), "LATEST").requireSuccess();
        long[] fullFigures = figures(full);
        copy.adoptConfigurationOf(s.cluster()).recoverWith(walj.shellCommand("wal-fetch", "%f", "%p"), s.env(),
                Duration.ofMinutes(5));

        // the copy drifts: it is a promoted server of its own now (timeline 2, archive_mode off)
        copy.psql("UPDATE changed SET v = 'drifted' WHERE id % 10 = 0; DROP TABLE dropped;"
                + "CREATE TABLE added AS SELECT g AS id FROM generate_series(1, 20000) g;"
                + "INSERT INTO marker VALUES (-1, 'only on the copy'); CHECKPOINT");
        copy.stop();
        Files.writeString(copy.dataDir().resolve("pg_ident.conf"), "# the operator's own\n",
                java.nio.file.StandardOpenOption.APPEND);
        String ident = Files.readString(copy.dataDir().resolve("pg_ident.conf"));
        SourceState state = finalState(scratch, s);

        // without --delta the directory is someone else's: refused, untouched
        ProcessResult refused = walj.run(s.env(), "backup-fetch", copy.dataDir().toString(), "LATEST");
        assertEquals(1, refused.exitCode(), refused.describe());
        assertTrue(refused.stderr().contains("MSG: refusing to restore into the non-empty data directory"),
                refused.describe());

        ProcessResult delta = walj.run(s.env(), Duration.ofMinutes(10), "backup-fetch", "--delta", "--pool-size",
                "2", copy.dataDir().toString(), "LATEST").requireSuccess();
        long[] deltaFigures = figures(delta);
        assertEquals(ident, Files.readString(copy.dataDir().resolve("pg_ident.conf")), "the operator's file stays");
        assertTrue(Files.readString(copy.dataDir().resolve("postgresql.conf")).contains("archive_mode = 'off'"));
        System.out.printf("DeltaRestoreIT figures: full restore wrote %d bytes, read %d of %d partitions (%d bytes);"
                        + " delta wrote %d bytes, read %d of %d partitions (%d bytes)%n", fullFigures[0],
                fullFigures[1], fullFigures[2], fullFigures[3], deltaFigures[0], deltaFigures[1], deltaFigures[2],
                deltaFigures[3]);
        assertTrue(delta.stderr().contains("Delta restore: kept "), delta.describe());
        assertTrue(deltaFigures[0] * 5 < fullFigures[0], "the delta writes a small fraction: "
                + deltaFigures[0] + " of " + fullFigures[0] + " bytes\n" + delta.stderr());

        RestoreAndCompare.throughWalFetch(copy, walj, s.env(), Duration.ofMinutes(5), state, "file");
        copy.start();
        assertEquals("f", copy.psql("SELECT to_regclass('added') IS NOT NULL"), "the copy's own table is gone");
        assertEquals("0", copy.psql("SELECT count(*) FROM marker WHERE id = -1"));
        copy.stop();
        s.cluster().stop();
    }

    /**
     * Kill 1: one partition at a time, SIGKILLed a seeded 0-1 s after the second partition began (the first is then
     * complete, the second part-written; where it had finished by then, again on a fresh directory with no pause).
     * Kill 2: the rerun, SIGKILLed a seeded 1-6 s after it started (comparing, writing, or finishing), unless it
     * completed first. The run that completes (the third, or the second) continues the interrupted restore: it reads
     * less from storage than a full restore (the first partition is not read again) and writes less.
     */
    @Test
    void aKilledFetchContinuesWhenRunAgain(Scratch scratch) throws IOException, InterruptedException {
        Source s = source(scratch);
        WalJ walj = s.walj();
        SourceState state = finalState(scratch, s);
        Random random = new Random(20261207L);
        // On a quiet machine a partition can be restored within the seeded pause: then the same kill is tried
        // again on a fresh directory with no pause (the poll sees the log line within ~20 ms of its writing).
        PgCluster copy = null;
        String[] fetch = null;
        for (int attempt = 0; attempt < 3 && fetch == null; attempt++) {
            PgCluster candidate = PgCluster.unfilled(scratch, "resumed-" + attempt);
            String[] command = {"backup-fetch", "--pool-size", "1", candidate.dataDir().toString(), "LATEST"};
            Path err1 = scratch.file("fetch-1-" + attempt + ".err");
            Process first = walj.start(s.env(), scratch.file("fetch-1-" + attempt + ".out"), err1, command);
            awaitLog(first, err1, "MSG: beginning partition download", 2);
            Thread.sleep(attempt == 0 ? random.nextInt(1000) : 0);
            if (kill(first)) {
                copy = candidate;
                fetch = command;
            } else {
                System.out.println("DeltaRestoreIT resume: attempt " + attempt + " finished before the kill");
            }
        }
        assertNotNull(fetch, "the first fetch was killed while it ran, in one of three attempts");
        assertFalse(Files.exists(copy.dataDir().resolve("global/pg_control")),
                "a killed fetch leaves no pg_control: PostgreSQL refuses the directory");

        Path err2 = scratch.file("fetch-2.err");
        Process second = walj.start(s.env(), scratch.file("fetch-2.out"), err2, fetch);
        Thread.sleep(1000 + random.nextInt(5000));
        boolean killedAgain = kill(second);
        System.out.println("DeltaRestoreIT resume: the second run was " + (killedAgain ? "killed" : "complete")
                + "; its log:\n" + Files.readString(err2));
        Path control = copy.dataDir().resolve("global/pg_control");
        if (killedAgain && Files.exists(control)) {
            // killed in the last step, after pg_control was put in place (the directories' fsyncs, the marker's
            // removal): every file was synced before that rename, and pg_control is the last file renamed
            System.out.println("DeltaRestoreIT resume: the second run was killed after pg_control was in place");
            assertTrue(Files.exists(copy.dataDir().resolve("backup_label")), "backup_label goes in before pg_control");
            assertFalse(Files.exists(control.resolveSibling("pg_control.walj-incomplete")));
        }

        // the run that completes the restore: a third one when the second was killed, else the second itself
        String last;
        if (killedAgain) {
            last = walj.run(s.env(), Duration.ofMinutes(10), fetch).requireSuccess().stderr();
        } else {
            assertEquals(0, second.exitValue(), "the second run completed the restore:\n" + Files.readString(err2));
            last = Files.readString(err2);
        }
        long[] again = figures(last);
        PgCluster whole = PgCluster.unfilled(scratch, "whole");
        long[] full = figures(walj.run(s.env(), Duration.ofMinutes(10), "backup-fetch", "--pool-size", "1",
                whole.dataDir().toString(), "LATEST").requireSuccess().stderr());
        System.out.printf("DeltaRestoreIT resume figures: the last run wrote %d bytes, read %d of %d partitions "
                        + "(%d bytes from storage); a full restore wrote %d bytes, read %d bytes%n", again[0],
                again[1], again[2], again[3], full[0], full[3]);
        assertTrue(last.contains("MSG: continuing an interrupted backup-fetch"), last);
        assertTrue(again[3] < full[3], "the rerun reads less from storage than a full restore: " + last);
        assertTrue(again[0] < full[0], "the rerun writes less than a full restore: " + last);
        assertFalse(Files.exists(copy.dataDir().resolve("backup_fetch.walj-incomplete")));

        copy.adoptConfigurationOf(s.cluster());
        RestoreAndCompare.throughWalFetch(copy, walj, s.env(), Duration.ofMinutes(5), state, "file");
        s.cluster().stop();
    }

    /** Waits until {@code log} holds {@code text} {@code times} times; fails if the process ends first. */
    private static void awaitLog(Process p, Path log, String text, int times) throws IOException,
            InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (System.nanoTime() < deadline) {
            String now = Files.readString(log);
            if (now.split(Pattern.quote(text), -1).length - 1 >= times) {
                return;
            }
            if (!p.isAlive()) {
                throw new AssertionError("backup-fetch ended before logging \"" + text + "\" " + times
                        + " times:\n" + now);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no \"" + text + "\" " + times + " times in 10 minutes");
    }

    /** SIGKILLs the launcher's whole process tree; false when it had ended by itself. */
    private static boolean kill(Process p) throws InterruptedException {
        if (!p.isAlive()) {
            return false;
        }
        List<ProcessHandle> tree = Stream.concat(p.toHandle().descendants(), Stream.of(p.toHandle())).toList();
        tree.forEach(ProcessHandle::destroyForcibly);
        p.waitFor(1, TimeUnit.MINUTES);
        for (ProcessHandle h : tree) {
            h.onExit().join();
        }
        return true;
    }

    /** Bytes written, partitions read, partitions, bytes read from storage: from the "fetch complete" line. */
    private static long[] figures(ProcessResult fetch) {
        return figures(fetch.stderr());
    }

    private static long[] figures(String fetchLog) {
        Matcher m = WROTE.matcher(fetchLog);
        assertTrue(m.find(), fetchLog);
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                Long.parseLong(m.group(4))};
    }
}
