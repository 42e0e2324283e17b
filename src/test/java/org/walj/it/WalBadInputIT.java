package org.walj.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bad input through the installed launcher, run as the server's OS user: each case gives one clear error line
 * (WAL-E's {@code MSG:} record, no stack trace), the documented exit status, and leaves no partial file anywhere.
 */
@ExtendWith(ScratchExtension.class)
class WalBadInputIT {
    private static final String SEG = "0000000100000000000000A1";

    private Scratch scratch;
    private WalJ walj;
    private Path archive;
    private Path pgWal;
    private Path restoreDir;
    private Map<String, String> env;

    @BeforeEach
    void setUp(Scratch scratch) throws IOException {
        this.scratch = scratch;
        walj = WalJ.install(scratch);
        archive = scratch.dir("archive");
        pgWal = scratch.dir("pg_wal");
        restoreDir = scratch.dir("restore");
        env = Map.of("WALE_FILE_PREFIX", "file://localhost" + archive);
        byte[] segment = new byte[4 << 20];
        new Random(1).nextBytes(segment);
        Arrays.fill(segment, 1 << 20, 3 << 20, (byte) 'w');
        Files.write(pgWal.resolve(SEG), segment);
        scratch.user().own(pgWal.resolve(SEG));
    }

    @Test
    void walPushOfAMissingFile() throws IOException {
        ProcessResult r = walj.run(env, "wal-push", pgWal.resolve("0000000100000000000000FF").toString());
        assertOneClearError(r, 1, "could not find file for wal-push");
        assertEquals(List.of(), filesUnder(archive));
    }

    @Test
    void noPrefixConfigured() {
        ProcessResult r = walj.run(Map.of(), "wal-push", pgWal.resolve(SEG).toString());
        assertOneClearError(r, 1, "no storage prefix defined");
    }

    @Test
    void anInvalidOrUnsupportedPrefix() {
        assertOneClearError(walj.run(Map.of("WALE_FILE_PREFIX", "ftp://host/x"), "wal-push", pgWal.resolve(SEG).toString()),
                1, "bad S3, Windows Azure Blob Storage, OpenStack Swift, Google Cloud Storage or File URL scheme passed");
        assertOneClearError(walj.run(Map.of("WALE_FILE_PREFIX", "file://localhost"), "wal-push", pgWal.resolve(SEG).toString()),
                1, "invalid storage prefix");
    }

    @Test
    void anUnwritablePrefixDirectory() throws IOException {
        Path readOnly = Files.createDirectories(scratch.root().resolve("read-only-archive"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        ProcessResult r = walj.run(Map.of("WALE_FILE_PREFIX", "file://localhost" + readOnly),
                "wal-push", pgWal.resolve(SEG).toString());
        assertOneClearError(r, 1, "ermission denied");
        assertEquals(List.of(), filesUnder(readOnly));
    }

    @Test
    void aMissingArchiveDirectoryIsAFailureNotTheEndOfTheArchive() throws IOException {
        Path dest = restoreDir.resolve("RECOVERYXLOG");
        ProcessResult r = walj.run(Map.of("WALE_FILE_PREFIX", "file://localhost" + scratch.root().resolve("unmounted")),
                "wal-fetch", SEG, dest.toString());
        assertOneClearError(r, 200, "does not exist");
        assertEquals(List.of(), filesUnder(restoreDir));
    }

    @Test
    void aCorruptObjectOnWalFetch() throws IOException {
        push();
        Path object = archive.resolve("wal_005/" + SEG + ".lzo");
        byte[] bytes = Files.readAllBytes(object);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(object, bytes);
        Path dest = restoreDir.resolve("RECOVERYXLOG");
        ProcessResult r = walj.run(env, "wal-fetch", SEG, dest.toString());
        assertOneClearError(r, 200, "corrupt lzop stream");
        assertEquals(List.of(), filesUnder(restoreDir));
    }

    @Test
    void aTruncatedObjectOnWalFetch() throws IOException {
        push();
        Path object = archive.resolve("wal_005/" + SEG + ".lzo");
        byte[] bytes = Files.readAllBytes(object);
        Files.write(object, Arrays.copyOf(bytes, bytes.length - 1000));
        Path dest = restoreDir.resolve("RECOVERYXLOG");
        ProcessResult r = walj.run(env, "wal-fetch", SEG, dest.toString());
        assertOneClearError(r, 200, "truncated");
        assertEquals(List.of(), filesUnder(restoreDir));
    }

    @Test
    void theFailureExitStatusIsConfigurable() throws IOException {
        push();
        Path object = archive.resolve("wal_005/" + SEG + ".lzo");
        Files.write(object, Arrays.copyOf(Files.readAllBytes(object), 100));
        Map<String, String> walEStyle = Map.of("WALE_FILE_PREFIX", "file://localhost" + archive,
                "WALJ_FETCH_ERROR_EXIT_CODE", "1");
        assertOneClearError(walj.run(walEStyle, "wal-fetch", SEG, restoreDir.resolve("X").toString()), 1, "truncated");
    }

    @Test
    void aDestinationInAMissingDirectory() throws IOException {
        push();
        Path dest = restoreDir.resolve("no/such/dir/RECOVERYXLOG");
        ProcessResult r = walj.run(env, "wal-fetch", SEG, dest.toString());
        assertOneClearError(r, 200, "does not exist");
        assertEquals(List.of(), filesUnder(restoreDir));
    }

    @Test
    void usageErrorsExitTwoLikeArgparseButAWalFetchUsageErrorStopsRecovery() {
        ProcessResult missingArgs = walj.run(env, "wal-fetch", SEG);
        assertEquals(200, missingArgs.exitCode(), missingArgs.describe());
        assertTrue(missingArgs.stderr().contains("error: Missing required parameter"), missingArgs.describe());
        ProcessResult pushMissingArgs = walj.run(env, "wal-push");
        assertEquals(2, pushMissingArgs.exitCode(), pushMissingArgs.describe());
        ProcessResult unknown = walj.run(env, "wal-pushh", "x");
        assertEquals(2, unknown.exitCode(), unknown.describe());
        ProcessResult badNumber = walj.run(env, "wal-push", "--pool-size", "many", pgWal.resolve(SEG).toString());
        assertEquals(2, badNumber.exitCode(), badNumber.describe());
        assertFalse(badNumber.stderr().contains("\tat "), badNumber.describe());
    }

    @Test
    void aPathInsteadOfAWalFileNameIsRejected() {
        ProcessResult r = walj.run(env, "wal-fetch", "../../etc/passwd", restoreDir.resolve("X").toString());
        assertOneClearError(r, 200, "invalid WAL file name");
    }

    private void push() {
        walj.run(env, "wal-push", pgWal.resolve(SEG).toString()).requireSuccess();
    }

    /** Exactly one ERROR/CRITICAL record whose MSG line names the cause; no Java stack trace. */
    static void assertOneClearError(ProcessResult r, int status, String fragment) {
        assertEquals(status, r.exitCode(), "exit status\n" + r.describe());
        List<String> errorLines = r.stderr().lines()
                .filter(l -> l.matches("^\\S+\\s+(ERROR|CRITICAL)\\s+MSG: .*"))
                .collect(Collectors.toList());
        assertEquals(1, errorLines.size(), "one error record\n" + r.describe());
        assertTrue(errorLines.get(0).contains(fragment), "the error line names the cause (" + fragment + ")\n"
                + r.describe());
        assertFalse(r.stderr().contains("\tat ") || r.stderr().contains("Exception:"), "no stack trace\n"
                + r.describe());
    }

    /** Every file below {@code dir}, hidden temporary files included. */
    static List<String> filesUnder(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted()
                    .collect(Collectors.toList());
        }
    }
}
