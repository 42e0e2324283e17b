package org.walj.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.walj.it.harness.ArchivingCluster;
import org.walj.it.harness.Compare;
import org.walj.it.harness.PgCluster;
import org.walj.it.harness.ProcessResult;
import org.walj.it.harness.Scratch;
import org.walj.it.harness.ScratchExtension;
import org.walj.it.harness.WalJ;

/**
 * wal-j restore on a real PostgreSQL 15: three backups taken while pgbench writes, a marker row committed after each
 * at a known time and LSN, a restore point after the third. Restores to a time after each backup: between backups 2
 * and 3 (backup 2 is chosen, the log names it, the marker table equals its contents at that time), between 1 and 2
 * (backup 1), after 3 (backup 3, with {@code --delta} over the first copy after it ran, promoted, and drifted: the
 * copy's own rows and table are gone), to an LSN between backups 1 and 2
 * (backup 1, paused at the target), to the restore point (the newest backup); a dry run writes nothing; a target
 * before the oldest backup and one beyond the archived WAL are refused with nothing written. The recovered servers
 * get no archive variable in their environment: restore_command must name the archive itself (the prefix pinned as
 * an option, or an --env-command that sets it).
 */
@ExtendWith(ScratchExtension.class)
class PointInTimeRestoreIT {

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void restoresToTimeLsnAndRestorePointFromTheRightBackup(Scratch scratch) throws IOException {
        WalJ walj = WalJ.install(scratch);
        Map<String, String> env = walj.fileArchiveEnv(scratch.archive("archive"));
        PgCluster source = ArchivingCluster.initdb(scratch, walj, "src", env)
                .configure(ArchivingCluster.SHORT_CHECKPOINTS);
        source.start();
        source.pgbench(Duration.ofMinutes(2), "-i", "-s", "2", "-q");
        source.psql("CREATE TABLE marker (id int PRIMARY KEY, note text NOT NULL)");
        String beforeAnyBackup = source.psql("SELECT clock_timestamp()");

        List<String> backups = new ArrayList<>();
        List<String> times = new ArrayList<>();
        List<String> lsns = new ArrayList<>();
        List<Path> dumps = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            backups.add(pushWhileWriting(scratch, walj, env, source, backups));
            source.psql("INSERT INTO marker VALUES (" + i + ", 'after backup " + i + "')");
            times.add(source.psql("SELECT clock_timestamp()"));
            lsns.add(source.psql("SELECT pg_current_wal_lsn()"));
            Path dump = scratch.file("dumps/marker-" + i + ".tsv");
            source.dumpTable("marker", dump);
            dumps.add(dump);
            source.psql("SELECT pg_sleep(0.2)");
        }
        source.psql("SELECT pg_create_restore_point('after-marker-3')");
        source.psql("INSERT INTO marker VALUES (4, 'after the restore point')");
        source.pgbench(Duration.ofMinutes(1), "-t", "200", "-c", "2");
        source.waitArchived(source.switchWal(), Duration.ofMinutes(2));
        assertNotEquals(Files.readString(dumps.get(1)), Files.readString(dumps.get(2)), "markers differ");

        // a dry run prints the plan and writes nothing
        Path dry = scratch.root().resolve("dry-run-target");
        ProcessResult dryRun = walj.run(env, "restore", "--dry-run", "--target-time", times.get(1), dry.toString())
                .requireSuccess();
        assertTrue(dryRun.stdout().contains("Dry run: nothing was written") && dryRun.stdout().contains(backups.get(1)),
                dryRun.describe());
        assertTrue(dryRun.stderr().contains("dry run: would restore " + backups.get(1)), dryRun.describe());
        assertFalse(Files.exists(dry), "the dry run created " + dry);

        // refusals: one ERROR record, exit 1, nothing written
        Path refused = scratch.root().resolve("refused");
        ProcessResult early = walj.run(env, "restore", "--target-time", beforeAnyBackup, refused.toString());
        assertEquals(1, early.exitCode(), early.describe());
        assertTrue(early.stderr().contains("is before the end of the oldest backup, " + backups.get(0)),
                early.describe());
        ProcessResult late = walj.run(env, "restore", "--target-time", "2999-01-01 00:00:00+00", refused.toString());
        assertEquals(1, late.exitCode(), late.describe());
        assertTrue(late.stderr().contains("is beyond the archived WAL"), late.describe());
        assertFalse(Files.exists(refused), "a refused restore created " + refused);
        source.stop();

        // a time between backups 2 and 3: backup 2, stopped at the time, promoted
        PgCluster byTime = PgCluster.unfilled(scratch, "by-time");
        ProcessResult restored = walj.run(env, Duration.ofMinutes(5), "restore", "--target-time", times.get(1),
                "--target-action", "promote", "--pool-size", "2", byTime.dataDir().toString()).requireSuccess();
        assertTrue(restored.stderr().contains("restoring " + backups.get(1) + " for recovery to time"),
                "the log names backup 2\n" + restored.describe());
        assertTrue(restored.stdout().contains("pg_ctl -D"), "what to run next\n" + restored.describe());
        assertTrue(Files.exists(byTime.dataDir().resolve("recovery.signal")));
        assertFalse(Files.exists(byTime.dataDir().resolve("standby.signal")));
        String auto = Files.readString(byTime.dataDir().resolve("postgresql.auto.conf"));
        assertTrue(auto.contains("recovery_target_time = '") && auto.contains("restore_command = '")
                && auto.contains("--file-prefix"), auto);
        byTime.adoptConfigurationOf(source).serverEnv(walj.env());
        byTime.start(Duration.ofMinutes(3));
        byTime.waitRecoveryFinished(Duration.ofMinutes(3));
        Path gotByTime = scratch.file("dumps/by-time.tsv");
        byTime.dumpTable("marker", gotByTime);
        Compare.assertSameLines(dumps.get(1), gotByTime, "marker table at the target time (markers 1-2, not 3)");
        assertTrue(byTime.logTail(400).contains("recovery stopping before commit"), byTime.logTail(80));
        byTime.stop();

        // a time between backups 1 and 2: backup 1
        PgCluster byTime1 = PgCluster.unfilled(scratch, "by-time-1");
        restoreToTime(walj, env, byTime1, times.get(0), backups.get(0), source, "--pool-size", "2");
        Path gotByTime1 = scratch.file("dumps/by-time-1.tsv");
        byTime1.dumpTable("marker", gotByTime1);
        Compare.assertSameLines(dumps.get(0), gotByTime1, "marker table at a time after backup 1 (marker 1 only)");
        byTime1.stop();

        // a time after backup 3, restored with --delta over the copy restored to backup 2 above, which has run
        // since (promoted, timeline 2) and drifted: backup 3, and nothing of the drift is left
        byTime.start(Duration.ofMinutes(3));
        byTime.psql("INSERT INTO marker VALUES (-1, 'only on the copy');"
                + "CREATE TABLE drift AS SELECT g FROM generate_series(1, 10000) g; CHECKPOINT");
        byTime.stop();
        ProcessResult deltaRun = restoreToTime(walj, env, byTime, times.get(2), backups.get(2), source, "--delta");
        assertTrue(deltaRun.stderr().contains("Delta restore: kept "), deltaRun.describe());
        Path gotByTime3 = scratch.file("dumps/by-time-3.tsv");
        byTime.dumpTable("marker", gotByTime3);
        Compare.assertSameLines(dumps.get(2), gotByTime3, "marker table at a time after backup 3 (markers 1-3, not "
                + "4, not the copy's own row)");
        assertEquals("f", byTime.psql("SELECT to_regclass('drift') IS NOT NULL"), "the copy's own table is gone");
        byTime.stop();

        // an LSN between backups 1 and 2: backup 1, paused at the target
        PgCluster byLsn = PgCluster.unfilled(scratch, "by-lsn");
        ProcessResult lsnRun = walj.run(env, Duration.ofMinutes(5), "restore", "--target-lsn", lsns.get(0),
                byLsn.dataDir().toString()).requireSuccess();
        assertTrue(lsnRun.stderr().contains("restoring " + backups.get(0) + " for recovery to LSN " + lsns.get(0)),
                lsnRun.describe());
        byLsn.adoptConfigurationOf(source).serverEnv(walj.env());
        byLsn.start(Duration.ofMinutes(3));
        waitPaused(byLsn);
        Path gotByLsn = scratch.file("dumps/by-lsn.tsv");
        byLsn.dumpTable("marker", gotByLsn);
        Compare.assertSameLines(dumps.get(0), gotByLsn, "marker table at the target LSN (marker 1 only)");
        byLsn.stop();

        // a restore point after backup 3: the newest backup, and the log says why; the archive's settings reach
        // restore_command through --env-command, as an envdir's would (env instead: daemontools is not installed)
        PgCluster byName = PgCluster.unfilled(scratch, "by-name");
        ProcessResult nameRun = walj.run(env, Duration.ofMinutes(5), "restore", "--target-name", "after-marker-3",
                "--target-action", "promote", "--env-command", "env WALE_FILE_PREFIX=" + env.get("WALE_FILE_PREFIX"),
                byName.dataDir().toString()).requireSuccess();
        assertTrue(nameRun.stderr().contains("restoring " + backups.get(2)) && nameRun.stderr()
                .contains("cannot be placed from the backups' sentinels"), nameRun.describe());
        String byNameConf = Files.readString(byName.dataDir().resolve("postgresql.auto.conf"));
        assertTrue(byNameConf.contains("restore_command = 'env WALE_FILE_PREFIX=")
                && !byNameConf.contains("--file-prefix"), byNameConf);
        byName.adoptConfigurationOf(source).serverEnv(walj.env());
        byName.start(Duration.ofMinutes(3));
        byName.waitRecoveryFinished(Duration.ofMinutes(3));
        Path gotByName = scratch.file("dumps/by-name.tsv");
        byName.dumpTable("marker", gotByName);
        Compare.assertSameLines(dumps.get(2), gotByName, "marker table at the restore point (markers 1-3, not 4)");
        byName.stop();
    }

    /**
     * {@code wal-j restore --target-time time --target-action promote} into {@code copy} (its configuration, minus
     * recovery settings, is the source's), checks the log names {@code backup}, starts the copy and waits until
     * recovery stopped at the target and promoted. The copy is left running.
     */
    private static ProcessResult restoreToTime(WalJ walj, Map<String, String> env, PgCluster copy, String time,
                                               String backup, PgCluster source, String... options) {
        List<String> args = new ArrayList<>(List.of("restore", "--target-time", time, "--target-action", "promote"));
        args.addAll(List.of(options));
        args.add(copy.dataDir().toString());
        ProcessResult run = walj.run(env, Duration.ofMinutes(5), args.toArray(String[]::new)).requireSuccess();
        assertTrue(run.stderr().contains("restoring " + backup + " for recovery to time"),
                "the log names " + backup + "\n" + run.describe());
        if (!Files.exists(copy.dataDir().resolve("postgresql.conf"))) {
            copy.adoptConfigurationOf(source).serverEnv(walj.env());
        }
        copy.start(Duration.ofMinutes(3));
        copy.waitRecoveryFinished(Duration.ofMinutes(3));
        assertTrue(copy.logTail(400).contains("recovery stopping before commit"), copy.logTail(80));
        return run;
    }

    /** backup-push while pgbench writes; returns the new backup's name. */
    private static String pushWhileWriting(Scratch scratch, WalJ walj, Map<String, String> env, PgCluster source,
                                           List<String> known) {
        Map<String, String> pgEnv = new LinkedHashMap<>(env);
        pgEnv.putAll(source.clientEnv());
        Thread load = new Thread(() -> source.pgbench(Duration.ofMinutes(2), "-T", "6", "-c", "2", "-j", "2"));
        load.start();
        walj.run(pgEnv, Duration.ofMinutes(4), "backup-push", "--start-fast", "--pool-size", "2",
                source.dataDir().toString()).requireSuccess();
        try {
            load.join(Duration.ofMinutes(2).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        String listing = walj.run(env, "backup-list").requireSuccess().stdout();
        List<String> names = new ArrayList<>();
        for (String row : listing.split("\r\n")) {
            String name = row.split("\t")[0];
            if (name.startsWith("base_") && !known.contains(name)) {
                names.add(name);
            }
        }
        assertEquals(1, names.size(), "one new backup\n" + listing);
        return names.get(0);
    }

    private static void waitPaused(PgCluster cluster) {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        String state = "";
        while (System.nanoTime() < deadline) {
            ProcessResult r = cluster.psqlResult("SELECT pg_get_wal_replay_pause_state()");
            state = r.stdout().strip();
            if (r.succeeded() && state.equals("paused")) {
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("recovery did not pause at the target (state " + state + ")\n"
                + cluster.logTail(60));
    }
}
