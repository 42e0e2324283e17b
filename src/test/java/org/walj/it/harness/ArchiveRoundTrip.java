package org.walj.it.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The end-to-end WAL scenario every storage backend's IT runs: a cluster archiving through {@code wal-j wal-push}
 * under pgbench, a base backup taken midway, more writes, then the backup recovered through {@code wal-j wal-fetch}
 * and compared table by table with the source.
 */
public final class ArchiveRoundTrip {
    private static final List<String> TABLES =
            List.of("pgbench_accounts", "pgbench_history", "before_backup", "after_backup");

    private ArchiveRoundTrip() {
    }

    /**
     * Runs the scenario with {@code walEnv} as both servers' environment. {@code inspectArchive} gets the name of the
     * last segment archived, after the source stopped and before the recovery; {@code where} names the archive in
     * failure messages.
     */
    public static void archiveAndRecover(Scratch scratch, WalJ walj, Map<String, String> walEnv, String where,
                                  Consumer<String> inspectArchive) {
        PgCluster source = ArchivingCluster.initdb(scratch, walj, "src", walEnv);
        source.start();
        // scale 1: a few segments for every backend to store and serve back; more only costs a wal-push and a
        // wal-fetch per segment
        source.pgbench(Duration.ofMinutes(2), "-i", "-s", "1", "-q");
        source.psql("CREATE TABLE before_backup AS SELECT g AS id, md5(g::text) AS payload "
                + "FROM generate_series(1, 3000) g");
        source.waitArchived(source.switchWal(), Duration.ofMinutes(1));
        PgCluster restored = source.baseBackup("restored");
        source.psql("CREATE TABLE after_backup AS SELECT g AS id, repeat(md5(g::text), 3) AS payload "
                + "FROM generate_series(1, 4000) g; DELETE FROM before_backup WHERE id % 11 = 0;");
        source.pgbench(Duration.ofMinutes(1), "-T", "3", "-c", "2", "-j", "2");
        String last = source.switchWal();
        String endOfWrites = source.currentWalLsn();
        source.waitArchived(last, Duration.ofMinutes(2));
        assertEquals(0, source.archiverStats().failedCount(), "archive_command never failed");
        SourceState expected = new SourceState(endOfWrites, source.dumpTables(TABLES, scratch.dir("dumps/src")));
        source.stop();

        inspectArchive.accept(last);

        RestoreAndCompare.throughWalFetch(restored, walj, walEnv, Duration.ofMinutes(2), expected, where);
    }
}
