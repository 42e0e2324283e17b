package org.walj.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.walj.it.harness.ArchivingCluster;
import org.walj.it.harness.Compare;
import org.walj.it.harness.PgCluster;
import org.walj.it.harness.Scratch;
import org.walj.it.harness.ScratchExtension;
import org.walj.it.harness.WalJ;

/**
 * The data-loss trap of restore_command (WAL-G issue 1126): a damaged segment in the middle of the archive must stop
 * recovery, not be taken for the end of the archive, after which PostgreSQL would promote with the rest missing.
 * Once the object is repaired, starting the server again finishes the recovery with every row.
 */
@ExtendWith(ScratchExtension.class)
class FetchFailureStopsRecoveryIT {

    @Test
    void aCorruptSegmentStopsRecoveryAndRepairingItLetsRecoveryFinish(Scratch scratch) throws IOException {
        WalJ walj = WalJ.install(scratch);
        Path archive = scratch.archive("archive");
        Map<String, String> walEnv = walj.fileArchiveEnv(archive);

        PgCluster source = ArchivingCluster.initdb(scratch, walj, "src", walEnv);
        source.start();
        source.psql("CREATE TABLE t (id int PRIMARY KEY, v text NOT NULL)");
        source.waitArchived(source.switchWal(), Duration.ofMinutes(1));
        PgCluster restored = source.baseBackup("restored");

        source.psql("INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 1000) g");
        String damagedSegment = source.switchWal();
        source.psql("INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1001, 2000) g");
        String last = source.switchWal();
        source.waitArchived(last, Duration.ofMinutes(1));
        Path expected = scratch.file("dumps/t.tsv");
        source.dumpTable("t", expected);
        source.stop();

        Path object = archive.resolve("wal_005/" + damagedSegment + ".lzo");
        byte[] good = Files.readAllBytes(object);
        byte[] bad = good.clone();
        bad[bad.length - 100] ^= 0x01;
        Files.write(object, bad);

        restored.configure(Map.of("restore_command", walj.shellCommand("wal-fetch", "%f", "%p"),
                "recovery_target_timeline", "latest"));
        restored.serverEnv(walEnv);
        restored.createRecoverySignal();
        try {
            restored.start(Duration.ofMinutes(1));
        } catch (AssertionError startFailed) {
            // either pg_ctl saw the server die, or it reached consistency first and dies below
        }
        awaitStopped(restored, Duration.ofMinutes(1));
        String log = restored.logTail(200);
        assertTrue(log.contains("exit code 200"), "PostgreSQL saw wal-fetch's failure status\n" + log);
        assertTrue(log.contains("FATAL"), "recovery stopped with FATAL\n" + log);
        assertFalse(log.contains("selected new timeline ID"), "the server did not promote\n" + log);
        assertFalse(Files.exists(restored.pgWal().resolve("00000002.history")), "no new timeline was started");

        Files.write(object, good);
        restored.start(Duration.ofMinutes(1));
        restored.waitRecoveryFinished(Duration.ofMinutes(1));
        Path dump = scratch.file("dumps/t-restored.tsv");
        restored.dumpTable("t", dump);
        Compare.assertSameLines(expected, dump, "table t after the repaired recovery");
        assertEquals(2000, restored.count("t"));
        restored.stop();
    }

    /**
     * Issue 12, item 3: with an invalid {@code WALJ_FETCH_ERROR_EXIT_CODE} every wal-fetch used to exit 1, so
     * PostgreSQL promoted at the first segment with the rows archived after the backup missing. Now the first
     * wal-fetch stops recovery; with the setting fixed, the restart finishes it with every row.
     */
    @Test
    void anInvalidFetchErrorExitCodeStopsRecoveryAndFixingItLetsRecoveryFinish(Scratch scratch) throws IOException {
        WalJ walj = WalJ.install(scratch);
        Path archive = scratch.archive("archive");
        Map<String, String> walEnv = walj.fileArchiveEnv(archive);
        PgCluster source = archivingSource(scratch, walj, walEnv);
        PgCluster restored = source.baseBackup("restored");
        Path expected = writeSegments(scratch, source, 3);
        // the backup's own WAL in pg_wal (as pg_basebackup -X stream leaves it): enough to become consistent, so
        // that a wal-fetch answering "not found" makes PostgreSQL promote at once, as in the report
        String label = Files.readString(restored.dataDir().resolve("backup_label"));
        Matcher start = Pattern.compile("START WAL LOCATION: \\S+ \\(file (\\w{24})\\)")
                .matcher(label);
        assertTrue(start.find(), label);
        walj.run(walEnv, "wal-fetch", "--prefetch", "0", start.group(1),
                restored.pgWal().resolve(start.group(1)).toString()).requireSuccess();

        restored.configure(Map.of("restore_command", walj.shellCommand("wal-fetch", "%f", "%p"),
                "recovery_target_timeline", "latest"));
        restored.serverEnv(walEnv);
        restored.serverEnv("WALJ_FETCH_ERROR_EXIT_CODE", "abc");
        restored.createRecoverySignal();
        startExpectingFatal(restored);
        String log = restored.logTail(200);
        assertTrue(log.contains("WALJ_FETCH_ERROR_EXIT_CODE must be a whole number from 1 to 255"),
                "wal-fetch named the setting\n" + log);
        assertStoppedWithoutPromoting(restored, log);

        restored.serverEnv("WALJ_FETCH_ERROR_EXIT_CODE", "200"); // the operator fixes the setting
        finishAndCompare(scratch, restored, expected);
    }

    /**
     * Issue 12, item 4: an unmounted archive (its mount point is an empty directory) used to read as "segment not
     * in the archive", and PostgreSQL promoted with WAL missing. Here the archive is replaced by an empty directory
     * in the middle of the recovery (by restore_command itself, when the recovery asks for the third segment, so
     * the moment is exact); more segments follow than wal-fetch prefetches, so one is fetched from the empty
     * directory. Recovery must stop FATAL; with the archive back, the restart finishes with every row.
     */
    @Test
    void anArchiveReplacedByAnEmptyDirectoryMidRecoveryStopsItAndPuttingItBackLetsItFinish(Scratch scratch)
            throws IOException {
        WalJ walj = WalJ.install(scratch);
        Path archive = scratch.archive("archive");
        Map<String, String> walEnv = walj.fileArchiveEnv(archive);
        PgCluster source = archivingSource(scratch, walj, walEnv);
        PgCluster restored = source.baseBackup("restored");
        List<String> segments = new ArrayList<>();
        Path expected = writeSegments(scratch, source, 14, segments);

        Path away = scratch.root().resolve("archive-unmounted");
        Path marker = scratch.root().resolve("swapped-once");
        Path wrapper = scratch.file("bin/restore.sh");
        Files.writeString(wrapper, "#!/bin/sh\n"
                + "if [ \"$1\" = " + segments.get(2) + " ] && [ ! -e '" + marker + "' ]; then\n"
                + "  touch '" + marker + "' && mv '" + archive + "' '" + away + "' && mkdir '" + archive + "'\n"
                + "fi\n"
                + "exec " + walj.shellCommand("wal-fetch", "\"$1\"", "\"$2\"") + "\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        scratch.user().own(wrapper);

        restored.configure(Map.of("restore_command", "'" + wrapper + "' %f %p", "recovery_target_timeline", "latest"));
        restored.serverEnv(walEnv);
        restored.createRecoverySignal();
        startExpectingFatal(restored);
        assertTrue(Files.exists(marker), "the archive was swapped during recovery");
        String log = restored.logTail(200);
        assertTrue(log.contains("holds neither wal_005/ nor basebackups_005/"), "wal-fetch said why\n" + log);
        assertStoppedWithoutPromoting(restored, log);

        Files.delete(archive); // the operator mounts the archive again
        Files.move(away, archive);
        finishAndCompare(scratch, restored, expected);
    }

    static PgCluster archivingSource(Scratch scratch, WalJ walj, Map<String, String> walEnv) {
        PgCluster source = ArchivingCluster.initdb(scratch, walj, "src", walEnv);
        source.start();
        source.psql("CREATE TABLE t (id int PRIMARY KEY, v text NOT NULL)");
        source.waitArchived(source.switchWal(), Duration.ofMinutes(1));
        return source;
    }

    private static Path writeSegments(Scratch scratch, PgCluster source, int count) {
        return writeSegments(scratch, source, count, new ArrayList<>());
    }

    /** {@code count} archived segments after the base backup, 500 rows each; returns the dump of the table. */
    static Path writeSegments(Scratch scratch, PgCluster source, int count, List<String> segments) {
        String last = null;
        for (int i = 0; i < count; i++) {
            source.psql("INSERT INTO t SELECT g, md5(g::text) FROM generate_series(" + (i * 500 + 1) + ", "
                    + (i * 500 + 500) + ") g");
            last = source.switchWal();
            segments.add(last);
        }
        source.waitArchived(last, Duration.ofMinutes(2));
        Path expected = scratch.file("dumps/t.tsv");
        source.dumpTable("t", expected);
        assertEquals(count * 500L, source.count("t"));
        source.stop();
        return expected;
    }

    /** Starts a recovery that must stop with FATAL; returns once the server exited (DaemonPrefetchRecoveryIT too). */
    static void startExpectingFatal(PgCluster restored) {
        try {
            restored.start(Duration.ofMinutes(1));
        } catch (AssertionError startFailed) {
            // either pg_ctl saw the server die, or it reached consistency first and dies below
        }
        awaitStopped(restored, Duration.ofMinutes(2));
    }

    static void assertStoppedWithoutPromoting(PgCluster restored, String log) {
        assertTrue(log.contains("exit code 200"), "PostgreSQL saw wal-fetch's failure status\n" + log);
        assertTrue(log.contains("FATAL"), "recovery stopped with FATAL\n" + log);
        assertFalse(log.contains("selected new timeline ID"), "the server did not promote\n" + log);
        assertFalse(log.contains("database system is ready to accept connections"),
                "the server never accepted writes\n" + log);
        assertFalse(Files.exists(restored.pgWal().resolve("00000002.history")), "no new timeline was started");
    }

    private static void finishAndCompare(Scratch scratch, PgCluster restored, Path expected) {
        restored.start(Duration.ofMinutes(2));
        restored.waitRecoveryFinished(Duration.ofMinutes(2));
        Path dump = scratch.file("dumps/t-restored.tsv");
        restored.dumpTable("t", dump);
        Compare.assertSameLines(expected, dump, "table t after the resumed recovery");
        restored.stop();
    }

    static void awaitStopped(PgCluster cluster, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (cluster.isRunning()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the server kept running after a failed wal-fetch\n" + cluster.logTail(80));
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
