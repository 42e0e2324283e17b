package org.walj.backup;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.walj.UserException;
import org.walj.archive.Archive;
import org.walj.archive.Archives;
import org.walj.pipeline.EncoderOptions;
import org.walj.postgres.BackupLabel;
import org.walj.postgres.Lsn;
import org.walj.postgres.WalSegmentSize;

/**
 * A standby backup's checks against a real file archive: the stop segment's wait (found, appears late, never
 * appears), whose segment it is (system identifier in its page header), the timeline checks, and that signal files
 * are never listed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StandbyBackupTest {
    private static final long OURS = 7_300_000_000_000_000_001L;
    private static final long THEIRS = 7_300_000_000_000_000_002L;
    private static final WalSegmentSize SIZE = WalSegmentSize.DEFAULT;
    /** In segment 000000010000000000000003, as the standby's pg_backup_stop would return it. */
    private static final Lsn STOP = Lsn.parse("0/3000148");
    private static final BackupLabel LABEL = BackupLabel.parse("START WAL LOCATION: 0/2000028 (file "
            + "000000010000000000000002)\nCHECKPOINT LOCATION: 0/2000060\nBACKUP METHOD: streamed\n"
            + "BACKUP FROM: standby\nSTART TIME: 2026-12-07 06:00:00 UTC\nLABEL: x\nSTART TIMELINE: 1\n");

    @TempDir
    Path root;

    private Archive archive() throws IOException {
        Files.createDirectories(root.resolve("wal_005"));
        return Archives.file(root);
    }

    private StandbyBackup standby(Archive archive, Duration wait) {
        return new StandbyBackup(archive, new StandbyBackup.Options(wait, Optional.empty()), OURS);
    }

    @Test
    void theStopSegmentAlreadyArchivedByThisClusterCompletesAtOnce() throws IOException {
        try (Archive archive = archive()) {
            store(archive, "000000010000000000000003", 1, 3L * SIZE.bytes(), OURS);
            assertDoesNotThrow(() -> standby(archive, Duration.ZERO).awaitArchived(LABEL, 1, STOP, 1, SIZE));
        }
    }

    @Test
    void aSegmentThatAppearsDuringTheWaitCompletesTheBackup() throws Exception {
        try (Archive archive = archive()) {
            CompletableFuture<Void> primary = CompletableFuture.runAsync(() -> {
                try {
                    Thread.sleep(1500);
                    store(archive, "000000010000000000000003", 1, 3L * SIZE.bytes(), OURS);
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            standby(archive, Duration.ofSeconds(30)).awaitArchived(LABEL, 1, STOP, 1, SIZE);
            primary.get();
        }
    }

    @Test
    void aSegmentNeverArchivedFailsAfterTheBoundedWaitWithTheSwitchHint() throws IOException {
        try (Archive archive = archive()) {
            // the segment before is there: the wait is for the one holding the stop position
            store(archive, "000000010000000000000002", 1, 2L * SIZE.bytes(), OURS);
            long started = System.nanoTime();
            UserException e = assertThrows(UserException.class,
                    () -> standby(archive, Duration.ofSeconds(2)).awaitArchived(LABEL, 1, STOP, 1, SIZE));
            assertTrue(System.nanoTime() - started >= Duration.ofSeconds(2).toNanos(), "waited the whole bound");
            assertEquals("standby backup not completed: segment 000000010000000000000003 was not archived within 2 s",
                    e.getMessage());
            assertTrue(e.hint().orElseThrow().contains("SELECT pg_switch_wal()"), e.hint().toString());
            assertTrue(e.detail().orElseThrow().contains("no sentinel"), e.detail().toString());
        }
    }

    @Test
    void aSegmentOfTheSameNameFromAnotherClusterIsRefused() throws IOException {
        String message = refusalFor(3L * SIZE.bytes(), THEIRS).getMessage();
        assertTrue(message.startsWith("standby backup refused: file://localhost" + root), message);
        assertTrue(message.contains("is not the archive the standby's primary archives to: its "
                + "000000010000000000000003 was written by another cluster (system identifier " + THEIRS), message);
        assertTrue(refusalFor(9L * SIZE.bytes(), OURS).getMessage().contains("written by another cluster"),
                "a header naming another WAL address is not this segment either");
    }

    /** The refusal when the archived stop segment's header says {@code address} and {@code sysid}. */
    private UserException refusalFor(long address, long sysid) throws IOException {
        try (Archive archive = archive()) {
            store(archive, "000000010000000000000003", 1, address, sysid);
            return assertThrows(UserException.class,
                    () -> standby(archive, Duration.ZERO).awaitArchived(LABEL, 1, STOP, 1, SIZE));
        }
    }

    @Test
    void aTimelineChangeBetweenStartAndStopIsRefused() throws IOException {
        try (Archive archive = archive()) {
            store(archive, "000000010000000000000003", 1, 3L * SIZE.bytes(), OURS);
            UserException stopped = assertThrows(UserException.class,
                    () -> standby(archive, Duration.ZERO).awaitArchived(LABEL, 2, STOP, 1, SIZE));
            assertEquals("standby backup refused: the standby's timeline changed during the backup (started on 1, "
                    + "named by 1, stopped on 2)", stopped.getMessage());
            assertThrows(UserException.class,
                    () -> standby(archive, Duration.ZERO).awaitArchived(LABEL, 2, STOP, 2, SIZE),
                    "the label says timeline 1, the name was computed for 2");
        }
    }

    @Test
    void aStandbyPastTimelineOneNeedsItsHistoryFileInTheArchive() throws IOException {
        try (Archive archive = archive()) {
            StandbyBackup s = standby(archive, Duration.ZERO);
            assertDoesNotThrow(() -> s.requireTimelineHistory(1));
            UserException e = assertThrows(UserException.class, () -> s.requireTimelineHistory(2));
            assertTrue(e.getMessage().endsWith("it holds no history file for the standby's timeline 2 "
                    + "(00000002.history)"), e.getMessage());
            put(archive, "wal_005/00000002.history.lzo", "1\t0/3000000\tno recovery target specified\n".getBytes());
            assertDoesNotThrow(() -> s.requireTimelineHistory(2));
        }
    }

    @Test
    void aSecondPushFromTheSameReplayedCheckpointDoesNotOverwriteACompleteBackup() throws IOException {
        try (Archive archive = archive()) {
            org.walj.layout.BackupName name = org.walj.layout.BackupName.of(
                    org.walj.postgres.SegmentName.parse("000000010000000000000002").orElseThrow(), 40);
            StandbyBackup s = standby(archive, Duration.ZERO);
            assertDoesNotThrow(() -> s.beforeUpload(name, 1, SIZE));
            put(archive, org.walj.layout.BackupLayout.sentinelKey(name), "{}".getBytes());
            UserException e = assertThrows(UserException.class, () -> s.beforeUpload(name, 1, SIZE));
            assertEquals("standby backup refused: backup base_000000010000000000000002_00000040 already exists",
                    e.getMessage());
        }
    }

    @Test
    void anArchiveWhoseSegmentBeforeTheStartIsAnotherClustersIsRefusedBeforeUploading() throws IOException {
        org.walj.layout.BackupName name = org.walj.layout.BackupName.of(
                org.walj.postgres.SegmentName.parse("000000010000000000000003").orElseThrow(), 40);
        try (Archive archive = archive()) {
            StandbyBackup s = standby(archive, Duration.ZERO);
            assertDoesNotThrow(() -> s.beforeUpload(name, 1, SIZE), "nothing archived yet: nothing to tell");
            store(archive, "000000010000000000000002", 1, 2L * SIZE.bytes(), THEIRS);
            UserException e = assertThrows(UserException.class, () -> s.beforeUpload(name, 1, SIZE));
            assertTrue(e.getMessage().contains("its 000000010000000000000002 was written by another cluster"),
                    e.getMessage());
            store(archive, "000000010000000000000002", 1, 2L * SIZE.bytes(), OURS);
            assertDoesNotThrow(() -> s.beforeUpload(name, 1, SIZE));
        }
    }

    @Test
    void theLastSegmentNeededHoldsTheByteBeforeTheStop() {
        assertEquals("000000010000000000000003", StandbyBackup.lastNeeded(STOP, 1, SIZE).toString());
        assertEquals("000000010000000000000002",
                StandbyBackup.lastNeeded(Lsn.parse("0/3000000"), 1, SIZE).toString(),
                "a stop at a segment boundary needs nothing of the segment it starts");
    }

    @Test
    void signalFilesAreNeverListed() throws IOException {
        Path data = Files.createDirectories(root.resolve("data"));
        Files.writeString(data.resolve("PG_VERSION"), "15\n");
        for (String f : List.of("standby.signal", "recovery.signal", "postgresql.auto.conf")) {
            Files.writeString(data.resolve(f), "");
        }
        List<String> names = ClusterListing.of(data).members().stream().map(ClusterMember::name).toList();
        assertFalse(names.contains("standby.signal"), names.toString());
        assertFalse(names.contains("recovery.signal"), names.toString());
        assertTrue(names.contains("postgresql.auto.conf"), "configuration by ALTER SYSTEM is backed up");
    }

    /** A 64 KiB segment start: a long page header (PostgreSQL 15's magic) naming timeline, address and cluster. */
    private static void store(Archive archive, String segment, long timeline, long address, long sysid)
            throws IOException {
        byte[] page = new byte[65536];
        ByteBuffer b = ByteBuffer.wrap(page).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(0, (short) 0xD110).putShort(2, (short) 0x0002).putInt(4, (int) timeline).putLong(8, address)
                .putLong(24, sysid).putInt(32, (int) SIZE.bytes()).putInt(36, 8192);
        put(archive, "wal_005/" + segment + ".lzo", page);
    }

    private static void put(Archive archive, String key, byte[] plain) throws IOException {
        ByteArrayOutputStream encoded = new ByteArrayOutputStream();
        try (OutputStream enc = archive.codec().encoder(encoded, EncoderOptions.pipe())) {
            enc.write(plain);
        }
        archive.storage().put(key, new ByteArrayInputStream(encoded.toByteArray()), null);
    }
}
