package org.walj.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native client (target/wal-j-client, built from src/main/c by the build when a C compiler is present) against
 * the Java daemon's socket side, {@link DaemonServer}, with a stand-in handler: it must send exactly what
 * {@link DaemonClient} sends (build id, working directory, arguments, {@link DaemonClient#relevant} of the
 * environment), relay output, exit with the status as ClientMain and the launcher map it, and exec the launcher
 * with {@code WALJ_CLIENT=none} whenever the daemon does not answer. The real daemon and PostgreSQL: NativeClientIT.
 */
class NativeClientProtocolTest {
    private static final Path CLIENT = Path.of("target", "wal-j-client").toAbsolutePath();

    @TempDir
    Path tmp;
    private Path socket;
    private Path jar;
    private Path launcher;
    private ServingDaemon daemon;
    private final AtomicReference<Protocol.Request> received = new AtomicReference<>();
    private volatile DaemonServer.Handler behaviour;

    @BeforeEach
    void start() throws IOException {
        assertTrue(Files.isExecutable(CLIENT), CLIENT + " is missing: the build makes it when cc is on PATH"
                + " (install gcc; CI does)");
        jar = Files.writeString(tmp.resolve("wal-j.jar"), "stand-in jar");
        // the fallback: records how it was run, as the launcher would then run the command in-process
        launcher = Files.writeString(tmp.resolve("launcher"), """
                #!/bin/sh
                { printf 'WALJ_CLIENT=%s\\n' "$WALJ_CLIENT"; for a in "$@"; do printf '%s\\n' "$a"; done; } > "$0.ran"
                exit 42
                """);
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwx------"));
        daemon = ServingDaemon.start(tmp, (request, out, err) -> {
            received.set(request);
            return behaviour.handle(request, out, err);
        }, Duration.ofSeconds(5));
        socket = daemon.socket;
    }

    @AfterEach
    void stop() throws InterruptedException {
        daemon.close();
    }

    private record Run(int status, String stdout, String stderr) {
    }

    private Run run(Map<String, String> env, String subcommand, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(CLIENT.toString(), launcher.toString(), jar.toString(),
                subcommand));
        command.addAll(List.of(args));
        return runClient(env, command);
    }

    private Run runClient(Map<String, String> env, List<String> command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile())
                .redirectOutput(tmp.resolve("out").toFile()).redirectError(tmp.resolve("err").toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "client did not finish");
        return new Run(p.exitValue(), Files.readString(tmp.resolve("out")), Files.readString(tmp.resolve("err")));
    }

    private Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("WALJ_DAEMON_SOCKET", socket.toString());
        return env;
    }

    private List<String> fallbackRun() throws IOException {
        Path ran = tmp.resolve("launcher.ran");
        return Files.exists(ran) ? Files.readAllLines(ran) : null;
    }

    @Test
    void sendsWhatTheJavaClientSendsAndRelaysTheAnswer() throws Exception {
        behaviour = (request, out, err) -> {
            write(out, "to stdout\n");
            write(err, "to stderr\n");
            return 7;
        };
        Map<String, String> env = env();
        env.put("WALE_FILE_PREFIX", "file://localhost/archive");
        env.put("WALJ_FETCH_ERROR_EXIT_CODE", "201");
        env.put("AWS_REGION", "eu-west-1");
        env.put("GOOGLE_APPLICATION_CREDENTIALS", "/k.json");
        env.put("WABS_ACCOUNT_NAME", "acct");
        env.put("SWIFT_AUTHURL", "http://127.0.0.1:1/auth/v1.0");
        env.put("GNUPGHOME", "/g");
        env.put("GNUPGHOME_EXTRA", "prefix, as DaemonClient matches it");
        env.put("STORAGE_EMULATOR_HOST", "http://127.0.0.1:1");
        env.put("WALE_VALUE", "café = ünïcode"); // '=' in a value, UTF-8
        for (String launcherOnly : List.of("WALJ_JAVA", "WALJ_JAVA_OPTS", "WALJ_JAR", "WALJ_CDS", "WALJ_CDS_DIR",
                "WALJ_CLIENT")) {
            env.put(launcherOnly, "x");
        }
        env.put("PATH", "/usr/bin");
        env.put("HOME", "/home/x");
        env.put("PGDATA", "/pg");

        Run r = run(env, "wal-push", "--terse", "wal-push", "pg_wal/000000010000000000000001");

        assertEquals(7, r.status(), r.stderr());
        assertEquals("to stdout\n", r.stdout());
        assertEquals("to stderr\n", r.stderr());
        Protocol.Request request = received.get();
        assertEquals(List.of("--terse", "wal-push", "pg_wal/000000010000000000000001"), request.args());
        assertEquals(DaemonClient.relevant(env), request.env(), "exactly the variables DaemonClient sends");
        assertEquals(tmp.toRealPath().toString(), request.cwd());
        Path real = jar.toRealPath();
        assertEquals(real + ":" + Files.size(real) + ":" + Files.getLastModifiedTime(real).toMillis(), request.build(),
                "the build id as DaemonClient.build() computes it");
        assertNull(fallbackRun(), "answered: the launcher is not run again");
    }

    @Test
    void mapsWalFetchStatusesAsClientMainAndTheLauncherDo() throws Exception {
        // daemon status -> exit status, default fatal status (200): not-found is the private 3
        int[][] defaults = {{0, 0}, {1, 1}, {3, 1}, {200, 200}, {2, 2}, {4, 4}};
        for (int[] c : defaults) {
            behaviour = (request, out, err) -> c[0];
            assertEquals(c[1], run(env(), "wal-fetch", "wal-fetch", "000000010000000000000001", "p").status(),
                    "daemon status " + c[0]);
        }
        // WALJ_FETCH_ERROR_EXIT_CODE=3: the private not-found status becomes 4, and a 1 is still "not found"
        Map<String, String> three = env();
        three.put("WALJ_FETCH_ERROR_EXIT_CODE", "003");
        int[][] fatalThree = {{1, 1}, {4, 1}, {3, 3}, {200, 200}};
        for (int[] c : fatalThree) {
            behaviour = (request, out, err) -> c[0];
            assertEquals(c[1], run(three, "wal-fetch", "wal-fetch", "000000010000000000000001", "p").status(),
                    "daemon status " + c[0] + " with fatal status 3");
        }
        // wal-push statuses pass through unchanged
        behaviour = (request, out, err) -> 3;
        assertEquals(3, run(env(), "wal-push", "wal-push", "x").status());
    }

    @Test
    void aRefusalRunsTheLauncherInProcessWithTheSameArguments() throws Exception {
        behaviour = (request, out, err) -> {
            throw new DaemonServer.Refusal("the environment differs from the daemon's in WALE_GPG_KEY_ID");
        };
        Run r = run(env(), "wal-fetch", "wal-fetch", "000000010000000000000001", "dir with space/p");
        assertEquals(42, r.status(), "the launcher's status, as it is the process now");
        assertEquals("wal-j: the daemon refused: the environment differs from the daemon's in WALE_GPG_KEY_ID;"
                + " working in-process\n", r.stderr());
        assertEquals(List.of("WALJ_CLIENT=none", "wal-fetch", "000000010000000000000001", "dir with space/p"),
                fallbackRun());
    }

    @Test
    void aDaemonThatGoesAwayBeforeItsAnswerMeansInProcess() throws Exception {
        behaviour = (request, out, err) -> {
            write(err, "half a record\n");
            throw new IllegalStateException("stand-in crash");
        };
        Run r = run(env(), "wal-push", "wal-push", "x");
        assertEquals(42, r.status());
        assertTrue(r.stderr().endsWith("wal-j: the daemon went away before it answered; working in-process\n"),
                r.stderr());
        assertEquals(List.of("WALJ_CLIENT=none", "wal-push", "x"), fallbackRun());
    }

    @Test
    void noDaemonOrAnOpenDirectoryMeansInProcess() throws Exception {
        daemon.server.shutdown(Duration.ofSeconds(10));
        Files.createFile(socket); // a stale socket path: nothing listens
        Run none = run(env(), "wal-push", "wal-push", "x");
        assertEquals(42, none.status());
        assertTrue(none.stderr().startsWith("wal-j: no daemon answers at " + socket + " ("), none.stderr());
        assertNotNull(fallbackRun());
        Files.delete(tmp.resolve("launcher.ran"));

        Files.setPosixFilePermissions(socket.getParent(), PosixFilePermissions.fromString("rwxr-x---"));
        Run open = run(env(), "wal-fetch", "wal-fetch", "a", "b");
        assertEquals(42, open.status());
        assertEquals("wal-j: refusing to use the daemon socket: " + socket.getParent()
                + " is open to other users (mode 750); it must be 0700; working in-process\n", open.stderr());
        assertEquals(List.of("WALJ_CLIENT=none", "wal-fetch", "a", "b"), fallbackRun());
    }

    /**
     * {@code --auto RUNDIR PRE …}: the launcher's call for a daemon started on demand. The client names the
     * configuration's socket itself (RUNDIR/KEY.sock, the key {@code --config-key} prints, which the launcher's awk
     * computes too) and connects; with no socket there it runs the launcher again with WALJ_DAEMON_SOCKET naming it
     * (the launcher decides whether to start a daemon); with a path too long for a socket, one WARNING and the
     * launcher again with WALJ_CLIENT=none.
     */
    @Test
    void withAutoTheClientNamesTheConfigurationsSocketItself() throws Exception {
        behaviour = (request, out, err) -> 5;
        Path recorder = Files.writeString(tmp.resolve("recorder"), """
                #!/bin/sh
                { printf 'WALJ_CLIENT=%s\n' "$WALJ_CLIENT"; printf 'WALJ_DAEMON_SOCKET=%s\n' "$WALJ_DAEMON_SOCKET"
                  for a in "$@"; do printf '%s\n' "$a"; done; } > "$0.ran"
                exit 42
                """);
        Files.setPosixFilePermissions(recorder, PosixFilePermissions.fromString("rwx------"));
        Path runDir = Files.createDirectory(tmp.resolve("auto-run"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("WALE_FILE_PREFIX", "file://localhost/archive");
        List<String> args = List.of("--terse", "wal-push", "pg_wal/000000010000000000000001");

        Path expected = runDir.resolve(keyOf(env, args) + ".sock");

        Run none = runAuto(env, runDir, recorder, args);
        assertEquals(42, none.status(), none.stderr());
        assertEquals("", none.stderr(), "no socket: nothing to say, the launcher decides");
        List<String> again = new ArrayList<>(List.of("WALJ_CLIENT=", "WALJ_DAEMON_SOCKET=" + expected));
        again.addAll(args);
        assertEquals(again, Files.readAllLines(tmp.resolve("recorder.ran")));
        Files.delete(tmp.resolve("recorder.ran"));

        Files.createSymbolicLink(expected, socket); // the configuration's daemon
        Run served = runAuto(env, runDir, recorder, args);
        assertEquals(5, served.status(), served.stderr());
        assertEquals(args, received.get().args());
        assertEquals(DaemonClient.relevant(env), received.get().env());
        assertFalse(Files.exists(tmp.resolve("recorder.ran")), "answered: the launcher is not run again");

        Path deep = Files.createDirectories(tmp.resolve("d".repeat(100)));
        Run tooLong = runAuto(env, deep, recorder, args);
        assertEquals(42, tooLong.status());
        assertTrue(tooLong.stderr().startsWith("wal-j: WARNING: not starting a daemon: the socket path " + deep + "/"),
                tooLong.stderr());
        assertEquals("WALJ_CLIENT=none", Files.readAllLines(tmp.resolve("recorder.ran")).get(0));
    }

    private String keyOf(Map<String, String> env, List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(CLIENT.toString(), "--config-key", jar.toString(), "1"));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(tmp.resolve("key").toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        return Files.readString(tmp.resolve("key")).trim().replace(' ', '-');
    }

    private Run runAuto(Map<String, String> env, Path runDir, Path recorder, List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(CLIENT.toString(), "--auto", runDir.toString(), "1",
                recorder.toString(), jar.toString(), "wal-push"));
        command.addAll(args);
        return runClient(env, command);
    }

    @Test
    void aLauncherThatCannotRunGivesWalFetchTheFatalStatus() throws Exception {
        behaviour = (request, out, err) -> {
            throw new DaemonServer.Refusal("no");
        };
        Files.delete(launcher);
        Map<String, String> env = env();
        env.put("WALJ_FETCH_ERROR_EXIT_CODE", "210");
        Run fetch = run(env, "wal-fetch", "wal-fetch", "a", "b");
        assertEquals(210, fetch.status(), fetch.stderr());
        assertTrue(fetch.stderr().contains("cannot run " + launcher), fetch.stderr());
        assertEquals(1, run(env, "wal-push", "wal-push", "a").status());
        assertFalse(Files.exists(tmp.resolve("launcher.ran")));
    }

    private static void write(OutputStream stream, String text) {
        try {
            stream.write(text.getBytes(StandardCharsets.UTF_8));
            stream.flush();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
