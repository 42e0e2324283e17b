package org.walj.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walj.UserException;
import org.walj.postgres.ArchiverStats;
import org.walj.retention.TestArchive;

/** The collection over a real file archive; PostgreSQL's answer is given (StatusIT asks a real server). */
class StatusCollectorTest {
    private static final long T = 1_800_000_000L;
    private static final Clock NOW = Clock.fixed(Instant.ofEpochSecond(T + 3600), ZoneOffset.UTC);

    @TempDir
    Path tmp;

    @Test
    void withoutPostgresTheNewestSegmentObjectIsTheLastArchivedAndTheNewestBackupHasItsCoverage() throws Exception {
        TestArchive a = new TestArchive(Files.createDirectories(tmp.resolve("archive")))
                .segments(1, 2, 8, T)
                .wal(T + 100, "000000010000000000000003") // rewritten later: not the newest segment
                .wal(T + 60, "000000010000000000000009")
                .wal(T + 200, "00000001000000000000000A.partial", "000000010000000000000009.00000028.backup")
                .backup("base_000000010000000000000002_00000040", T + 10)
                .backup("base_000000010000000000000009_00000040", T + 70);
        HostStatus s = new StatusCollector(a.opened(), NOW).collect(Optional.empty(), Optional.empty());
        assertEquals(ArchiverState.Source.STORAGE, s.archiver().source());
        assertEquals(Optional.of("000000010000000000000009"), s.archiver().lastArchivedWal(),
                "the highest segment name; partial segments and backup history files are not archived positions");
        assertEquals(Optional.of(Instant.ofEpochSecond(T + 60)), s.archiver().lastArchivedTime());
        assertEquals(OptionalLong.empty(), s.archiver().failedCount());
        assertEquals(2, s.backups());
        assertEquals("base_000000010000000000000009_00000040", s.newestBackup().orElseThrow().name());
        assertEquals("complete", s.newestBackup().get().walCoverage(), "the same column as backup-list --detail");
        assertEquals(3530, s.ageOf(s.newestBackup().get().lastModified()).toSeconds());
        assertEquals(Optional.empty(), s.backlog());
    }

    @Test
    void postgresAnswerIsUsedAndItsFailureFallsBackToStorageWithTheReason() throws Exception {
        TestArchive a = new TestArchive(Files.createDirectories(tmp.resolve("archive"))).segments(1, 1, 3, T);
        ArchiverStats stuck = new ArchiverStats(3, Optional.of("000000010000000000000003"),
                Optional.of(Instant.ofEpochSecond(T)), 7, Optional.of("000000010000000000000004"),
                Optional.of(Instant.ofEpochSecond(T + 30)));
        HostStatus asked = new StatusCollector(a.opened(), NOW).collect(Optional.of(() -> stuck), Optional.empty());
        assertEquals(ArchiverState.Source.POSTGRES, asked.archiver().source());
        assertEquals(OptionalLong.of(7), asked.archiver().failedCount());
        assertTrue(asked.archiver().failing(), "failed after the last success");
        assertEquals(0, asked.backups());
        assertEquals(Optional.empty(), asked.newestBackup());

        HostStatus fallback = new StatusCollector(a.opened(), NOW).collect(Optional.of(() -> {
            throw new IOException("could not connect to PostgreSQL (socket \"/x/.s.PGSQL.5432\")");
        }), Optional.empty());
        assertEquals(ArchiverState.Source.STORAGE, fallback.archiver().source());
        assertEquals(Optional.of("000000010000000000000003"), fallback.archiver().lastArchivedWal());
        assertTrue(fallback.postgresProblem().orElseThrow().contains("could not connect"));
        assertFalse(fallback.archiver().failing());
    }

    @Test
    void theBacklogCountsReadyFilesOnlyAndDatesTheOldest() throws Exception {
        Path pgdata = tmp.resolve("data");
        Path status = Files.createDirectories(pgdata.resolve("pg_wal/archive_status"));
        Files.setLastModifiedTime(Files.createFile(status.resolve("000000010000000000000005.ready")),
                FileTime.fromMillis((T + 50) * 1000));
        Files.setLastModifiedTime(Files.createFile(status.resolve("000000010000000000000004.ready")),
                FileTime.fromMillis((T + 20) * 1000));
        Files.createFile(status.resolve("000000010000000000000003.done"));
        TestArchive a = new TestArchive(Files.createDirectories(tmp.resolve("archive"))).segments(1, 1, 3, T);
        HostStatus s = new StatusCollector(a.opened(), NOW).collect(Optional.empty(), Optional.of(pgdata));
        assertEquals(new ReadyBacklog(2, Optional.of(Instant.ofEpochSecond(T + 20))), s.backlog().orElseThrow());

        UserException notData = assertThrows(UserException.class, () -> new StatusCollector(a.opened(), NOW)
                .collect(Optional.empty(), Optional.of(tmp.resolve("archive"))));
        assertTrue(notData.getMessage().startsWith("not a PostgreSQL data directory"), notData.getMessage());
    }

    @Test
    void failingMeansTheLatestAttemptFailed() {
        Optional<String> w = Optional.of("000000010000000000000001");
        Optional<Instant> early = Optional.of(Instant.ofEpochSecond(T));
        Optional<Instant> late = Optional.of(Instant.ofEpochSecond(T + 1));
        assertTrue(new ArchiverStats(0, Optional.empty(), Optional.empty(), 1, w, early).failing());
        assertTrue(new ArchiverStats(1, w, early, 1, w, late).failing());
        assertFalse(new ArchiverStats(1, w, late, 1, w, early).failing(), "recovered");
        assertFalse(new ArchiverStats(1, w, late, 0, Optional.empty(), Optional.empty()).failing());
    }
}
