package org.walj.it.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The whole mission on a real PostgreSQL 15, wal-j on both sides, against whatever archive {@code env} names:
 * archive_command, an online backup-push while pgbench writes, backup-list, backup-fetch LATEST into an empty
 * directory, and point-in-time recovery through restore_command to a time T (the marker table equals its contents
 * at T exactly) and to the end of the archive (every table equals the source's final contents). Run by
 * {@code BackupPitrIT} (file archive, plain and encrypted) and {@code BackupPitrObjectStoreIT} (Azure, Swift).
 */
public final class PitrRoundTrip {

    private PitrRoundTrip() {
    }

    /** Runs the scenario with {@code env} as the servers' and every wal-j run's environment. */
    public static void run(Scratch scratch, WalJ walj, Map<String, String> env) throws IOException {
        PgCluster source = ArchivingCluster.initdb(scratch, walj, "src", env)
                .configure(ArchivingCluster.SHORT_CHECKPOINTS);
        source.start();
        // scale 1 (about 15 MB of tables beside the three databases' catalogs): enough for several partitions' worth of
        // files and WAL segments; scale 3 only made every archived and fetched segment more
        source.pgbench(Duration.ofMinutes(2), "-i", "-s", "1", "-q");
        source.psql("CREATE TABLE marker (id int PRIMARY KEY, note text NOT NULL);"
                + "INSERT INTO marker SELECT g, 'before backup' FROM generate_series(1, 1000) g");

        Map<String, String> pgEnv = new LinkedHashMap<>(env);
        pgEnv.putAll(source.clientEnv());
        ProcessResult pushed;
        try (PgbenchLoad load = source.pgbenchInBackground(Duration.ofMinutes(2), "-T", "6", "-c", "2", "-j", "2")) {
            long pushStarts = load.awaitProgress(Duration.ofMinutes(1)).operationStarts();
            pushed = walj.run(pgEnv, Duration.ofMinutes(3), "backup-push", "--pool-size", "2",
                    source.dataDir().toString()).requireSuccess();
            load.assertOverlapped(pushStarts, Duration.ofSeconds(1), "backup-push");
            load.finish();
        }

        String listing = walj.run(env, "backup-list", "--detail", "LATEST").requireSuccess().stdout();
        String[] rows = listing.split("\r\n");
        assertEquals(2, rows.length, listing);
        String[] cols = rows[1].split("\t", -1);
        assertEquals(9, cols.length, "WAL-E's seven columns and wal-j's two WAL coverage columns: " + listing);
        assertEquals("complete", cols[7], listing);
        assertTrue(cols[0].matches("base_[0-9A-F]{24}_\\d{8}"), listing);
        assertTrue(Long.parseLong(cols[2]) > 30_000_000L, "expanded size of a scale-1 cluster: " + listing);
        assertTrue(pushed.stderr().contains(cols[0]), "backup-push named the listed backup\n" + pushed.stderr());

        source.psql("INSERT INTO marker SELECT g, 'after backup, before T' FROM generate_series(1001, 2000) g;"
                + "UPDATE marker SET note = 'updated before T' WHERE id % 7 = 0");
        String targetTime = source.psql("SELECT clock_timestamp()");
        Path atT = scratch.file("dumps/marker-at-T.tsv");
        source.dumpTable("marker", atT);
        source.psql("SELECT pg_sleep(0.1); INSERT INTO marker SELECT g, 'after T' FROM generate_series(2001, 3000) g;"
                + "DELETE FROM marker WHERE id % 5 = 0");
        source.pgbench(Duration.ofMinutes(1), "-t", "300", "-c", "2");
        Path finalMarker = scratch.file("dumps/marker-final.tsv");
        Path finalAccounts = scratch.file("dumps/accounts-final.tsv");
        Path finalHistory = scratch.file("dumps/history-final.tsv");
        source.dumpTable("marker", finalMarker);
        source.dumpTable("pgbench_accounts", finalAccounts);
        source.dumpTable("pgbench_history", finalHistory);
        source.waitArchived(source.switchWal(), Duration.ofMinutes(1));
        assertNotEquals(Files.readString(atT), Files.readString(finalMarker), "T separates two different states");

        PgCluster pitr = PgCluster.unfilled(scratch, "pitr");
        walj.run(env, "backup-fetch", "--pool-size", "2", pitr.dataDir().toString(), "LATEST").requireSuccess();
        pitr.adoptConfigurationOf(source).recoverWith(walj.shellCommand("wal-fetch", "%f", "%p"),
                Map.of("recovery_target_time", targetTime, "recovery_target_action", "promote"),
                env, Duration.ofMinutes(2));
        Path pitrMarker = scratch.file("dumps/marker-pitr.tsv");
        pitr.dumpTable("marker", pitrMarker);
        Compare.assertSameLines(atT, pitrMarker, "marker table recovered to T");
        pitr.stop();

        source.stop();
        PgCluster full = PgCluster.unfilled(scratch, "full");
        walj.run(env, "backup-fetch", full.dataDir().toString(), cols[0]).requireSuccess();
        full.adoptConfigurationOf(source).recoverWith(walj.shellCommand("wal-fetch", "%f", "%p"),
                env, Duration.ofMinutes(2));
        for (Map.Entry<String, Path> t : Map.of("marker", finalMarker, "pgbench_accounts", finalAccounts,
                "pgbench_history", finalHistory).entrySet()) {
            Path got = scratch.file("dumps/full-" + t.getKey() + ".tsv");
            full.dumpTable(t.getKey(), got);
            Compare.assertSameLines(t.getValue(), got, t.getKey() + " recovered to the end of the archive");
        }
        full.stop();
    }

}
