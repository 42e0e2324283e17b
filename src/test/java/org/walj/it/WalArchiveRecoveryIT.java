package org.walj.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.walj.it.harness.ArchivingCluster;
import org.walj.it.harness.AutoStartedDaemons;
import org.walj.it.harness.Compare;
import org.walj.it.harness.Exec;
import org.walj.it.harness.PgCluster;
import org.walj.it.harness.ProcessResult;
import org.walj.it.harness.Scratch;
import org.walj.it.harness.ScratchExtension;
import org.walj.it.harness.Tools;
import org.walj.it.harness.WalJ;

/**
 * End to end against a real PostgreSQL: wal-j is the archive_command of a busy cluster and the restore_command
 * of a copy restored from a base backup, and the copy must come back identical, row for row.
 *
 * <p>The CLI contract tested here (WAL-E's):
 * <ul>
 *   <li>{@code wal-j [--file-prefix file://localhost/ABS] SUBCOMMAND ...}, or env {@code WALE_FILE_PREFIX};</li>
 *   <li>{@code wal-j wal-push PATH} stores {@code ABS/wal_005/<basename of PATH>.lzo}, an lzop file;</li>
 *   <li>{@code wal-j wal-fetch NAME DEST} exits 0 when it restored the file, 1 (quietly) when NAME is not in
 *       the archive; any other exit code is an error.</li>
 * </ul>
 */
@ExtendWith(ScratchExtension.class)
class WalArchiveRecoveryIT {

    private static final long SEGMENT_SIZE = 16L * 1024 * 1024;
    private static final Pattern SEGMENT = Pattern.compile("([0-9A-F]{8})([0-9A-F]{8})([0-9A-F]{8})");
    private static final Pattern ARCHIVED = Pattern.compile(
            "([0-9A-F]{24})(\\.[0-9A-F]{8}\\.backup|\\.partial)?\\.lzo|[0-9A-F]{8}\\.history\\.lzo");
    private static final List<String> TABLES = List.of("pgbench_accounts", "pgbench_branches", "pgbench_tellers",
            "pgbench_history", "before_backup", "after_backup");

    @Test
    void archiveCommandPushesEverySegmentAndRestoreCommandRecoversTheClusterRowForRow(Scratch scratch)
            throws IOException {
        Path lzop = Tools.require("lzop", "lzop");
        WalJ walj = WalJ.install(scratch);
        Path archive = scratch.archive("archive");
        Map<String, String> walEnv = walj.fileArchiveEnv(archive);

        // --- a source cluster archiving through wal-j, with writes before and after a base backup
        PgCluster source = ArchivingCluster.initdb(scratch, walj, "src", walEnv);
        source.start();
        assertEquals("16MB", source.psql("SHOW wal_segment_size"));

        source.pgbench(Duration.ofMinutes(2), "-i", "-s", "5", "-q");
        source.pgbench(Duration.ofMinutes(1), "-T", "5", "-c", "2", "-j", "2");
        source.psql("CREATE TABLE before_backup (id int PRIMARY KEY, payload text NOT NULL, n numeric);"
                + "INSERT INTO before_backup SELECT g, md5(g::text), g * 1.5 FROM generate_series(1, 3000) g;");

        // Fails within seconds if wal-push is broken (pg_basebackup -X none would wait minutes for the archive).
        source.waitArchived(source.switchWal(), Duration.ofMinutes(1));
        PgCluster restored = source.baseBackup("restored");

        source.psql("CREATE TABLE after_backup (id bigint PRIMARY KEY, payload text NOT NULL);"
                + "INSERT INTO after_backup SELECT g, repeat(md5(g::text), 3) FROM generate_series(1, 4000) g;"
                + "UPDATE before_backup SET payload = 'changed after the backup' WHERE id % 7 = 0;"
                + "DELETE FROM before_backup WHERE id % 11 = 0;");
        source.pgbench(Duration.ofMinutes(1), "-T", "5", "-c", "2", "-j", "2");
        String lastSegment = source.switchWal();
        String endOfWrites = source.currentWalLsn();
        source.waitArchived(lastSegment, Duration.ofMinutes(2));
        assertEquals(0, source.archiverStats().failedCount(), "archive_command never failed");

        Map<String, Path> expected = new LinkedHashMap<>();
        Map<String, Long> expectedCounts = new LinkedHashMap<>();
        for (String table : TABLES) {
            Path dump = scratch.file("dumps/src/" + table + ".tsv");
            source.dumpTable(table, dump);
            expected.put(table, dump);
            expectedCounts.put(table, source.count(table));
        }
        assertEquals(3000 - 3000 / 11, expectedCounts.get("before_backup"));
        assertEquals(4000, expectedCounts.get("after_backup"));
        assertEquals(500_000, expectedCounts.get("pgbench_accounts"));
        source.stop();

        // --- the archive: every object is a valid lzop file holding the exact bytes PostgreSQL handed over
        checkArchive(archive.resolve("wal_005"), source.pgWal(), lastSegment, lzop, scratch);

        // --- restore the base backup from the archive through wal-j and compare row by row
        restored.recoverWith(walj.shellCommand("wal-fetch", "%f", "%p"), walEnv, Duration.ofMinutes(2));
        assertTrue(restored.currentWalFile().startsWith("00000002"), "recovery ended and promoted to timeline 2");
        // the wal-prefetch processes recorded what they verified, and wal-fetch accepted their records
        String serverLog = Files.readString(restored.logFile());
        assertTrue(serverLog.contains("MSG: promoted prefetched wal segment"), "segments came from the prefetch area\n"
                + restored.logTail(60));
        assertFalse(serverLog.contains("discarded a prefetched file"), "no verified prefetch was discarded\n"
                + restored.logTail(60));
        assertFalse(serverLog.contains("could not start prefetching"), "every wal-prefetch process started\n"
                + restored.logTail(60));
        // with nothing configured beyond WAL-E's, the first call started a daemon on demand, which served later ones
        AutoStartedDaemons daemons = AutoStartedDaemons.of(scratch);
        assertTrue(daemons.served("wal-push") + daemons.served("wal-fetch") >= 1,
                "a daemon started on demand served archive_command or restore_command:\n" + daemons.log());
        assertEquals("t", restored.psql("SELECT pg_current_wal_lsn() >= '" + endOfWrites + "'::pg_lsn"),
                "recovery replayed the archive up to the source's last write (" + endOfWrites + "); it stopped at "
                        + restored.currentWalLsn() + ": wal-fetch did not deliver every segment (see the server log)");

        for (String table : TABLES) {
            Path dump = scratch.file("dumps/restored/" + table + ".tsv");
            restored.dumpTable(table, dump);
            Compare.assertSameLines(expected.get(table), dump, "table " + table + " after recovery");
            assertEquals(expectedCounts.get(table), restored.count(table), "rows in " + table);
        }
        assertEquals("changed after the backup", restored.psql("SELECT payload FROM before_backup WHERE id = 14"));
        restored.stop();
    }

    private static void checkArchive(Path wal005, Path sourcePgWal, String lastSegment, Path lzop, Scratch scratch)
            throws IOException {
        assertTrue(Files.isDirectory(wal005), "wal-push created " + wal005);
        List<Path> objects;
        try (Stream<Path> s = Files.list(wal005)) {
            objects = s.sorted().toList();
        }
        TreeSet<Long> segmentNumbers = new TreeSet<>();
        int compared = 0;
        int backupHistoryFiles = 0;
        Path out = scratch.file("lzop-out/decompressed");
        for (Path object : objects) {
            String name = object.getFileName().toString();
            Matcher m = ARCHIVED.matcher(name);
            assertTrue(m.matches(), "unexpected object in wal_005/: " + name);
            Exec.of(lzop.toString(), "-t", object.toString()).runOk();
            Files.deleteIfExists(out);
            Exec.of(lzop.toString(), "-d", "-c", object.toString()).stdoutTo(out).runOk();
            String basename = name.substring(0, name.length() - ".lzo".length());
            if (m.group(1) != null && m.group(2) == null) {
                assertEquals(SEGMENT_SIZE, Files.size(out), name + " decompresses to a whole segment");
                if (basename.startsWith("00000001")) {
                    segmentNumbers.add(segmentNumber(basename));
                }
            }
            if (basename.endsWith(".backup")) {
                backupHistoryFiles++;
            }
            Path original = sourcePgWal.resolve(basename);
            if (Files.isRegularFile(original)) {
                Compare.assertSameBytes(original, out, "lzop -d of " + name + " vs pg_wal/" + basename);
                compared++;
            }
        }
        assertTrue(compared > 0, "at least one archived file still in the source pg_wal was compared");
        assertEquals(1, backupHistoryFiles, "the base backup's history file (.backup) was archived");
        assertFalse(segmentNumbers.isEmpty(), "segments archived");
        long first = segmentNumbers.first();
        // The server's shutdown switches to a new segment once more and archives it, so the archive may go one
        // past the segment pg_switch_wal completed, but never stop short of it.
        long last = segmentNumbers.last();
        assertTrue(last >= segmentNumber(lastSegment), "archive reaches " + lastSegment + "; last is " + last);
        List<Long> missing = new ArrayList<>();
        for (long n = first; n <= last; n++) {
            if (!segmentNumbers.contains(n)) {
                missing.add(n);
            }
        }
        assertTrue(missing.isEmpty(), "no gap in the archived segments; missing segment numbers: " + missing);
    }

    /** Segment number of a 24-hex WAL file name, for 16 MB segments (256 per 4 GB "log" id). */
    private static long segmentNumber(String walFile) {
        Matcher m = SEGMENT.matcher(walFile);
        assertTrue(m.matches(), walFile);
        return Long.parseLong(m.group(2), 16) * 0x100 + Long.parseLong(m.group(3), 16);
    }

    @Test
    void walPushThenWalFetchRoundTripsOneSegmentAndAMissingOneExitsOne(Scratch scratch) throws IOException {
        Path lzop = Tools.require("lzop", "lzop");
        WalJ walj = WalJ.install(scratch);
        Path archive = scratch.archive("archive");
        String prefix = "file://localhost" + archive;

        // A segment-sized file of partly compressible, partly random bytes, readable by the server user.
        Path pgWal = scratch.dir("pg_wal");
        String name = "0000000100000000000000A7";
        Path segment = pgWal.resolve(name);
        byte[] bytes = new byte[(int) SEGMENT_SIZE];
        Random random = new Random(42);
        for (int i = 0; i < bytes.length; i += 8192) {
            if ((i / 8192) % 3 == 0) {
                byte[] block = new byte[8192];
                random.nextBytes(block);
                System.arraycopy(block, 0, bytes, i, 8192);
            } else {
                bytes[i] = (byte) i;
            }
        }
        Files.write(segment, bytes);
        scratch.user().own(segment);

        walj.run(Map.of(), "--file-prefix", prefix, "wal-push", segment.toString()).requireSuccess();
        Path object = archive.resolve("wal_005").resolve(name + ".lzo");
        assertTrue(Files.isRegularFile(object), "wal-push stored " + object);
        Exec.of(lzop.toString(), "-t", object.toString()).runOk();
        Path decompressed = scratch.file("lzop-out/" + name);
        Exec.of(lzop.toString(), "-d", "-c", object.toString()).stdoutTo(decompressed).runOk();
        Compare.assertSameBytes(segment, decompressed, "lzop -d of what wal-push stored");

        Path restoreDir = scratch.dir("restore");
        Path dest = restoreDir.resolve("RECOVERYXLOG");
        walj.run(Map.of("WALE_FILE_PREFIX", prefix), "wal-fetch", name, dest.toString()).requireSuccess();
        Compare.assertSameBytes(segment, dest, "wal-fetch of what wal-push stored");

        Path missingDest = restoreDir.resolve("MISSING");
        ProcessResult missing = walj.run(Map.of("WALE_FILE_PREFIX", prefix),
                "wal-fetch", "0000000100000000000000FE", missingDest.toString());
        assertEquals(1, missing.exitCode(), "wal-fetch of a segment not in the archive exits 1\n" + missing.describe());
        assertFalse(Files.exists(missingDest), "nothing written for a missing segment");
        assertFalse(missing.stderr().contains("Exception"), "no stack trace for a missing segment\n" + missing.stderr());
    }
}
