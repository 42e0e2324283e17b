package org.walj.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.walj.it.harness.ArchivingCluster;
import org.walj.it.harness.PgCluster;
import org.walj.it.harness.PgbenchLoad;
import org.walj.it.harness.ProcessResult;
import org.walj.it.harness.Scratch;
import org.walj.it.harness.ScratchExtension;
import org.walj.it.harness.WalJ;
import org.walj.testsupport.Orphans;

/**
 * backup-push against a hot standby (docs/standby-backups.md), on real PostgreSQL 15: a
 * primary archiving with wal-j and a streaming standby made with {@code pg_basebackup -R}. The backup restores like
 * any other (compared row by row with the primary), carries no {@code standby.signal}, and its restore says which
 * recovery settings came with it; on an idle primary the push waits for the stop segment, fails after the bounded
 * wait without a sentinel, completes once {@code pg_switch_wal()} runs (by hand or by wal-j on the primary); a
 * standby promoted during the push is refused.
 */
@ExtendWith(ScratchExtension.class)
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class StandbyBackupIT {
    private static final Pattern START_LOCATION = Pattern.compile("START WAL LOCATION: ([0-9A-F]+)/([0-9A-F]+) "
            + "\\(file ([0-9A-F]{24})\\)");

    @Test
    void aStandbyBackupTakenWhilePgbenchWritesRestoresLikeAnyOther(Scratch scratch) throws Exception {
        WalJ walj = WalJ.install(scratch);
        Map<String, String> env = walj.fileArchiveEnv(scratch.archive("archive"));
        // archive_timeout: the primary finishes a segment at least every 5 s while it writes, as a primary whose
        // standby is backed up should (otherwise the push waits for the next full segment)
        PgCluster primary = ArchivingCluster.initdb(scratch, walj, "primary", env)
                .configure(ArchivingCluster.SHORT_CHECKPOINTS).set("archive_timeout", "5s");
        primary.start();
        primary.pgbench(Duration.ofMinutes(2), "-i", "-s", "1", "-q");
        primary.psql("CREATE TABLE marker (id int PRIMARY KEY, note text NOT NULL);"
                + "INSERT INTO marker SELECT g, 'before backup' FROM generate_series(1, 1000) g; CHECKPOINT");
        PgCluster standby = primary.streamingStandby("standby", "standby1");
        standby.start();
        standby.waitReplayed(primary.currentWalLsn(), Duration.ofMinutes(1));
        assertEquals("t", standby.psql("SELECT pg_is_in_recovery()"));

        Map<String, String> pushEnv = new LinkedHashMap<>(env);
        pushEnv.putAll(standby.clientEnv());
        pushEnv.put("WALJ_STANDBY_ARCHIVE_WAIT_SECONDS", "180");
        ProcessResult pushed;
        try (PgbenchLoad load = primary.pgbenchInBackground(Duration.ofMinutes(2), "-T", "8", "-c", "2", "-j", "2")) {
            long pushStarts = load.awaitProgress(Duration.ofMinutes(1)).operationStarts();
            pushed = walj.run(pushEnv, Duration.ofMinutes(5), "backup-push", "--start-fast",
                    "--pool-size", "2", standby.dataDir().toString()).requireSuccess();
            load.assertOverlapped(pushStarts, Duration.ofSeconds(1), "the standby's backup-push");
            load.finish();
        }
        assertTrue(pushed.stderr().contains("MSG: backing up a hot standby"), pushed.stderr());

        String listing = walj.run(env, "backup-list", "--detail").requireSuccess().stdout();
        String[] rows = listing.split("\r\n");
        assertEquals(2, rows.length, listing);
        String[] cols = rows[1].split("\t", -1);
        String name = cols[0];
        assertEquals("complete", cols[7], "WAL coverage of the standby backup: " + listing);
        assertTrue(pushed.stderr().contains("The backup is " + name + "."), pushed.stderr());
        walj.run(env, "backup-verify", name).requireSuccess();

        // after the backup: more rows on the primary, then its state is the one to reach
        primary.psql("INSERT INTO marker SELECT g, 'after the standby backup' FROM generate_series(1001, 1500) g;"
                + "UPDATE marker SET note = 'updated after' WHERE id % 7 = 0");
        Map<String, Path> expected = primary.dumpTables(
                List.of("marker", "pgbench_accounts", "pgbench_history", "pgbench_branches", "pgbench_tellers"),
                scratch.dir("dumps/primary"));
        primary.waitArchived(primary.switchWal(), Duration.ofMinutes(2));

        PgCluster restored = PgCluster.unfilled(scratch, "restored");
        ProcessResult fetched = walj.run(env, "backup-fetch", restored.dataDir().toString(), name).requireSuccess();
        Path data = restored.dataDir();
        assertFalse(Files.exists(data.resolve("standby.signal")), "standby.signal is never stored");
        String label = Files.readString(data.resolve("backup_label"), StandardCharsets.UTF_8);
        assertTrue(label.contains("BACKUP FROM: standby"), label);
        assertEquals(nameOf(label), name, "named by the standby's start position, as WAL-E names any backup");
        assertTrue(fetched.stderr().contains("WARNING  MSG: the restored postgresql.auto.conf holds recovery "
                + "settings: primary_conninfo, primary_slot_name"), fetched.stderr());
        assertTrue(fetched.stderr().contains("primary_slot_name = 'standby1'"), fetched.stderr());
        assertTrue(fetched.stderr().contains("The backup was taken on a hot standby"), fetched.stderr());

        // recovery.signal as the runbook says: the copy recovers from the archive and finishes (no standby.signal)
        restored.adoptConfigurationOf(primary).recoverWith(walj.shellCommand("wal-fetch", "%f", "%p"), env,
                Duration.ofMinutes(3));
        assertEquals("f", restored.psql("SELECT pg_is_in_recovery()"));
        restored.assertSameTables(expected, scratch.dir("dumps/restored"), "after recovery of the standby backup");
        restored.stop();

        // and through wal-j restore (the one-command path): the same report, and the copy recovers to the end
        PgCluster oneCommand = PgCluster.unfilled(scratch, "one-command");
        ProcessResult restoreRun = walj.run(env, Duration.ofMinutes(5), "restore", "--backup", name,
                oneCommand.dataDir().toString()).requireSuccess();
        assertTrue(restoreRun.stderr().contains("holds recovery settings: primary_conninfo, primary_slot_name"),
                restoreRun.describe());
        assertFalse(Files.exists(oneCommand.dataDir().resolve("standby.signal")));
        oneCommand.adoptConfigurationOf(primary).serverEnv(walj.env());
        oneCommand.start(Duration.ofMinutes(3));
        oneCommand.waitRecoveryFinished(Duration.ofMinutes(3));
        oneCommand.assertSameTables(expected, scratch.dir("dumps/one-command"), "after wal-j restore of " + name);
        oneCommand.stop();

        // retention treats it like any other: a newer backup from the primary, then delete retain 1 removes it
        Map<String, String> primaryEnv = new LinkedHashMap<>(env);
        primaryEnv.putAll(primary.clientEnv());
        walj.run(primaryEnv, Duration.ofMinutes(3), "backup-push", "--start-fast", primary.dataDir().toString())
                .requireSuccess();
        walj.run(env, "delete", "--confirm", "retain", "1").requireSuccess();
        String after = walj.run(env, "backup-list").requireSuccess().stdout();
        assertFalse(after.contains(name), "the standby backup was deleted by retention: " + after);
        assertEquals(2, after.split("\r\n").length, after);
        standby.stop();
        primary.stop();
    }

    @Test
    void anIdlePrimaryMakesThePushWaitAndAPromotionIsRefused(Scratch scratch) throws Exception {
        WalJ walj = WalJ.install(scratch);
        Map<String, String> env = walj.fileArchiveEnv(scratch.archive("archive"));
        // idle: no archive_timeout, and no timed checkpoint during the test, so every checkpoint is the test's
        PgCluster primary = ArchivingCluster.initdb(scratch, walj, "primary", env).set("checkpoint_timeout", "1h");
        primary.start();
        primary.psql("CREATE TABLE marker (id int PRIMARY KEY, note text NOT NULL)");
        PgCluster standby = primary.streamingStandby("standby", "standby1");
        standby.start();
        Map<String, String> pushEnv = new LinkedHashMap<>(env);
        pushEnv.putAll(standby.clientEnv());

        // the stop segment is the primary's current one: a checkpoint and rows in a fresh segment, replayed
        String current = freshCheckpointWithRows(primary, standby, 1);
        pushEnv.put("WALJ_STANDBY_ARCHIVE_WAIT_SECONDS", "5");
        ProcessResult timedOut = walj.run(pushEnv, Duration.ofMinutes(3), "backup-push", "--start-fast",
                standby.dataDir().toString()).requireExit(1);
        String err = timedOut.stderr();
        assertTrue(err.contains("MSG: waiting for the primary to archive the backup's last WAL segment"), err);
        assertTrue(err.contains("ERROR    MSG: standby backup not completed: segment " + current
                + " was not archived within 5 s"), err);
        assertTrue(err.contains("HINT: On the primary, run SELECT pg_switch_wal();"), err);
        assertEquals(1, err.lines().filter(l -> l.contains(" ERROR ")).count(), "one ERROR line\n" + err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace\n" + err);
        assertNoSentinel(scratch);

        // the same wait resolved by hand, as the hint says
        pushEnv.put("WALJ_STANDBY_ARCHIVE_WAIT_SECONDS", "240");
        Path out = scratch.file("push-waiting.out");
        Path errFile = scratch.file("push-waiting.err");
        Process waiting = walj.start(pushEnv, out, errFile, "backup-push", "--start-fast",
                standby.dataDir().toString());
        Orphans.child(waiting.toHandle());
        try {
            awaitText(errFile, "waiting for the primary to archive", waiting, Duration.ofMinutes(3));
            primary.switchWal();
            assertTrue(waiting.waitFor(4, TimeUnit.MINUTES), "push finished after pg_switch_wal()");
        } finally {
            stop(waiting);
        }
        String resolved = Files.readString(errFile);
        assertEquals(0, waiting.exitValue(), resolved);
        assertTrue(resolved.contains("MSG: the backup's last WAL segment is archived"), resolved);
        assertEquals(2, walj.run(env, "backup-list").requireSuccess().stdout().split("\r\n").length);

        // wal-j asks the primary itself (WALJ_PRIMARY_PGHOST and its siblings): no waiting on an operator
        freshCheckpointWithRows(primary, standby, 2);
        Map<String, String> withPrimary = new LinkedHashMap<>(pushEnv);
        withPrimary.put("WALJ_PRIMARY_PGHOST", primary.socketDir().toString());
        withPrimary.put("WALJ_PRIMARY_PGPORT", Integer.toString(primary.port()));
        withPrimary.put("WALJ_PRIMARY_PGUSER", PgCluster.SUPERUSER);
        ProcessResult switched = walj.run(withPrimary, Duration.ofMinutes(5), "backup-push", "--start-fast",
                standby.dataDir().toString()).requireSuccess();
        assertTrue(switched.stderr().contains("MSG: asked the primary to switch WAL"), switched.stderr());
        String latest = switched.stderr().replaceAll("(?s).*The backup is (base_[0-9A-F]{24}_[0-9]{8})\\..*", "$1");
        assertTrue(latest.matches("base_[0-9A-F]{24}_[0-9]{8}"), "backup-push named its backup: " + latest);
        assertEquals(3, walj.run(env, "backup-list").requireSuccess().stdout().split("\r\n").length);

        // no checkpoint replayed since: the same start, so the same name; refused instead of overwritten
        ProcessResult again = walj.run(withPrimary, Duration.ofMinutes(3), "backup-push", "--start-fast",
                standby.dataDir().toString()).requireExit(1);
        assertTrue(again.stderr().contains("already exists"), again.stderr());

        // another cluster's archive, whose segments have the same names: refused before anything is uploaded
        Path otherArchive = scratch.archive("other-archive");
        Map<String, String> otherEnv = walj.fileArchiveEnv(otherArchive);
        PgCluster other = ArchivingCluster.initdb(scratch, walj, "other", otherEnv);
        other.start();
        other.psql("CREATE TABLE t (i int)");
        String startSegment = latest.substring("base_".length(), "base_".length() + 24);
        String finished;
        do {
            finished = other.psql("INSERT INTO t VALUES (1); SELECT pg_walfile_name(pg_switch_wal())");
        } while (finished.compareTo(startSegment) < 0);
        other.waitArchived(finished, Duration.ofMinutes(2));
        other.stop();
        Map<String, String> wrongArchive = new LinkedHashMap<>(pushEnv);
        wrongArchive.putAll(otherEnv);
        ProcessResult wrong = walj.run(wrongArchive, Duration.ofMinutes(3), "backup-push", "--start-fast",
                standby.dataDir().toString()).requireExit(1);
        assertTrue(wrong.stderr().contains("ERROR    MSG: standby backup refused: file://localhost" + otherArchive
                + "/ is not the archive the standby's primary archives to: its "), wrong.stderr());
        assertTrue(wrong.stderr().contains("was written by another cluster (system identifier"), wrong.stderr());
        assertFalse(Files.exists(otherArchive.resolve("basebackups_005").resolve(latest)),
                "nothing uploaded into the wrong archive");

        // promoted while the partitions upload (1 MB/s over a ~22 MB cluster): refused, no sentinel
        freshCheckpointWithRows(primary, standby, 3);
        Path out4 = scratch.file("push-promoted.out");
        Path err4 = scratch.file("push-promoted.err");
        Process promotedPush = walj.start(withPrimary, out4, err4, "backup-push", "--start-fast",
                "--pool-size", "1", "--cluster-read-rate-limit", "1000000", standby.dataDir().toString());
        Orphans.child(promotedPush.toHandle());
        try {
            awaitText(err4, "begin uploading a base backup volume", promotedPush, Duration.ofMinutes(3));
            standby.promote();
            assertTrue(promotedPush.waitFor(4, TimeUnit.MINUTES));
        } finally {
            stop(promotedPush);
        }
        String refused = Files.readString(err4);
        assertEquals(1, promotedPush.exitValue(), refused);
        assertTrue(refused.contains("ERROR    MSG: standby backup refused: the standby was promoted during the "
                + "backup"), refused);
        assertEquals(3, walj.run(env, "backup-list").requireSuccess().stdout().split("\r\n").length,
                "no sentinel for the refused backup");
        standby.stop();

        // the backup completed through the primary's pg_switch_wal() restores to the primary's rows
        Map<String, Path> expected = primary.dumpTables(List.of("marker"), scratch.dir("dumps/idle-primary"));
        primary.waitArchived(primary.switchWal(), Duration.ofMinutes(2));
        PgCluster restored = PgCluster.unfilled(scratch, "restored");
        walj.run(env, "backup-fetch", restored.dataDir().toString(), latest).requireSuccess();
        restored.adoptConfigurationOf(primary).recoverWith(walj.shellCommand("wal-fetch", "%f", "%p"), env,
                Duration.ofMinutes(3));
        restored.assertSameTables(expected, scratch.dir("dumps/restored"), "after recovery of " + latest);
        restored.stop();
        primary.stop();
    }

    /**
     * Finishes the primary's segment, starts a new one with a checkpoint and rows in it, and waits for the standby:
     * its next backup starts at that checkpoint and stops in that segment. Returns the segment's name.
     */
    private static String freshCheckpointWithRows(PgCluster primary, PgCluster standby, int batch) {
        primary.waitArchived(primary.switchWal(), Duration.ofMinutes(2));
        primary.psql("CHECKPOINT; INSERT INTO marker SELECT g, 'batch " + batch + "' FROM generate_series("
                + (batch * 1000) + ", " + (batch * 1000 + 99) + ") g");
        String segment = primary.currentWalFile();
        standby.waitReplayed(primary.currentWalLsn(), Duration.ofMinutes(1));
        return segment;
    }

    private static void assertNoSentinel(Scratch scratch) throws IOException {
        Path backups = scratch.archive("archive").resolve("basebackups_005");
        if (!Files.isDirectory(backups)) {
            return;
        }
        try (var s = Files.list(backups)) {
            List<Path> sentinels = s.filter(p -> p.getFileName().toString().endsWith("_backup_stop_sentinel.json"))
                    .toList();
            assertEquals(List.of(), sentinels);
        }
    }

    /** The backup name WAL-E gives the label's start: its segment and the byte offset in it, 8 decimal digits. */
    private static String nameOf(String label) {
        Matcher m = START_LOCATION.matcher(label);
        assertTrue(m.find(), label);
        long lsn = Long.parseLong(m.group(1), 16) << 32 | Long.parseLong(m.group(2), 16);
        return "base_" + m.group(3) + "_" + String.format("%08d", lsn % (16L << 20));
    }

    private static void awaitText(Path file, String text, Process process, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(file) && Files.readString(file).contains(text)) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError("backup-push exited (" + process.exitValue() + ") before \"" + text
                        + "\":\n" + (Files.exists(file) ? Files.readString(file) : ""));
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no \"" + text + "\" within " + timeout.toSeconds() + " s:\n"
                + Files.readString(file));
    }

    private static void stop(Process p) {
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
    }

}
