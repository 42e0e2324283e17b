package org.walj.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.walj.it.harness.ArchivingCluster;
import org.walj.it.harness.PgCluster;
import org.walj.it.harness.ProcessResult;
import org.walj.it.harness.ResidentDaemon;
import org.walj.it.harness.RestoreAndCompare;
import org.walj.it.harness.Scratch;
import org.walj.it.harness.ScratchExtension;
import org.walj.it.harness.SourceState;
import org.walj.it.harness.WalJ;

/**
 * The native daemon client (src/main/c/wal-j-client.c, docs/daemon.md) with a real PostgreSQL 15 and a real
 * {@code wal-j daemon}: archive_command and restore_command are the unchanged launcher, and the server's environment
 * holds a JVM option no JVM accepts, so every call that reached a JVM would fail: archiving and a recovery compared
 * row by row prove that the native client alone asked the daemon. Then the ways it must hand over to the JVM, each
 * compared with the JVM client's result: a stale socket (no daemon), a refusal, wal-fetch's "not in the archive",
 * and a damaged object (the fatal status, never "not found").
 */
@ExtendWith(ScratchExtension.class)
class NativeClientIT {
    private static final List<String> TABLES = List.of("pgbench_accounts", "pgbench_branches", "pgbench_tellers",
            "pgbench_history", "after_backup");
    private static final String MISSING = "00000001000000FF000000FF";
    private static final String FALLBACK = "working in-process";

    @Test
    void archivesAndRecoversWithoutAJvmPerCallAndHandsEveryOtherCaseToTheJvm(Scratch scratch) throws Exception {
        WalJ walj = WalJ.install(scratch);
        assertTrue(Files.isExecutable(walj.launcher().resolveSibling("wal-j-client")),
                "the build made target/wal-j-client (a C compiler is needed: CI installs gcc)");
        Path archive = scratch.archive("archive");
        Path runDir = scratch.user().createDirectory(scratch.root().resolve("run"));
        Path socket = runDir.resolve("daemon.sock");
        Map<String, String> walEnv = walj.fileArchiveEnv(archive);
        walEnv.put("WALJ_DAEMON_SOCKET", socket.toString());
        Map<String, String> jvmClient = with(walEnv, "WALJ_CLIENT", "jvm");

        // --- a stale socket (the daemon was killed): the native client hands over to the JVM, which answers once
        ResidentDaemon killed = ResidentDaemon.start(walj, walEnv, scratch, "daemon-killed");
        killed.kill();
        assertTrue(Files.exists(socket), "a killed daemon leaves its socket");
        ProcessResult stale = walj.run(walEnv, "wal-fetch", MISSING, scratch.root().resolve("x").toString());
        assertEquals(1, stale.exitCode(), stale.describe());
        assertTrue(stale.stderr().contains("wal-j: no daemon answers at " + socket), stale.describe());
        assertEquals(1, occurrences(stale.stderr(), FALLBACK), "one line, the JVM does not ask again: "
                + stale.describe());
        ProcessResult staleJvm = walj.run(jvmClient, "wal-fetch", MISSING, scratch.root().resolve("x").toString());
        assertEquals(stale.exitCode(), staleJvm.exitCode(), staleJvm.describe());

        ResidentDaemon daemon = ResidentDaemon.start(walj, walEnv, scratch, "daemon");

        // --- archiving: PostgreSQL's own archive_command through the launcher, no JVM able to start
        Map<String, String> noJvm = with(walEnv, "WALJ_JAVA_OPTS", "-XX:+NoSuchOptionProvesNoJvmRan");
        PgCluster source = ArchivingCluster.initdb(scratch, walj, "src", noJvm)
                .configure(Map.of("wal_keep_size", "2GB", "max_wal_size", "4GB"));
        source.start();
        source.pgbench(Duration.ofMinutes(2), "-i", "-s", "3", "-q");
        source.waitArchived(source.switchWal(), Duration.ofMinutes(2));
        PgCluster restored = source.baseBackup("restored");
        source.psql("CREATE TABLE after_backup (id bigint PRIMARY KEY, payload text NOT NULL);"
                + "INSERT INTO after_backup SELECT g, repeat(md5(g::text), 3) FROM generate_series(1, 20000) g");
        source.waitArchived(source.switchWal(), Duration.ofMinutes(2));
        String serverLog = Files.readString(source.logFile());
        assertTrue(daemon.served("wal-push") >= 3, "the daemon served archive_command:\n" + daemon.log());
        assertFalse(serverLog.contains(FALLBACK), "no call fell back:\n" + source.logTail(40));
        assertFalse(serverLog.contains("NoSuchOption"), "no JVM was started:\n" + source.logTail(40));
        assertTrue(serverLog.contains("MSG: completed archiving to a file"), "the daemon's records reach PostgreSQL's"
                + " log through the native client");

        // --- "not in the archive" answered by the daemon: the same status as through the JVM client
        ProcessResult missing = walj.run(walEnv, "wal-fetch", MISSING, scratch.root().resolve("x").toString());
        ProcessResult missingJvm = walj.run(jvmClient, "wal-fetch", MISSING, scratch.root().resolve("x").toString());
        assertEquals(1, missing.exitCode(), missing.describe());
        assertEquals(missingJvm.exitCode(), missing.exitCode(), missingJvm.describe());
        assertFalse(missing.stderr().contains(FALLBACK) || missingJvm.stderr().contains(FALLBACK),
                missing.describe() + missingJvm.describe());

        // --- a configuration the daemon was not started with: refused by name, done in-process, same result
        Map<String, String> other = with(walEnv, "WALE_S3_ENDPOINT", "http+path://unused.invalid:1");
        ProcessResult refused = walj.run(other, "wal-fetch", MISSING, scratch.root().resolve("x").toString());
        assertEquals(1, refused.exitCode(), refused.describe());
        assertTrue(refused.stderr().contains("wal-j: the daemon refused: the environment differs from the daemon's in"
                + " WALE_S3_ENDPOINT"), refused.describe());
        assertEquals(1, occurrences(refused.stderr(), FALLBACK), refused.describe());
        Path segment = newestArchivedSegment(archive);
        Path refetched = scratch.root().resolve("refetched");
        ProcessResult refusedFetch = walj.run(other, "wal-fetch", "--prefetch", "0", segment.getFileName().toString()
                .substring(0, 24), refetched.toString());
        assertEquals(0, refusedFetch.exitCode(), refusedFetch.describe());
        assertTrue(refusedFetch.stderr().contains(FALLBACK), refusedFetch.describe());
        assertTrue(Files.size(refetched) == 16L << 20, "a whole segment, fetched in-process after the refusal");

        // --- recovery through the native client alone, row by row
        SourceState expected = SourceState.capture(source, TABLES, scratch.dir("dumps/src"));
        source.stop();
        int fetches = daemon.served("wal-fetch");
        RestoreAndCompare.throughWalFetch(restored, walj, noJvm, Duration.ofMinutes(3), expected, "native-client");
        assertTrue(daemon.served("wal-fetch") > fetches + 3, "restore_command went through the daemon:\n"
                + daemon.log());
        String restoredLog = Files.readString(restored.logFile());
        assertFalse(restoredLog.contains(FALLBACK) || restoredLog.contains("NoSuchOption"), restored.logTail(40));

        // --- a damaged object: the fatal status, through the native client as through the JVM client and in-process
        byte[] object = Files.readAllBytes(segment);
        object[object.length - 100] ^= 0x01;
        Files.write(segment, object);
        String name = segment.getFileName().toString().substring(0, 24);
        for (String client : List.of("auto", "jvm", "none")) {
            Path to = scratch.root().resolve("damaged-" + client);
            ProcessResult damaged = walj.run(with(walEnv, "WALJ_CLIENT", client), "wal-fetch", "--prefetch", "0",
                    name, to.toString());
            assertEquals(200, damaged.exitCode(), "WALJ_CLIENT=" + client + ": " + damaged.describe());
        }
        // a fatal status of the operator's choice (a must-match setting: the daemon refuses, the JVM answers)
        ProcessResult chosen = walj.run(with(walEnv, "WALJ_FETCH_ERROR_EXIT_CODE", "201"), "wal-fetch",
                "--prefetch", "0", name, scratch.root().resolve("damaged-201").toString());
        assertEquals(201, chosen.exitCode(), chosen.describe());

        // --- the launcher's choice: a native client that is not executable is not used (the JVM client is, and
        // here it cannot start: the fatal status, never "not found"); an unknown WALJ_CLIENT is an error
        Path nativeClient = walj.launcher().resolveSibling("wal-j-client");
        Files.setPosixFilePermissions(nativeClient, PosixFilePermissions.fromString("rw-r--r--"));
        ProcessResult notExecutable = walj.run(noJvm, "wal-fetch", MISSING, scratch.root().resolve("x").toString());
        assertEquals(200, notExecutable.exitCode(), notExecutable.describe());
        assertTrue(notExecutable.stderr().contains("NoSuchOption"), "the JVM client ran: " + notExecutable.describe());
        Files.setPosixFilePermissions(nativeClient, PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> unknown = with(walEnv, "WALJ_CLIENT", "fast");
        ProcessResult unknownFetch = walj.run(unknown, "wal-fetch", MISSING, scratch.root().resolve("x").toString());
        assertEquals(200, unknownFetch.exitCode(), unknownFetch.describe());
        assertTrue(unknownFetch.stderr().contains("WALJ_CLIENT=fast is not one of auto, jvm, none"),
                unknownFetch.describe());
        assertEquals(1, walj.run(unknown, "wal-push", "pg_wal/" + MISSING).exitCode());

        daemon.terminate();
    }

    private static Map<String, String> with(Map<String, String> env, String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(env);
        copy.put(name, value);
        return copy;
    }

    private static long occurrences(String text, String part) {
        return Pattern.compile(Pattern.quote(part)).matcher(text).results().count();
    }

    private static Path newestArchivedSegment(Path archive) throws Exception {
        try (Stream<Path> s = Files.list(archive.resolve("wal_005"))) {
            return s.filter(p -> p.getFileName().toString().matches("[0-9A-F]{24}\\.lzo")).sorted()
                    .reduce((a, b) -> b).orElseThrow();
        }
    }
}
