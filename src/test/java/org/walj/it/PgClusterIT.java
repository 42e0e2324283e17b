package org.walj.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.walj.it.harness.Compare;
import org.walj.it.harness.PgCluster;
import org.walj.it.harness.Scratch;
import org.walj.it.harness.ScratchExtension;

/**
 * Proves the real-PostgreSQL fixture itself, with plain {@code cp} as archive and restore command (no wal-j):
 * if this fails, the machine or the fixture is broken, not wal-j.
 */
@ExtendWith(ScratchExtension.class)
class PgClusterIT {

    @Test
    void archivesWithCpAndRecoversABaseBackupFromTheArchive(Scratch scratch) {
        Path archive = scratch.dir("archive");
        PgCluster source = PgCluster.initdb(scratch, "src");
        source.configure(Map.of(
                "archive_mode", "on",
                "archive_command", "test ! -f '" + archive + "/%f' && cp %p '" + archive + "/%f'"));
        source.start();
        assertTrue(source.isRunning());
        source.psql("CREATE TABLE t (id int PRIMARY KEY, v text);"
                + "INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 1000) g;");

        PgCluster copy = source.baseBackup("copy");
        assertTrue(Files.exists(copy.dataDir().resolve("backup_label")), "base backup has a backup_label");

        source.psql("INSERT INTO t SELECT g, 'after the backup' FROM generate_series(1001, 2000) g;"
                + "UPDATE t SET v = 'updated' WHERE id % 10 = 0;");
        String last = source.switchWal();
        source.waitArchived(last, Duration.ofSeconds(60));
        assertTrue(Files.exists(archive.resolve(last)), last + " is in the archive");
        Path expected = scratch.file("dumps/src-t.tsv");
        source.dumpTable("t", expected);
        source.stop();
        assertFalse(source.isRunning());

        copy.configure(Map.of(
                "restore_command", "cp '" + archive + "/%f' %p",
                "recovery_target_timeline", "latest"));
        copy.createRecoverySignal();
        copy.start(Duration.ofSeconds(60));
        copy.waitRecoveryFinished(Duration.ofSeconds(60));

        Path actual = scratch.file("dumps/copy-t.tsv");
        copy.dumpTable("t", actual);
        Compare.assertSameLines(expected, actual, "table t after recovery");
        assertEquals(2000, copy.count("t"));
        assertEquals("100", copy.psql("SELECT count(*) FROM t WHERE v = 'updated' AND id > 1000"));
        assertTrue(copy.currentWalFile().startsWith("00000002"), "promoted to timeline 2");
    }

    @Test
    void aFailingArchiveCommandFailsTheWaitEarlyWithTheServerLog(Scratch scratch) {
        try (PgCluster pg = PgCluster.initdb(scratch, "broken")) {
            pg.configure(Map.of("archive_mode", "on", "archive_command", "echo walj-it-archive-refused >&2; exit 1"));
            pg.start();
            String segment = pg.switchWal();
            AssertionError e = assertThrows(AssertionError.class,
                    () -> pg.waitArchived(segment, Duration.ofSeconds(60)));
            assertTrue(e.getMessage().contains("keeps failing"), e.getMessage());
            assertTrue(e.getMessage().contains("walj-it-archive-refused"), "server log tail is in the message");
        }
    }
}
