package org.walj.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.walj.it.harness.ArchivingCluster;
import org.walj.it.harness.PgCluster;
import org.walj.it.harness.ProcessResult;
import org.walj.it.harness.Scratch;
import org.walj.it.harness.ScratchExtension;
import org.walj.it.harness.WalJ;
import org.walj.testsupport.NodeExporter;

/**
 * {@code wal-j status} against a real PostgreSQL 15: healthy after a base backup, then with an archive_command that
 * fails ({@code false}) one call reports the stuck archive (failures, backlog) in text, JSON and the Prometheus file
 * node_exporter reads; with the server stopped it falls back to the newest segment in storage.
 */
@ExtendWith(ScratchExtension.class)
class StatusIT {

    @Test
    void oneCallReportsAStuckArchiveAndStorageStandsInForAStoppedServer(Scratch scratch) throws Exception {
        assumeTrue(NodeExporter.installed(), "prometheus-node-exporter is not installed (.ci/run installs it)");
        WalJ walj = WalJ.install(scratch);
        Path archive = scratch.archive("archive");
        Map<String, String> env = walj.fileArchiveEnv(archive);
        Path textfiles = scratch.user().createDirectory(scratch.root().resolve("textfiles"));
        Path prom = textfiles.resolve("walj.prom");

        PgCluster pg = ArchivingCluster.initdb(scratch, walj, "src", env);
        pg.start();
        Map<String, String> pgEnv = new LinkedHashMap<>(env);
        pgEnv.putAll(pg.clientEnv());
        pg.psql("CREATE TABLE t AS SELECT g FROM generate_series(1, 10000) g");
        walj.run(pgEnv, Duration.ofMinutes(3), "backup-push", "--start-fast", pg.dataDir().toString())
                .requireSuccess();
        String lastGood = pg.switchWal();
        pg.waitArchived(lastGood, Duration.ofMinutes(1));

        try (NodeExporter exporter = NodeExporter.start(textfiles)) {
            // --- healthy
            String healthy = status(walj, pgEnv, pg, prom, "--json").stdout();
            // PostgreSQL's last archived file may be the backup history file (...02.00000028.backup) after the segment
            String lastArchived = pg.archiverStats().lastArchivedWal();
            assertTrue(lastArchived.startsWith(lastGood), lastArchived);
            assertEquals("postgres", field(healthy, "source"), healthy);
            assertEquals("0", field(healthy, "failed_count"), healthy);
            assertEquals("false", field(healthy, "failing"), healthy);
            assertEquals("1", field(healthy, "backups"), healthy);
            assertEquals("complete", field(healthy, "wal_coverage"), healthy);
            assertEquals(lastArchived, field(healthy, "last_archived_wal"), healthy);
            String scraped = exporter.scrapeParsed();
            assertEquals(0.0, value(scraped, "walj_archiver_failing"), scraped);
            assertEquals(1.0, value(scraped, "walj_backup_newest_wal_complete"), scraped);
            assertTrue(value(scraped, "walj_backup_newest_age_seconds") < 600, scraped);

            // --- archive_command fails: PostgreSQL keeps the segments and retries
            pg.psql("ALTER SYSTEM SET archive_command = 'false'; SELECT pg_reload_conf();");
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (pg.archiverStats().failedCount() < 1) {
                assertTrue(System.nanoTime() < deadline, "archive_command never failed: " + pg.archiverStats());
                pg.psql("INSERT INTO t SELECT g FROM generate_series(1, 1000) g");
                pg.switchWal();
                Thread.sleep(500);
            }
            PgCluster.ArchiverStats stats = pg.archiverStats();
            String stuck = status(walj, pgEnv, pg, prom, "--json").stdout();
            assertEquals("true", field(stuck, "failing"), stuck);
            assertTrue(Long.parseLong(field(stuck, "failed_count")) >= stats.failedCount(), stuck);
            assertTrue(field(stuck, "last_failed_wal").compareTo(lastGood) > 0, stuck);
            assertEquals(lastArchived, field(stuck, "last_archived_wal"), stuck);
            assertTrue(Integer.parseInt(field(stuck, "segments")) >= 1, "the .ready backlog: " + stuck);
            scraped = exporter.scrapeParsed();
            assertEquals(1.0, value(scraped, "walj_archiver_failing"), scraped);
            assertTrue(value(scraped, "walj_archiver_failed_total") >= 1, scraped);
            assertTrue(value(scraped, "walj_archive_ready_segments") >= 1, scraped);
            assertEquals(1.0, value(scraped, "walj_postgres_up"), scraped);

            String text = status(walj, pgEnv, pg, prom).stdout();
            assertTrue(text.contains("FAILING: the latest attempt failed"), text);
            assertTrue(text.contains("segments waiting to be archived (.ready): "), text);

            // --- the server is down: the last archived segment comes from storage, with the reason
            pg.stop();
            ProcessResult down = status(walj, pgEnv, pg, prom, "--json");
            assertEquals("storage", field(down.stdout(), "source"), down.describe());
            // the newest segment in storage, which may be newer than PostgreSQL's last archived one: the daemon the
            // default configuration started stores .ready segments ahead of PostgreSQL's calls (push-ahead), and
            // it may have stored one after archive_command became 'false'
            String newestStored;
            try (Stream<Path> objects = Files.list(archive.resolve("wal_005"))) {
                newestStored = objects.map(p -> p.getFileName().toString())
                        .filter(n -> n.matches("[0-9A-F]{24}\\.(lzo|lz4)")).map(n -> n.substring(0, 24))
                        .max(Comparator.naturalOrder()).orElseThrow();
            }
            assertTrue(newestStored.compareTo(lastGood) >= 0, newestStored + " after " + lastGood);
            assertEquals(newestStored, field(down.stdout(), "last_archived_wal"), down.describe());
            assertTrue(down.stdout().contains("\"postgres_error\": \"could not connect to PostgreSQL"), down.describe());
            assertTrue(down.stderr().contains("MSG: PostgreSQL did not answer"), down.describe());
            scraped = exporter.scrapeParsed();
            assertEquals(0.0, value(scraped, "walj_postgres_up"), scraped);
            assertTrue(scraped.contains("walj_archiver_last_archived_info{segment=\"" + newestStored
                    + "\",source=\"storage\"} 1"), scraped);
        }
    }

    private static ProcessResult status(WalJ walj, Map<String, String> env, PgCluster pg, Path prom, String... more) {
        String[] args = new String[4 + more.length];
        args[0] = "status";
        args[1] = "--pgdata=" + pg.dataDir();
        args[2] = "--prometheus";
        args[3] = prom.toString();
        System.arraycopy(more, 0, args, 4, more.length);
        ProcessResult r = walj.run(env, args).requireSuccess();
        assertTrue(Files.exists(prom), "the metrics file was written");
        return r;
    }

    /** A JSON field's value as text: a string without its quotes, or a number, boolean or null. */
    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\": (\"([^\"]*)\"|[^,}]+)").matcher(json);
        assertTrue(m.find(), name + " in " + json);
        return m.group(2) != null ? m.group(2) : m.group(1);
    }

    private static double value(String scrape, String sample) {
        return NodeExporter.value(scrape, sample).orElseThrow(() -> new AssertionError("no " + sample));
    }
}
