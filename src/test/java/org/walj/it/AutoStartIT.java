package org.walj.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.walj.it.harness.ArchivingCluster;
import org.walj.it.harness.AutoStartedDaemons;
import org.walj.it.harness.PgCluster;
import org.walj.it.harness.RestoreAndCompare;
import org.walj.it.harness.Scratch;
import org.walj.it.harness.ScratchExtension;
import org.walj.it.harness.SourceState;
import org.walj.it.harness.WalJ;

/**
 * A daemon started on demand (WALJ_DAEMON_AUTOSTART=on, docs/daemon.md "Started on demand") with a real PostgreSQL
 * 15 whose archive_command is the plain {@code wal-j wal-push %p} and restore_command the plain wal-fetch: nobody
 * starts a daemon by hand. The first call archives in-process and then starts one; later calls are served by it; a
 * recovery fetches through it and compares row by row; with nothing to do it stops by itself. And a runtime directory
 * the server's user cannot write: archiving and recovery exactly as without the setting, with one WARNING per call
 * at most.
 */
@ExtendWith(ScratchExtension.class)
class AutoStartIT {
    private static final List<String> TABLES = List.of("pgbench_accounts", "pgbench_branches", "pgbench_tellers",
            "pgbench_history", "after_backup");
    /**
     * The daemons' idle exit: the first test waits it out at its end. Each check of "one daemon" follows a call, and
     * the served counts read the previous start's log too, so a daemon that idled out during a slow step changes nothing.
     */
    private static final Duration IDLE = Duration.ofSeconds(15);
    private static final String NOT_STARTING = "wal-j: WARNING: not starting a daemon";

    @Test
    void theFirstWalPushStartsADaemonThatServesTheNextCallsAndStopsWhenIdle(Scratch scratch) throws Exception {
        WalJ walj = WalJ.install(scratch);
        Path archive = scratch.archive("archive");
        try (AutoStartedDaemons daemons = AutoStartedDaemons.in(scratch, "run")) {
            Map<String, String> walEnv = walj.fileArchiveEnv(archive);
            walEnv.putAll(daemons.env(IDLE));
            PgCluster source = ArchivingCluster.initdb(scratch, walj, "src", walEnv)
                    .configure(Map.of("wal_keep_size", "2GB", "max_wal_size", "4GB"));
            source.start();
            source.pgbench(Duration.ofMinutes(2), "-i", "-s", "3", "-q");
            source.waitArchived(source.switchWal(), Duration.ofMinutes(2));
            // the first call pushed in-process and started the daemon after its JVM exited, in the background:
            // it may be a moment before it runs
            long started = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (daemons.running().isEmpty() && System.nanoTime() < started) {
                Thread.sleep(50);
            }
            assertEquals(1, daemons.running().size(), "one daemon started:\n" + source.logTail(40));
            // the daemon serves once it listens: more segments until it has served some
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            for (int i = 0; daemons.served("wal-push") < 3 && System.nanoTime() < deadline; i++) {
                source.psql("CREATE TABLE IF NOT EXISTS filler (n int); INSERT INTO filler VALUES (" + i + ")");
                source.waitArchived(source.switchWal(), Duration.ofMinutes(2));
            }
            assertTrue(daemons.served("wal-push") >= 3, "the daemon served archive_command:\n" + daemons.log());
            PgCluster restored = source.baseBackup("restored");
            source.psql("CREATE TABLE after_backup (id bigint PRIMARY KEY, payload text NOT NULL);"
                    + "INSERT INTO after_backup SELECT g, repeat(md5(g::text), 3) FROM generate_series(1, 20000) g");
            source.waitArchived(source.switchWal(), Duration.ofMinutes(2));
            assertEquals(1, daemons.running().size(), "still one daemon: " + daemons.running());
            assertEquals(1, daemons.sockets().size(), "one socket: " + daemons.sockets());
            String serverLog = Files.readString(source.logFile());
            assertFalse(serverLog.contains("WARNING: not starting") || serverLog.contains("exited with status"),
                    source.logTail(40));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(daemons.dir())));

            // recovery through the same daemon (same configuration), compared row by row
            SourceState expected = SourceState.capture(source, TABLES, scratch.dir("dumps/src"));
            source.stop();
            int fetches = daemons.served("wal-fetch");
            RestoreAndCompare.throughWalFetch(restored, walj, walEnv, Duration.ofMinutes(4), expected, "auto-started");
            assertTrue(daemons.served("wal-fetch") > fetches, "restore_command went through a daemon:\n"
                    + daemons.log());

            // nothing to do: it stops by itself, socket removed
            daemons.awaitGone(IDLE.plusMinutes(2));
            assertTrue(daemons.log().contains("MSG: daemon idle, stopping"), daemons.log());
            assertFalse(daemons.log().contains("ERROR"), daemons.log());
        }
    }

    @Test
    void aRuntimeDirectoryTheServerCannotWriteArchivesAndRecoversAsBefore(Scratch scratch) throws Exception {
        WalJ walj = WalJ.install(scratch);
        Path archive = scratch.archive("archive");
        try (AutoStartedDaemons daemons = AutoStartedDaemons.in(scratch, "read-only")) {
            Files.setPosixFilePermissions(daemons.xdgRuntimeDir(), PosixFilePermissions.fromString("r-x------"));
            Map<String, String> walEnv = walj.fileArchiveEnv(archive);
            walEnv.putAll(daemons.env(IDLE));
            PgCluster source = ArchivingCluster.initdb(scratch, walj, "src", walEnv)
                    .configure(Map.of("wal_keep_size", "1GB"));
            source.start();
            source.pgbench(Duration.ofMinutes(2), "-i", "-s", "1", "-q");
            PgCluster restored = source.baseBackup("restored");
            source.psql("CREATE TABLE after_backup (id bigint PRIMARY KEY, payload text NOT NULL);"
                    + "INSERT INTO after_backup SELECT g, md5(g::text) FROM generate_series(1, 5000) g");
            source.waitArchived(source.switchWal(), Duration.ofMinutes(2));
            PgCluster.ArchiverStats stats = source.archiverStats();
            assertEquals(0, stats.failedCount(), source.logTail(40));
            long warnings = lines(Files.readString(source.logFile()), NOT_STARTING);
            assertTrue(warnings >= 1 && warnings <= stats.archivedCount(), "one WARNING per call at most: "
                    + warnings + " for " + stats.archivedCount() + " calls\n" + source.logTail(20));
            assertFalse(Files.exists(daemons.dir()), "nothing created");
            assertTrue(daemons.running().isEmpty());

            SourceState expected = SourceState.capture(source, TABLES, scratch.dir("dumps/src"));
            source.stop();
            RestoreAndCompare.throughWalFetch(restored, walj, walEnv, Duration.ofMinutes(4), expected, "read-only run");
            assertTrue(lines(Files.readString(restored.logFile()), NOT_STARTING) >= 1);
            assertFalse(Files.exists(daemons.dir()));
        }
    }

    private static long lines(String log, String start) {
        return Pattern.compile("(?m)^" + Pattern.quote(start)).matcher(log).results().count();
    }
}
