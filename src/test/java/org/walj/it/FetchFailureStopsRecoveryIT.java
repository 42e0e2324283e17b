package org.walj.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

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
        Map<String, String> walEnv = new LinkedHashMap<>(walj.env());
        walEnv.put("WALE_FILE_PREFIX", "file://localhost" + archive);

        PgCluster source = PgCluster.initdb(scratch, "src");
        source.configure(Map.of("archive_mode", "on", "archive_command", walj.shellCommand("wal-push", "%p")));
        source.serverEnv(walEnv);
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

    private static void awaitStopped(PgCluster cluster, Duration limit) {
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
