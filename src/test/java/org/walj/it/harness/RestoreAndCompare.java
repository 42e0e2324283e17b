package org.walj.it.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;

/**
 * How a WAL round trip ends: the source's base backup, recovered through {@code wal-j wal-fetch}, must replay the
 * archive up to the source's last write and hold the same rows, table by table. Tests that check more while the
 * copy recovers (its timeline, the prefetch, a restore done without wal-j) keep their own sequence.
 */
public final class RestoreAndCompare {

    private RestoreAndCompare() {
    }

    /**
     * Recovers the stopped {@code copy} with {@code restore_command} wal-fetch and {@code walEnv}, checks it against
     * {@code source}, and stops it. {@code archive} names the archive in failure messages.
     */
    public static void throughWalFetch(PgCluster copy, WalJ walj, Map<String, String> walEnv, Duration timeout,
                                       SourceState source, String archive) {
        copy.recoverWith(walj.shellCommand("wal-fetch", "%f", "%p"), walEnv, timeout);
        assertEquals("t", copy.psql("SELECT pg_current_wal_lsn() >= '" + source.endOfWrites() + "'::pg_lsn"),
                "recovery replayed the " + archive + " archive up to the source's last write ("
                        + source.endOfWrites() + ")");
        copy.assertSameTables(source.tables(), copy.scratch().dir("dumps/" + copy.name()),
                "after recovery from the " + archive + " archive");
        copy.stop();
    }
}
