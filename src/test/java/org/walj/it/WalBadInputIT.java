package org.walj.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.walj.it.harness.ProcessResult;
import org.walj.it.harness.ResidentDaemon;
import org.walj.it.harness.Scratch;
import org.walj.it.harness.ScratchExtension;
import org.walj.it.harness.SyntheticSegment;
import org.walj.it.harness.WalJ;

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
        archive = scratch.archive("archive");
        pgWal = scratch.dir("pg_wal");
        restoreDir = scratch.dir("restore");
        env = Map.of("WALE_FILE_PREFIX", "file://localhost" + archive);
        SyntheticSegment.write(scratch, pgWal, SEG, 4, 1);
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
        Path readOnly = Files.createDirectories(scratch.root().resolve("read-only-archive/wal_005")).getParent();
        Files.setPosixFilePermissions(readOnly.resolve("wal_005"), PosixFilePermissions.fromString("r-xr-xr-x"));
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

    // issue 12, item 3: a bad WALJ_FETCH_ERROR_EXIT_CODE must stop recovery, never read as "not found"

    @Test
    void anInvalidFetchErrorExitCodeStopsEveryWalFetchWithTwoHundred() throws IOException {
        push();
        for (String value : List.of("0", "256", "-1", "abc", "")) {
            Map<String, String> bad = Map.of("WALE_FILE_PREFIX", "file://localhost" + archive,
                    "WALJ_FETCH_ERROR_EXIT_CODE", value);
            for (String segment : List.of(SEG, "0000000100000000000000FF")) { // present, and absent
                ProcessResult r = walj.run(bad, "wal-fetch", segment, restoreDir.resolve("RECOVERYXLOG").toString());
                assertOneClearError(r, 200, "WALJ_FETCH_ERROR_EXIT_CODE must be a whole number from 1 to 255, not \""
                        + value + "\"");
                assertEquals(List.of(), filesUnder(restoreDir), "value \"" + value + "\"");
            }
        }
        Map<String, String> valid = Map.of("WALE_FILE_PREFIX", "file://localhost" + archive,
                "WALJ_FETCH_ERROR_EXIT_CODE", "255");
        walj.run(valid, "wal-fetch", SEG, restoreDir.resolve("RECOVERYXLOG").toString()).requireSuccess();
    }

    @Test
    void anInvalidFetchErrorExitCodeStopsWalFetchThroughTheResidentDaemonToo() throws Exception {
        push();
        Map<String, String> bad = new LinkedHashMap<>(env);
        bad.put("WALJ_DAEMON_SOCKET", scratch.dir("run").resolve("daemon.sock").toString());
        bad.put("WALJ_FETCH_ERROR_EXIT_CODE", "0");
        ResidentDaemon daemon = ResidentDaemon.start(walj, bad, scratch, "daemon");
        try {
            ProcessResult r = walj.run(bad, "wal-fetch", SEG, restoreDir.resolve("RECOVERYXLOG").toString());
            assertOneClearError(r, 200, "WALJ_FETCH_ERROR_EXIT_CODE must be a whole number from 1 to 255, not \"0\"");
            assertEquals(1, daemon.served("wal-fetch"), "the daemon answered, not an in-process fallback\n"
                    + daemon.log() + r.describe());
            assertEquals(List.of(), filesUnder(restoreDir));
        } finally {
            daemon.terminate();
        }
    }

    // issue 12, item 10: --help is not an error; a usage error of wal-fetch is a broken restore_command

    @Test
    void walFetchHelpExitsZeroAndUsageErrorsStayFatal() {
        ProcessResult help = walj.run(env, "wal-fetch", "--help");
        assertEquals(0, help.exitCode(), help.describe());
        assertTrue(help.stdout().contains("Usage: wal-j wal-fetch"), help.describe());
        assertTrue(help.stdout().contains("Exit 200"), help.describe());
        for (List<String> args : List.of(List.of("wal-fetch", "--no-such-option", SEG, "X"),
                List.of("wal-fetch", SEG, "X", "extra"), List.of("wal-fetch"))) {
            ProcessResult r = walj.run(env, args.toArray(String[]::new));
            assertEquals(200, r.exitCode(), r.describe());
        }
    }

    // issue 12, item 4: "not found" only from a place that is recognisably the archive

    @Test
    void anEmptyArchiveDirectoryIsAFailureNotTheEndOfTheArchive() throws IOException {
        Path empty = scratch.dir("unmounted-mount-point"); // exists, empty: what an unmounted mount point looks like
        ProcessResult r = walj.run(Map.of("WALE_FILE_PREFIX", "file://localhost" + empty),
                "wal-fetch", SEG, restoreDir.resolve("RECOVERYXLOG").toString());
        assertOneClearError(r, 200, "the archive at file://localhost" + empty
                + "/ holds neither wal_005/ nor basebackups_005/");
        assertTrue(r.stderr().contains("HINT: Is the archive mounted, and is the prefix right?"), r.describe());
        assertEquals(List.of(), filesUnder(restoreDir));
    }

    @Test
    void aBrokenWalDirectoryOrObjectIsAFailureNotTheEndOfTheArchive() throws IOException {
        Path asFile = scratch.dir("wal-dir-is-a-file");
        Files.writeString(asFile.resolve("wal_005"), "x");
        assertOneClearError(walj.run(Map.of("WALE_FILE_PREFIX", "file://localhost" + asFile),
                "wal-fetch", SEG, restoreDir.resolve("RECOVERYXLOG").toString()), 200, "is not a directory");

        Path dangling = scratch.dir("wal-dir-dangles");
        Files.createDirectory(dangling.resolve("basebackups_005"));
        Files.createSymbolicLink(dangling.resolve("wal_005"), scratch.root().resolve("nowhere"));
        assertOneClearError(walj.run(Map.of("WALE_FILE_PREFIX", "file://localhost" + dangling),
                "wal-fetch", SEG, restoreDir.resolve("RECOVERYXLOG").toString()), 200, "dangling symbolic link");

        scratch.dir("archive/wal_005/" + SEG + ".lzo");
        assertOneClearError(walj.run(env, "wal-fetch", SEG, restoreDir.resolve("RECOVERYXLOG").toString()), 200,
                "is not a file");
        assertEquals(List.of(), filesUnder(restoreDir));

        // and a real archive without the segment: the end of the archive, as PostgreSQL expects
        ProcessResult absent = walj.run(env, "wal-fetch", "0000000100000000000000FF",
                restoreDir.resolve("RECOVERYXLOG").toString());
        assertEquals(1, absent.exitCode(), absent.describe());
    }

    @Test
    void walPushAndBackupPushNeverStartAnArchiveInAnEmptyDirectory() throws IOException {
        Path empty = scratch.dir("unmounted");
        Map<String, String> emptyEnv = Map.of("WALE_FILE_PREFIX", "file://localhost" + empty);
        ProcessResult push = walj.run(emptyEnv, "wal-push", pgWal.resolve(SEG).toString());
        assertOneClearError(push, 1, "refusing to start a new archive in " + empty);
        assertTrue(push.stderr().contains("mkdir " + empty + "/wal_005"), push.describe());
        Path pgdata = scratch.dir("fake-pgdata");
        Files.writeString(pgdata.resolve("PG_VERSION"), "15\n");
        Files.writeString(scratch.dir("fake-pgdata/global").resolve("pg_control"), "x");
        assertOneClearError(walj.run(emptyEnv, "backup-push", "--while-offline", pgdata.toString()), 1,
                "refusing to start a new archive in " + empty);
        try (Stream<Path> left = Files.list(empty)) {
            assertEquals(List.of(), left.toList(), "nothing written into the empty directory");
        }

        // once the operator made wal_005/ (README), pushing works
        scratch.dir("unmounted/wal_005");
        walj.run(emptyEnv, "wal-push", pgWal.resolve(SEG).toString()).requireSuccess();
        assertEquals(List.of("wal_005/" + SEG + ".lzo"), filesUnder(empty));
    }

    /**
     * A JVM that never runs wal-j exits 1 itself, which PostgreSQL would read as "not in the archive": the launcher
     * runs wal-fetch as a child and maps that 1 to the fatal status; wal-j's own "not found" still ends as 1.
     */
    @Test
    void aJvmThatNeverRunsWalJIsAFailureNotTheEndOfTheArchive() throws IOException {
        push();
        Path dest = restoreDir.resolve("RECOVERYXLOG");
        for (String opts : List.of("-Xmx1gg", "-Xmx4m")) { // an invalid option; a heap too small to open the jar
            Map<String, String> e = new LinkedHashMap<>(env);
            e.put("WALJ_JAVA_OPTS", opts);
            ProcessResult r = walj.run(e, "wal-fetch", SEG, dest.toString());
            assertEquals(200, r.exitCode(), opts + "\n" + r.describe());
            assertTrue(r.stderr().contains("java exited 1 before wal-fetch could answer"), r.describe());
            e.put("WALJ_FETCH_ERROR_EXIT_CODE", "7");
            assertEquals(7, walj.run(e, "wal-fetch", SEG, dest.toString()).exitCode(), "the configured status");
        }
        Map<String, String> noJar = new LinkedHashMap<>(env);
        noJar.put("WALJ_JAR", scratch.root().resolve("no-such.jar").toString());
        assertEquals(200, walj.run(noJar, "wal-fetch", SEG, dest.toString()).exitCode(), "the launcher's own failure");
        assertEquals(1, walj.run(noJar, "wal-push", pgWal.resolve(SEG).toString()).exitCode(), "other commands: 1");
        assertEquals(List.of(), filesUnder(restoreDir));

        // the private "not found" status never collides with a configured fatal status
        Map<String, String> three = new LinkedHashMap<>(env);
        three.put("WALJ_FETCH_ERROR_EXIT_CODE", "3");
        assertEquals(1, walj.run(three, "wal-fetch", "0000000100000000000000FE", dest.toString()).exitCode());
        Files.writeString(archive.resolve("wal_005/" + SEG + ".lzo"), "not lzop");
        assertEquals(3, walj.run(three, "wal-fetch", SEG, dest.toString()).exitCode());
        assertEquals(0, walj.run(env, "wal-fetch", "--help").exitCode());
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
