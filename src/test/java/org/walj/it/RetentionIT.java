package org.walj.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.walj.it.harness.ArchivingCluster;
import org.walj.it.harness.Compare;
import org.walj.it.harness.PgCluster;
import org.walj.it.harness.PgbenchLoad;
import org.walj.it.harness.ProcessResult;
import org.walj.it.harness.Scratch;
import org.walj.it.harness.ScratchExtension;
import org.walj.it.harness.WalJ;

/**
 * delete and wal-verify on a real archive: four backups pushed with wal-j, two on timeline 1 and two on timeline 2
 * (a copy restored from the second backup and promoted, archiving into the same prefix, with its
 * {@code 00000002.history} and the {@code .partial} of timeline 1). {@code retain 3} runs while that cluster writes
 * and archives; dry runs change nothing; {@code retain 3} and {@code before} delete exactly the expected objects;
 * every remaining backup is restored with backup-fetch and recovered to the end of the archive (across the timeline
 * switch for the timeline-1 backup) and compared row by row.
 * Then one segment in the middle is deleted by hand and wal-verify reports exactly that gap.
 */
@ExtendWith(ScratchExtension.class)
class RetentionIT {
    private static final Pattern BACKUP_NAME = Pattern.compile("The backup is (base_[0-9A-F]{24}_[0-9]{8})\\.");
    private static final Pattern WAL_KEY = Pattern.compile(
            "wal_005/[0-9A-F]{8}([0-9A-F]{8})([0-9A-F]{8})(\\.partial|\\.[0-9A-F]{8}\\.backup)?\\.lzo");

    private static final AtomicInteger RESTORES = new AtomicInteger();

    @Test
    void retainAndBeforeAcrossATimelineSwitch(Scratch scratch) throws IOException {
        WalJ walj = WalJ.install(scratch);
        Path archive = scratch.archive("archive");
        Map<String, String> env = walj.fileArchiveEnv(archive);

        PgCluster primary = ArchivingCluster.initdb(scratch, walj, "tl1", env)
                .configure(ArchivingCluster.SHORT_CHECKPOINTS);
        primary.start();
        primary.pgbench(Duration.ofMinutes(1), "-i", "-s", "1", "-q");
        primary.psql("CREATE TABLE marker (id int PRIMARY KEY, note text NOT NULL)");
        List<String> backups = new ArrayList<>();
        mark(primary, 1);
        backups.add(push(walj, env, primary));
        mark(primary, 2);
        backups.add(push(walj, env, primary));
        mark(primary, 3);
        primary.waitArchived(primary.switchWal(), Duration.ofMinutes(1));
        primary.stop();

        // timeline 2: the second backup restored and promoted at the end of the archive, archiving on
        PgCluster promoted = PgCluster.unfilled(scratch, "tl2");
        walj.run(env, "backup-fetch", promoted.dataDir().toString(), backups.get(1)).requireSuccess();
        promoted.adoptConfigurationOf(primary).recoverWith(walj.shellCommand("wal-fetch", "%f", "%p"),
                ArchivingCluster.settings(walj),
                env, Duration.ofMinutes(2));
        assertEquals("00000002", promoted.psql("SELECT substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8)").strip(),
                "promotion made timeline 2");
        mark(promoted, 4);
        backups.add(push(walj, env, promoted));
        mark(promoted, 5);
        backups.add(push(walj, env, promoted));
        for (int i = 6; i <= 8; i++) { // a few segments after the last backup, for the gap test
            mark(promoted, i);
            promoted.switchWal();
        }
        promoted.waitArchived(promoted.switchWal(), Duration.ofMinutes(1));

        assertTrue(Files.exists(archive.resolve("wal_005/00000002.history.lzo")), "timeline 2's history archived");
        assertTrue(backups.get(0).startsWith("base_00000001") && backups.get(3).startsWith("base_00000002"),
                backups.toString());

        // the archive is whole: wal-verify and backup-list --detail say so
        ProcessResult verified = walj.run(env, "wal-verify").requireSuccess();
        assertTrue(verified.stdout().contains("timeline: 2") && verified.stdout().contains("result: complete")
                && verified.stdout().contains("from backup " + backups.get(0)), verified.describe());
        String detail = walj.run(env, "backup-list", "--detail").requireSuccess().stdout();
        for (String row : detail.split("\r\n")) {
            String[] cols = row.split("\t", -1);
            assertEquals(9, cols.length, detail);
            assertTrue(cols[7].equals("wal_coverage") || cols[7].equals("complete"), detail);
        }

        // retain 3 while the promoted cluster writes and archives: only the first backup and the WAL before the
        // second backup's segment go; the segments wal-push adds meanwhile stay
        Map<String, String> beforeRetain = listing(archive);
        TreeSet<String> expectedGone = new TreeSet<>(beforeRetain.keySet());
        expectedGone.removeAll(withoutBackupAndWalBefore(beforeRetain, backups.get(0), backups.get(1)).keySet());
        ProcessResult retained;
        try (PgbenchLoad load = promoted.pgbenchInBackground(Duration.ofMinutes(2), "-T", "6", "-c", "2")) {
            long deleteStarts = load.awaitProgress(Duration.ofMinutes(1)).operationStarts();
            retained = deleteWhileArchiving(walj, env, promoted, scratch);
            load.assertOverlapped(deleteStarts, Duration.ofMillis(500), "delete retain 3");
            load.finish();
        }
        promoted.waitArchived(promoted.switchWal(), Duration.ofMinutes(1));
        TreeSet<String> gone = new TreeSet<>(beforeRetain.keySet());
        gone.removeAll(listing(archive).keySet());
        assertEquals(expectedGone, gone, "objects deleted by retain 3\n" + retained.stderr());
        assertTrue(listing(archive).size() > beforeRetain.size() - gone.size(), "wal-push archived meanwhile");

        Path expectedMarker = scratch.file("dumps/marker-final.tsv");
        Path expectedAccounts = scratch.file("dumps/accounts-final.tsv");
        promoted.dumpTable("marker", expectedMarker);
        promoted.dumpTable("pgbench_accounts", expectedAccounts);
        promoted.stop();
        ProcessResult whole = walj.run(env, "wal-verify").requireSuccess();
        assertTrue(whole.stdout().contains("from backup " + backups.get(1)), whole.describe());

        // dry runs delete nothing, whatever the arguments
        Map<String, String> all = listing(archive);
        for (List<String> args : List.of(List.of("delete", "retain", "1"), List.of("delete", "--dry-run", "--confirm",
                        "retain", "1"), List.of("delete", "-n", "before", backups.get(3)),
                List.of("delete", "everything"), List.of("delete", "old-versions"),
                List.of("delete", "--confirm", "--dry-run", "everything"))) {
            ProcessResult r = walj.run(env, args.toArray(String[]::new)).requireSuccess();
            assertTrue(r.stderr().contains("performing dry run of data deletion"), r.describe());
            assertEquals(all, listing(archive), "dry run " + args + " changed the archive");
        }
        assertTrue(walj.run(env, "delete", "retain", "1").stderr()
                .contains("This is only a dry run -- no actual data is being deleted"));

        // bad input: one ERROR record, non-zero exit, nothing deleted
        for (List<String> args : List.of(List.of("delete", "--confirm", "retain", "-1"),
                List.of("delete", "--confirm", "retain", "two"),
                List.of("delete", "--confirm", "before", "base_0000000100000000_00000040"))) {
            ProcessResult r = walj.run(env, args.toArray(String[]::new));
            assertNotEquals(0, r.exitCode(), r.describe());
            assertEquals(1, r.stderr().lines().filter(l -> l.contains("ERROR")).count(), r.describe());
            assertFalse(r.stderr().contains("Exception") || r.stderr().contains("\tat "), r.describe());
            assertEquals(all, listing(archive), "rejected " + args + " changed the archive");
        }

        // every backup retain 3 kept restores and replays to the end, across the switch for the timeline-1 one
        Map<String, String> expected = all;
        for (String b : backups.subList(1, 4)) {
            recoverAndCompare(scratch, walj, env, primary, b, expectedMarker, expectedAccounts);
        }

        // before the fourth backup: the second and third go with the WAL before the fourth's segment
        Map<String, String> expected2 = withoutBackupAndWalBefore(
                withoutBackupAndWalBefore(expected, backups.get(1), backups.get(3)), backups.get(2), backups.get(3));
        walj.run(env, "delete", "--confirm", "before", backups.get(3)).requireSuccess();
        assertEquals(expected2.keySet(), listing(archive).keySet(), "objects left by before " + backups.get(3));
        assertTrue(Files.exists(archive.resolve("wal_005/00000002.history.lzo")), "history files are never deleted");
        recoverAndCompare(scratch, walj, env, primary, backups.get(3), expectedMarker, expectedAccounts);

        // one segment in the middle goes missing: wal-verify names exactly it
        TreeSet<String> segments = new TreeSet<>();
        for (String k : listing(archive).keySet()) {
            if (k.matches("wal_005/00000002[0-9A-F]{16}\\.lzo")) {
                segments.add(k.substring(8, 32));
            }
        }
        assertTrue(segments.size() >= 4, segments.toString());
        String missing = new ArrayList<>(segments).get(segments.size() - 2);
        Files.delete(archive.resolve("wal_005/" + missing + ".lzo"));
        ProcessResult gap = walj.run(env, "wal-verify");
        assertEquals(1, gap.exitCode(), gap.describe());
        assertEquals(List.of("gap: " + missing + " (1 segment missing)"),
                gap.stdout().lines().filter(l -> l.startsWith("gap:")).toList(), gap.describe());
        String json = walj.run(env, "wal-verify", "--json").stdout();
        assertTrue(json.contains("\"gaps\": [{\"first\": \"" + missing + "\", \"last\": \"" + missing
                + "\", \"segments\": 1}]") && json.contains("\"complete\": false"), json);
        String last = walj.run(env, "backup-list", "--detail", backups.get(3)).requireSuccess().stdout();
        assertTrue(last.split("\r\n")[1].endsWith("\tgap\t" + segments.lower(missing)), last);
    }

    private static void mark(PgCluster pg, int step) {
        pg.psql("INSERT INTO marker SELECT g, 'step " + step + "' FROM generate_series(" + (step * 1000) + ", "
                + (step * 1000 + 999) + ") g; UPDATE pgbench_accounts SET abalance = abalance + " + step
                + " WHERE aid % 10 = " + (step % 10));
    }

    private static String push(WalJ walj, Map<String, String> env, PgCluster pg) {
        Map<String, String> pgEnv = new LinkedHashMap<>(env);
        pgEnv.putAll(pg.clientEnv());
        // --start-fast: how the checkpoint is taken is not what retention is about (BackupPitrIT and BackupPushIT
        // push with the spread one); each spread checkpoint cost this test seconds of waiting
        ProcessResult r = walj.run(pgEnv, Duration.ofMinutes(2), "backup-push", "--start-fast",
                pg.dataDir().toString())
                .requireSuccess();
        Matcher m = BACKUP_NAME.matcher(r.stderr());
        assertTrue(m.find(), r.describe());
        return m.group(1);
    }

    /** Restores {@code backup} with backup-fetch, recovers to the end of the archive and compares the tables. */
    private static void recoverAndCompare(Scratch scratch, WalJ walj, Map<String, String> env, PgCluster source,
                                          String backup, Path marker, Path accounts) {
        PgCluster copy = PgCluster.unfilled(scratch, "restore" + RESTORES.incrementAndGet());
        walj.run(env, "backup-fetch", copy.dataDir().toString(), backup).requireSuccess();
        copy.adoptConfigurationOf(source).recoverWith(walj.shellCommand("wal-fetch", "%f", "%p"),
                env, Duration.ofMinutes(2));
        Path m = scratch.file("dumps/" + copy.name() + "-marker.tsv");
        Path a = scratch.file("dumps/" + copy.name() + "-accounts.tsv");
        copy.dumpTable("marker", m);
        copy.dumpTable("pgbench_accounts", a);
        Compare.assertSameLines(marker, m, "marker recovered from " + backup);
        Compare.assertSameLines(accounts, a, "pgbench_accounts recovered from " + backup);
        copy.stop();
    }

    /**
     * {@code objects} without backup {@code gone}'s objects and without the WAL (segments, partial segments, backup
     * history files; not timeline histories) whose log and segment numbers are below those of {@code horizon}'s start.
     */

    private static Map<String, String> withoutBackupAndWalBefore(Map<String, String> objects, String gone,
                                                                 String horizon) {
        String h = horizon.substring(13, 29);
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, String> e : objects.entrySet()) {
            String k = e.getKey();
            if (k.startsWith("basebackups_005/" + gone + "/") || k.equals("basebackups_005/" + gone
                    + "_backup_stop_sentinel.json")) {
                continue;
            }
            Matcher m = WAL_KEY.matcher(k);
            if (m.matches() && (m.group(1) + m.group(2)).compareTo(h) < 0) {
                continue;
            }
            out.put(k, e.getValue());
        }
        return out;
    }

    /** Every file under the archive: relative path → size and modification time. */
    /**
     * {@code delete --confirm retain 3} in the background while the cluster switches WAL segments, so that its
     * archive_command runs; fails unless a wal-push ran, or a segment was archived, while the delete process ran.
     */
    private static ProcessResult deleteWhileArchiving(WalJ walj, Map<String, String> env, PgCluster cluster,
                                                      Scratch scratch) throws IOException {
        Path out = scratch.file("retain.out");
        Path err = scratch.file("retain.err");
        long archivedBefore = cluster.archiverStats().archivedCount();
        Process delete = walj.start(env, out, err, "delete", "--confirm", "retain", "3");
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        int overlaps = 0;
        while (delete.isAlive() && System.nanoTime() < deadline) {
            cluster.switchWal();
            boolean archiving = cluster.walPushRunning()
                    || cluster.archiverStats().archivedCount() > archivedBefore;
            if (archiving && delete.isAlive()) {
                overlaps++;
            }
        }
        try {
            assertTrue(delete.waitFor(1, java.util.concurrent.TimeUnit.MINUTES), "delete retain 3 ended");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        ProcessResult r = new ProcessResult(List.of("wal-j", "delete", "--confirm", "retain", "3"),
                delete.exitValue(), Files.readString(out), Files.readString(err), Duration.ZERO).requireSuccess();
        assertTrue(overlaps > 0, "archive_command ran while delete ran:\n" + r.describe());
        return r;
    }

    private static Map<String, String> listing(Path archive) {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(archive)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                out.put(archive.relativize(p).toString(), a.size() + " " + a.lastModifiedTime());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
