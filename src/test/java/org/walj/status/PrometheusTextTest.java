package org.walj.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walj.UserException;
import org.walj.backup.BackupRow;
import org.walj.testsupport.NodeExporter;

/**
 * {@code status --prometheus} read by its real consumer: node_exporter's textfile collector parses the file with
 * Prometheus' own text-format parser (client_java has writers only), and its scrape shows what it understood.
 */
class PrometheusTextTest {
    private static final long T = 1_800_000_000L;

    @TempDir
    Path textfiles;
    private NodeExporter exporter;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(NodeExporter.installed(), "prometheus-node-exporter is not installed (.ci/run installs it)");
        exporter = NodeExporter.start(textfiles);
    }

    @AfterEach
    void stop() {
        if (exporter != null) {
            exporter.close();
        }
    }

    private static HostStatus stuckWithBackups(String backupName) {
        ArchiverState archiver = new ArchiverState(ArchiverState.Source.POSTGRES,
                Optional.of("000000010000000000000003"), Optional.of(Instant.ofEpochMilli(T * 1000 + 250)),
                OptionalLong.of(7), Optional.of("000000010000000000000004"), Optional.of(Instant.ofEpochSecond(T + 30)),
                true);
        BackupRow newest = new BackupRow(backupName, Instant.ofEpochSecond(T - 86_400), OptionalLong.of(1),
                "000000010000000000000002", "00000040", "000000010000000000000002", "00000312", "gap", null);
        return new HostStatus(Instant.ofEpochSecond(T + 3600), archiver, Optional.empty(),
                Optional.of(new ReadyBacklog(5, Optional.of(Instant.ofEpochSecond(T + 40)))), 2, Optional.of(newest));
    }

    @Test
    void everyValueIsReadBackAsWritten() throws Exception {
        PrometheusTextfile.write(textfiles.resolve("walj.prom"),
                PrometheusText.of(stuckWithBackups("base_000000010000000000000002_00000040")));
        String scrape = exporter.scrapeParsed();
        assertValue(scrape, "walj_status_collected_timestamp_seconds", T + 3600);
        assertValue(scrape, "walj_postgres_up", 1);
        assertValue(scrape, "walj_archiver_last_archived_timestamp_seconds", T + 0.25);
        assertValue(scrape, "walj_archiver_last_archived_age_seconds", 3599.75);
        assertValue(scrape, "walj_archiver_last_archived_info{segment=\"000000010000000000000003\",source=\"postgres\"}", 1);
        assertValue(scrape, "walj_archiver_failed_total", 7);
        assertValue(scrape, "walj_archiver_last_failed_timestamp_seconds", T + 30);
        assertValue(scrape, "walj_archiver_failing", 1);
        assertValue(scrape, "walj_archive_ready_segments", 5);
        assertValue(scrape, "walj_archive_ready_oldest_age_seconds", 3560);
        assertValue(scrape, "walj_backups", 2);
        assertValue(scrape, "walj_backup_newest_age_seconds", 90_000);
        assertValue(scrape, "walj_backup_newest_wal_complete", 0);
        assertValue(scrape, "walj_backup_newest_info{backup=\"base_000000010000000000000002_00000040\","
                + "wal_coverage=\"gap\"}", 1);
        assertTrue(scrape.contains("# TYPE walj_archiver_failed_total counter"), scrape);
    }

    @Test
    void whatIsNotKnownIsLeftOutAndTheRestStillParses() throws Exception {
        HostStatus fromStorage = new HostStatus(Instant.ofEpochSecond(T), ArchiverState.fromStorage(Optional.empty(),
                Optional.empty()), Optional.of("could not connect"), Optional.empty(), 0, Optional.empty());
        PrometheusTextfile.write(textfiles.resolve("walj.prom"), PrometheusText.of(fromStorage));
        String scrape = exporter.scrapeParsed();
        assertValue(scrape, "walj_postgres_up", 0);
        assertValue(scrape, "walj_backups", 0);
        for (String absent : List.of("walj_archiver_failing", "walj_archiver_failed_total",
                "walj_archive_ready_segments", "walj_backup_newest_age_seconds", "walj_archiver_last_archived")) {
            assertFalse(scrape.contains("\n" + absent), absent + " is absent when unknown:\n" + scrape);
        }
    }

    @Test
    void labelValuesAreEscapedSoAnyTextParses() throws Exception {
        PrometheusTextfile.write(textfiles.resolve("walj.prom"), PrometheusText.of(stuckWithBackups("b\"a\\c\nk")));
        String scrape = exporter.scrapeParsed();
        assertValue(scrape, "walj_backup_newest_info{backup=\"b\\\"a\\\\c\\nk\",wal_coverage=\"gap\"}", 1);
    }

    @Test
    void theFileIsReplacedWholeReadableByOthersAndNoTemporaryFileStays() throws Exception {
        Path file = textfiles.resolve("walj.prom");
        Files.writeString(file, "stale");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        PrometheusTextfile.write(file, PrometheusText.of(stuckWithBackups("base_000000010000000000000002_00000040")));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (var files = Files.list(textfiles)) {
            assertEquals(List.of(file), files.toList(), "only the metrics file");
        }
        exporter.scrapeParsed();
        UserException noDir = assertThrows(UserException.class,
                () -> PrometheusTextfile.write(textfiles.resolve("missing/walj.prom"), "x 1\n"));
        assertTrue(noDir.getMessage().startsWith("cannot write the metrics file"), noDir.getMessage());
    }

    private static void assertValue(String scrape, String sample, double expected) {
        double got = NodeExporter.value(scrape, sample)
                .orElseThrow(() -> new AssertionError("no sample " + sample + " in:\n" + scrape));
        assertEquals(expected, got, 0.001, sample);
    }
}
