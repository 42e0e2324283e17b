package org.walj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.walj.testsupport.Orphans;

/**
 * The launcher's start of a daemon on demand (packaging/wal-j, WALJ_DAEMON_AUTOSTART; docs/daemon.md, "Started on
 * demand"), with the real sh launcher and a stand-in for java that records how it was run: as wal-push (the work done
 * in-process) and as {@code daemon} (the start). The stand-in daemon binds no socket: it sleeps, or fails on demand.
 * Run as {@code nobody} when the tests run as root, so that file permissions mean what they mean for PostgreSQL's
 * user.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class AutoStartLauncherTest {
    private static final Path BASE = Path.of(System.getProperty("basedir", "."));
    private static final String STUB = """
            #!/bin/sh
            # a stand-in for java: records its arguments; as the daemon it sleeps, or exits 3 with STUB_DAEMON=fail;
            # otherwise it works STUB_WORK seconds (then records "end") and exits STUB_EXIT (default 0)
            printf '%s\\n' "$*" >>"$STUB_LOG"
            case " $* " in
                *" daemon "*)
                    [ "${STUB_DAEMON:-}" = fail ] && exit 3
                    exec sleep 60 ;;
            esac
            if [ -n "${STUB_WORK:-}" ]; then
                sleep "$STUB_WORK"
                echo end >>"$STUB_LOG"
            fi
            exit "${STUB_EXIT:-0}"
            """;
    private static final String PREFETCH_BY_DAEMON = "-D" + WalFetchCommand.PREFETCH_BY_DAEMON_PROPERTY + "=true";
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    private Path top;
    private Path launcher;
    private Path calls;
    private Path runtime;
    private final List<Path> keys = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        top = Files.createTempDirectory("walj-autostart");
        Files.setPosixFilePermissions(top, PosixFilePermissions.fromString("rwxr-xr-x"));
        // a copy beside a jar of its own: no native client there, so the JVM client is the one a socket selects
        launcher = top.resolve("wal-j");
        Files.copy(BASE.resolve("packaging/wal-j"), launcher, StandardCopyOption.COPY_ATTRIBUTES);
        Files.writeString(top.resolve("wal-j.jar"), "not a jar");
        Path java = top.resolve("java");
        Files.writeString(java, STUB);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        calls = top.resolve("calls");
        Files.writeString(calls, "");
        runtime = Files.createDirectory(top.resolve("run"));
        giveAway(calls);
        giveAway(runtime);
    }

    @AfterEach
    void stopDaemons() throws IOException {
        killStarted();
        new ProcessBuilder("rm", "-rf", top.toString()).start();
    }

    private void killStarted() throws IOException {
        // every start holds its session under flock: <key>.pid names flock, the stand-in daemon is its descendant
        try (Stream<Path> files = Files.walk(top)) {
            for (Path pid : files.filter(p -> p.toString().endsWith(".pid")).toList()) {
                ProcessHandle.of(Long.parseLong(Files.readString(pid).trim()))
                        .filter(h -> h.info().command().orElse("").endsWith("flock")).ifPresent(h -> {
                    h.descendants().forEach(ProcessHandle::destroyForcibly);
                    h.destroyForcibly();
                });
            }
        }
    }

    @Test
    void onByDefaultAndOffStartsNothing() throws Exception {
        Run off = run(Map.of("XDG_RUNTIME_DIR", runtime.toString(), "WALJ_DAEMON_AUTOSTART", "off"));
        assertEquals(0, off.status, off.stderr);
        assertEquals("", off.stderr);
        Thread.sleep(1000); // a start would have been recorded by now
        assertEquals(List.of("wal-push"), commands());
        assertFalse(Files.exists(runtime.resolve("wal-j")), "no runtime directory made");

        Run unset = run(Map.of("XDG_RUNTIME_DIR", runtime.toString()));
        assertEquals(0, unset.status, unset.stderr);
        assertEquals("", unset.stderr);
        awaitCommands(List.of("wal-push", "wal-push", "daemon"));
        Orphans.child(ProcessHandle.of(Long.parseLong(
                Files.readString(onlyFile(runtime.resolve("wal-j"), ".pid")).trim())).orElseThrow());
    }

    @Test
    void theFirstCallStartsOneDaemonUnderTheLockAndWorksInProcess() throws Exception {
        Map<String, String> env = on(runtime);
        Run first = run(env);
        assertEquals(0, first.status, first.stderr);
        assertEquals("", first.stderr, "no output of its own");
        awaitCommands(List.of("wal-push", "daemon"));
        String daemonLine = daemonLine();
        assertTrue(daemonLine.endsWith("daemon --idle-exit 300"), daemonLine);
        Path dir = runtime.resolve("wal-j");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        Path pid = onlyFile(dir, ".pid");
        Orphans.child(ProcessHandle.of(Long.parseLong(Files.readString(pid).trim())).orElseThrow());

        // four more at once, while the daemon (which binds no socket here) runs: none starts a second one
        List<Process> more = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            more.add(start(env));
        }
        for (Process p : more) {
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue());
            assertEquals("", new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        Thread.sleep(1000); // a second start would have been recorded by now
        assertEquals(1, commands().stream().filter("daemon"::equals).count(), String.join("\n", commands()));
        assertEquals(5, commands().stream().filter("wal-push"::equals).count());

        // the same configuration with another variable that travels to a daemon: a key, and a daemon, of its own
        Map<String, String> other = new LinkedHashMap<>(env);
        other.put("WALE_GPG_KEY_ID", "someone");
        assertEquals(0, run(other).status);
        awaitCount("daemon", 2);
        try (Stream<Path> pids = Files.list(dir)) {
            assertEquals(2, pids.filter(p -> p.toString().endsWith(".pid")).count());
        }
    }

    @Test
    void aStaleSocketIsReplacedWhenNobodyHoldsTheLock() throws Exception {
        Map<String, String> env = on(runtime);
        assertEquals(0, run(env).status);
        awaitCount("daemon", 1);
        Path dir = runtime.resolve("wal-j");
        Path pidFile = onlyFile(dir, ".pid");
        String key = pidFile.getFileName().toString().replace(".pid", "");
        // the daemon goes away and leaves a socket that nobody answers (as after SIGKILL)
        ProcessHandle flock = ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim())).orElseThrow();
        flock.descendants().forEach(ProcessHandle::destroyForcibly);
        flock.destroyForcibly();
        flock.onExit().get(30, TimeUnit.SECONDS);
        Path socket = dir.resolve(key + ".sock");
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(socket));
        }
        giveAway(socket);
        Files.deleteIfExists(dir.resolve(key + ".failed")); // the kill's own report is another test's subject
        Run run = run(env);
        assertEquals(0, run.status, run.stderr);
        awaitCount("daemon", 2);
        // the daemon start and the call's own JVM are recorded in either order; the call's is the JVM's main entry
        // point, not the socket client's
        List<String> raw = Files.readAllLines(calls);
        List<String> pushes = raw.stream().filter(l -> !(l.contains(" daemon ") || l.endsWith(" daemon"))
                && Pattern.compile("\\bwal-push\\b").matcher(l).find()).toList();
        assertEquals(2, pushes.size(), String.join("\n", raw));
        assertTrue(pushes.stream().noneMatch(l -> l.contains("ClientMain")),
                "worked in-process, not through the client:\n" + String.join("\n", raw));
    }

    @Test
    void aDaemonThatFailsCostsOneWarningAndNoRetryForAMinute() throws Exception {
        Map<String, String> env = on(runtime);
        env.put("STUB_DAEMON", "fail");
        assertEquals(0, run(env).status);
        Path dir = runtime.resolve("wal-j");
        awaitFile(dir, ".failed");
        Run second = run(env);
        assertEquals(0, second.status, second.stderr);
        assertEquals(1, second.stderr.lines().count(), second.stderr);
        assertTrue(second.stderr.startsWith("wal-j: WARNING: the daemon started for this configuration exited with"
                + " status 3 (its log: "), second.stderr);
        Run third = run(env);
        assertEquals(0, third.status, third.stderr);
        assertEquals("", third.stderr, "the failure was reported once");
        Thread.sleep(1000);
        assertEquals(1, commands().stream().filter("daemon"::equals).count(), "no new attempt while the lock is held");
        assertEquals(3, commands().stream().filter("wal-push"::equals).count(), "every call worked in-process");
    }

    @Test
    void aRuntimeDirectoryThatIsNotPrivateAndOwnIsRefusedWithOneWarning() throws Exception {
        // mode 0755
        Path open = Files.createDirectories(top.resolve("open/wal-j"));
        Files.setPosixFilePermissions(open.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
        giveAway(open.getParent());
        giveAway(open);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertRefused(open.getParent(), "must have mode 0700");
        // a symlink to a directory of this user
        Path linked = Files.createDirectories(top.resolve("linked"));
        giveAway(linked);
        Files.createSymbolicLink(linked.resolve("wal-j"), runtime);
        assertRefused(linked, "is not a directory of this user that it can write");
        // read-only: wal-j/ cannot be created
        Path readOnly = Files.createDirectories(top.resolve("read-only"));
        giveAway(readOnly);
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-x------"));
        assertRefused(readOnly, "is not a directory of this user that it can write");
        if (ROOT) {
            // another user's directory (the launcher runs as nobody; root made this one)
            Path others = Files.createDirectories(top.resolve("others/wal-j"), PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            Files.setPosixFilePermissions(others.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
            assertRefused(others.getParent(), "is not a directory of this user that it can write");
        }
        assertTrue(commands().stream().noneMatch("daemon"::equals), String.join("\n", commands()));
    }

    @Test
    void aSettingOtherThanOnOrOffIsAnErrorAndWalJClientNoneStartsNothing() throws Exception {
        Map<String, String> env = on(runtime);
        env.put("WALJ_DAEMON_AUTOSTART", "yes");
        Run wrong = run(env);
        assertEquals(1, wrong.status);
        assertEquals("wal-j: WALJ_DAEMON_AUTOSTART=yes is not one of on, off\n", wrong.stderr);
        env.put("WALJ_DAEMON_AUTOSTART", "on");
        env.put("WALJ_CLIENT", "none");
        Run none = run(env);
        assertEquals(0, none.status, none.stderr);
        Thread.sleep(1000);
        assertEquals(List.of("wal-push"), commands());
    }

    /**
     * The call that finds no daemon (and nobody starting one) does its own work in-process, as with the setting off,
     * and starts the daemon only once its JVM has exited: the two JVMs do not compete for the cores while PostgreSQL
     * waits for the call (docs/daemon.md, "Started on demand"). Until 2026-12-07 round 5 it started the daemon first
     * and waited for it.
     */
    @Test
    void theFirstPushWorksInProcessAndStartsTheDaemonOnlyAfterItsJvmExited() throws Exception {
        assertInProcessThenStarted(" wal-push ", "wal-push", "pg_wal/000000010000000000000001");
    }

    /** The same for wal-fetch, which leaves prefetching to the daemon it starts (no wal-prefetch JVM of its own). */
    @Test
    void theFirstFetchWorksInProcessLeavesPrefetchingToTheDaemonAndStartsItAfter() throws Exception {
        String fetch = assertInProcessThenStarted(" wal-fetch ", "wal-fetch", "000000010000000000000001",
                "pg_wal/RECOVERYXLOG");
        assertTrue(fetch.contains(PREFETCH_BY_DAEMON), fetch);
    }

    private String assertInProcessThenStarted(String recorded, String... args) throws Exception {
        Map<String, String> env = on(runtime);
        env.put("STUB_WORK", "1");
        Run first = run(env, args);
        assertEquals(0, first.status, first.stderr);
        assertEquals("", first.stderr);
        awaitCount("daemon", 1);
        List<String> lines = Files.readAllLines(calls);
        String all = String.join("\n", lines);
        assertEquals(3, lines.size(), all);
        assertTrue(lines.get(0).contains(recorded) && lines.get(0).contains(" -jar ")
                && !lines.get(0).contains("ClientMain"), "in-process first:\n" + all);
        assertEquals("end", lines.get(1), "its JVM ended before the start:\n" + all);
        assertTrue(lines.get(2).endsWith("daemon --idle-exit 300"), "then the daemon's start:\n" + all);
        return lines.get(0);
    }

    /**
     * A call that finds another call's daemon starting (its lock held, no socket yet) waits for its socket instead of
     * running a JVM of its own beside the starting one (and, for wal-fetch, a wal-prefetch JVM), then hands it the
     * work; here the socket is bound a second after the call began.
     */
    @Test
    void aPushThatFindsADaemonStartingWaitsForItAndHandsTheWorkToIt() throws Exception {
        assertHandedToTheStartingDaemon(" wal-push ", "wal-push", "pg_wal/000000010000000000000002");
    }

    @Test
    void aFetchThatFindsADaemonStartingWaitsForItAndHandsTheWorkToIt() throws Exception {
        assertHandedToTheStartingDaemon(" wal-fetch ", "wal-fetch", "000000010000000000000001", "pg_wal/RECOVERYXLOG");
    }

    private void assertHandedToTheStartingDaemon(String recorded, String... args) throws Exception {
        assertEquals(0, run(on(runtime)).status); // starts the daemon, which holds the lock and binds no socket
        awaitCount("daemon", 1);
        Path dir = runtime.resolve("wal-j");
        Path pid = onlyFile(dir, ".pid");
        Path socket = dir.resolve(pid.getFileName().toString().replace(".pid", ".sock"));
        Process call = start(on(runtime), args);
        Thread.sleep(1000);
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(socket));
            giveAway(socket);
            assertTrue(call.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, call.exitValue(), new String(call.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        List<String> lines = Files.readAllLines(calls).stream().filter(l -> l.contains(recorded)).toList();
        String all = String.join("\n", Files.readAllLines(calls));
        List<String> mine = lines.stream().filter(l -> l.contains(args[args.length - 1])).toList();
        assertEquals(1, mine.size(), all);
        assertTrue(mine.get(0).contains("org.walj.cli.ClientMain"), "handed to the daemon:\n" + all);
        assertEquals(1, commands().stream().filter("daemon"::equals).count());
    }

    /**
     * The call that starts a daemon after its work is not exec'd into its JVM: it still exits with the status the
     * same call exits with when the setting is off (wal-fetch's mapped as always), and a JVM that was killed (a
     * shutdown: 143 after SIGTERM) starts nothing.
     */
    @Test
    void theCallThatStartsADaemonAfterItsWorkExitsAsInProcess() throws Exception {
        String[] push = {"wal-push", "pg_wal/000000010000000000000001"};
        String[] fetch = {"wal-fetch", "000000010000000000000001", "pg_wal/RECOVERYXLOG"};
        // {stand-in java's status, the call} -> the launcher's status: the same with the setting off and on
        Object[][] cases = {
            {"0", push}, {"1", push}, {"2", push}, {"7", push}, {"130", push},
            {"0", fetch}, {"3", fetch}, {"1", fetch}, {"2", fetch}, {"200", fetch},
        };
        int n = 0;
        for (Object[] c : cases) {
            String[] args = (String[]) c[1];
            Map<String, String> off = on(runtime);
            off.put("WALJ_DAEMON_AUTOSTART", "off");
            off.put("STUB_EXIT", (String) c[0]);
            Run expected = run(off, args);
            Path xdg = Files.createDirectory(top.resolve("xdg-" + n++));
            giveAway(xdg);
            Map<String, String> on = on(xdg);
            on.put("STUB_EXIT", (String) c[0]);
            Run actual = run(on, args);
            assertEquals(expected.status, actual.status, "java " + c[0] + " for " + List.of(args) + ": " + actual.stderr);
            assertEquals(expected.stderr, actual.stderr);
            if (Integer.parseInt((String) c[0]) <= 128) {
                awaitFile(xdg.resolve("wal-j"), ".pid"); // and it started a daemon
            }
        }
        long starts = commands().stream().filter("daemon"::equals).count();
        Map<String, String> killed = on(Files.createDirectory(top.resolve("xdg-killed")));
        giveAway(Path.of(killed.get("XDG_RUNTIME_DIR")));
        killed.put("STUB_EXIT", "143");
        assertEquals(143, run(killed, push).status);
        Thread.sleep(1000); // a start would have been recorded by now
        assertEquals(starts, commands().stream().filter("daemon"::equals).count(), "a killed call starts nothing");
    }

    /**
     * The native client computes the configuration's key (the daemon's socket name) for a fraction of the CPU of
     * the launcher's awk and cksum, and it must be the same key: a configuration with and without the native client
     * beside the jar (variables with a newline, an '=', non-ASCII bytes, names that sort around '_', excluded and
     * look-alike names, options before the subcommand) gets one name.
     */
    @Test
    void theNativeClientComputesTheKeyAwkAndCksumCompute() throws Exception {
        Path client = BASE.resolve("target/wal-j-client");
        assertTrue(Files.isExecutable(client), "build first: " + client);
        Map<String, String> env = on(runtime);
        env.put("STUB_DAEMON", "fail"); // no daemon stays: each call only names its key
        env.put("WALE_S3_PREFIX", "s3://bucket/prefix");
        env.put("WALE_A", "multi\nline caf\u00e9 a=b");
        env.put("WALE_", "x");
        env.put("WALE__", "y");
        env.put("WALEX", "not a prefix");
        env.put("AWS_REGION", "eu-west-1");
        env.put("GNUPGHOMEX", "prefix too");
        env.put("STORAGE_EMULATOR_HOST", "localhost:1");
        env.put("WALJ_JAVA_OPTS", "-Xmx200m");
        env.put("WALJ_CLIENT", "auto");
        List<String> names = new ArrayList<>();
        for (boolean nativeClient : new boolean[] {true, false, true}) {
            Path beside = top.resolve("wal-j-client");
            if (nativeClient) {
                Files.copy(client, beside, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
            } else {
                Files.deleteIfExists(beside);
            }
            Path dir = runtime.resolve("wal-j");
            Run r = run(env, "--terse", "wal-push", "pg_wal/000000010000000000000001");
            assertEquals(0, r.status, r.stderr);
            names.add(onlyFile(dir, ".log").getFileName().toString());
            awaitFile(dir, ".failed");
            killStarted(); // the failed start's minute, under its lock: ended, and its files gone, for the next key
            new ProcessBuilder("rm", "-rf", dir.toString()).start().waitFor();
        }
        assertEquals(names.get(0), names.get(1), "native client and awk: " + names);
        assertEquals(names.get(0), names.get(2));
    }

    /**
     * The first call works in-process and leaves prefetching to the daemon it starts after its work; the next call
     * waits for that daemon, which does not answer within the wait (this one never binds its socket): it works
     * in-process too.
     */
    @Test
    void aFetchThatMustNotWaitLongerWorksInProcessAndLeavesPrefetchingToTheDaemon() throws Exception {
        Run first = run(on(runtime), "wal-fetch", "000000010000000000000001", "pg_wal/RECOVERYXLOG");
        assertEquals(0, first.status, first.stderr);
        assertEquals("", first.stderr);
        List<String> fetches = fetchLines();
        assertEquals(1, fetches.size(), String.join("\n", Files.readAllLines(calls)));
        assertTrue(fetches.get(0).contains(" -jar ") && fetches.get(0).contains(PREFETCH_BY_DAEMON), fetches.get(0));
        awaitCount("daemon", 1);
        // wal-push waits for it (this daemon never answers), then works in-process with nothing to leave to it
        assertEquals(0, run(on(runtime)).status);
        assertTrue(Files.readAllLines(calls).stream().noneMatch(l -> l.contains(" wal-push ")
                && l.contains(PREFETCH_BY_DAEMON)));
    }

    /**
     * A daemon whose start failed is not waited for, and prefetching is the call's own again (the first call, which
     * started it after its work, had left prefetching to it).
     */
    @Test
    void aFetchDoesNotWaitForADaemonThatFailed() throws Exception {
        Map<String, String> env = on(runtime);
        env.put("STUB_DAEMON", "fail");
        for (int i = 0; i < 3; i++) {
            Run r = run(env, "wal-fetch", "000000010000000000000001", "pg_wal/RECOVERYXLOG");
            assertEquals(0, r.status, r.stderr);
            assertEquals(i == 1 ? 1 : 0, r.stderr.lines().count(), "one WARNING, from the second call: " + r.stderr);
            if (i == 0) {
                // the first call started the daemon after its own work, in the background: it has failed by now
                awaitFile(runtime.resolve("wal-j"), ".failed");
            }
        }
        List<String> fetches = fetchLines();
        assertEquals(3, fetches.size(), String.join("\n", Files.readAllLines(calls)));
        assertTrue(fetches.get(0).contains(PREFETCH_BY_DAEMON), String.join("\n", fetches));
        assertTrue(fetches.stream().skip(1).noneMatch(l -> l.contains(PREFETCH_BY_DAEMON)), String.join("\n", fetches));
        assertEquals(1, commands().stream().filter("daemon"::equals).count(), "no new attempt while the lock is held");
    }

    private List<String> fetchLines() throws IOException {
        return Files.readAllLines(calls).stream().filter(l -> l.contains(" wal-fetch ")).toList();
    }

    private void assertRefused(Path xdg, String why) throws Exception {
        int before = commands().size();
        Run run = run(on(xdg));
        assertEquals(0, run.status, run.stderr);
        assertEquals(1, run.stderr.lines().count(), run.stderr);
        assertTrue(run.stderr.startsWith("wal-j: WARNING: not starting a daemon: ") && run.stderr.contains(why),
                run.stderr);
        assertEquals(before + 1, commands().size(), "in-process");
    }

    private Map<String, String> on(Path xdg) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("WALJ_DAEMON_AUTOSTART", "on");
        env.put("XDG_RUNTIME_DIR", xdg.toString());
        return env;
    }

    private record Run(int status, String stderr) {
    }

    private Run run(Map<String, String> env, String... args) throws Exception {
        Process p = start(env, args);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the launcher returned");
        return new Run(p.exitValue(), new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    /** The launcher with {@code args}; none: {@code wal-push pg_wal/000000010000000000000001}. */
    private Process start(Map<String, String> env, String... args) throws IOException {
        List<String> argv = new ArrayList<>();
        if (ROOT) {
            argv.addAll(List.of("runuser", "-u", "nobody", "--"));
        }
        argv.add(launcher.toString());
        argv.addAll(args.length > 0 ? List.of(args) : List.of("wal-push", "pg_wal/000000010000000000000001"));
        ProcessBuilder pb = new ProcessBuilder(argv).directory(top.toFile()).redirectOutput(
                ProcessBuilder.Redirect.DISCARD);
        Map<String, String> e = pb.environment();
        e.keySet().removeIf(k -> k.startsWith("WALJ_") || k.startsWith("WALE_") || k.startsWith("XDG_"));
        e.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        e.put("WALJ_JAVA", top.resolve("java").toString());
        e.put("WALJ_JAR", top.resolve("wal-j.jar").toString());
        e.put("WALJ_CDS", "off");
        e.put("STUB_LOG", calls.toString());
        e.putAll(env);
        return pb.start();
    }

    /** The subcommand of each recorded java run, in order. */
    private List<String> commands() throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(calls)) {
            out.add(line.contains(" daemon ") || line.endsWith(" daemon") ? "daemon"
                    : Pattern.compile("\\bwal-push\\b").matcher(line).find() ? "wal-push" : line);
        }
        return out;
    }

    /** The recorded daemon start (in any position: see {@link #awaitCommands}). */
    private String daemonLine() throws IOException {
        List<String> starts = Files.readAllLines(calls).stream()
                .filter(line -> line.contains(" daemon ") || line.endsWith(" daemon")).toList();
        assertEquals(1, starts.size(), String.join("\n", Files.readAllLines(calls)));
        return starts.get(0);
    }

    /**
     * Waits for these commands in any order: the launcher starts a daemon in the background and goes on with its own
     * work, so which of the two records its call first is a race (CI saw [wal-push, daemon, wal-push]).
     */
    private void awaitCommands(List<String> expected) throws Exception {
        List<String> want = expected.stream().sorted().toList();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!commands().stream().sorted().toList().equals(want) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(want, commands().stream().sorted().toList(), String.join("\n", commands()));
    }

    private void awaitCount(String command, long n) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (commands().stream().filter(command::equals).count() < n && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(n, commands().stream().filter(command::equals).count(), String.join("\n", commands()));
    }

    private static Path awaitFile(Path dir, String suffix) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.list(dir)) {
                    List<Path> found = files.filter(p -> p.toString().endsWith(suffix)).toList();
                    if (found.size() == 1) {
                        return found.get(0);
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no " + suffix + " file in " + dir);
    }

    private static Path onlyFile(Path dir, String suffix) throws Exception {
        return awaitFile(dir, suffix);
    }

    private static void giveAway(Path path) throws IOException {
        if (ROOT) {
            UserPrincipal nobody = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
            Files.setOwner(path, nobody);
        }
    }
}
