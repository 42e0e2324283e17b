package org.walj.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;

/**
 * The wal-j under test, installed as a user would: the launcher {@code packaging/wal-j} and the shaded
 * {@code target/wal-j.jar} (and {@code wal-j-client.jar}, hard-linked where it can) side by side in
 * {@code <scratch>/bin} (755/644, readable by the server's OS user,
 * who cannot read a checkout under /root). Failsafe passes their locations as the system properties
 * {@code walj.jar} and {@code walj.launcher}.
 *
 * <p>The launcher is pointed at the JDK that runs the tests ({@code WALJ_JAVA}), so
 * {@code JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 ./mvnw verify} tests wal-j on JDK 25.
 * Override with {@code -Dwalj.it.java=/path/to/bin/java}.
 */
public final class WalJ {

    /**
     * C1 only for every wal-j JVM of a test: the launcher already runs the WAL commands and the daemon that way, but
     * gives backup-push, backup-fetch, backup-verify and restore the C2 compiler too, for multi-gigabyte clusters. A
     * test's clusters are tens of megabytes, where C2's compilations cost more than they save: a backup-push of a
     * pgbench scale-1 cluster took ~1.6 instead of ~1.2 CPU-s, its backup-fetch ~2.3 instead of ~1.6
     * (docs/testing.md, "How long it takes"). The compiler tier changes no behaviour; the launcher's own options are
     * LauncherIT's subject, which runs it without this environment.
     */
    public static final String TEST_JVM_OPTIONS = "-XX:TieredStopAtLevel=1";

    private final Path launcher;
    private final Path jar;
    private final Path java;
    private final ServerUser user;
    private final Path workDir;
    private final Path classDataCache;
    private final Map<String, String> runtimeEnv;

    private WalJ(Path launcher, Path jar, Path java, ServerUser user, Path workDir, Path classDataCache,
            Map<String, String> runtimeEnv) {
        this.launcher = launcher;
        this.jar = jar;
        this.java = java;
        this.user = user;
        this.workDir = workDir;
        this.classDataCache = classDataCache;
        this.runtimeEnv = runtimeEnv;
    }

    /** Copies launcher and jar into {@code <scratch>/bin} and checks the server user can run them. */
    public static WalJ install(Scratch scratch) {
        Path srcJar = Path.of(System.getProperty("walj.jar", "target/wal-j.jar")).toAbsolutePath();
        Path srcLauncher = Path.of(System.getProperty("walj.launcher", "packaging/wal-j")).toAbsolutePath();
        if (!Files.isRegularFile(srcJar)) {
            throw new AssertionError(srcJar + " does not exist: integration tests need the shaded jar that"
                    + " 'package' builds; run them with ./mvnw verify");
        }
        if (!Files.isRegularFile(srcLauncher)) {
            throw new AssertionError("launcher " + srcLauncher + " does not exist");
        }
        requireMainClass(srcJar);
        Path java = Path.of(System.getProperty("walj.it.java",
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        ServerUser user = scratch.user();
        Path bin = scratch.dir("bin");
        try {
            Path launcher = Files.copy(srcLauncher, bin.resolve("wal-j"), StandardCopyOption.REPLACE_EXISTING);
            Path jar = linkOrCopy(srcJar, bin.resolve("wal-j.jar"));
            // the resident-mode client jar the build makes beside the full one (docs/daemon.md)
            Path clientJar = linkOrCopy(srcJar.resolveSibling("wal-j-client.jar"), bin.resolve("wal-j-client.jar"));
            // the native daemon client, when the build made it (a C compiler was present): the launcher then uses
            // it for wal-push and wal-fetch whenever a daemon socket exists (WALJ_CLIENT, docs/daemon.md)
            Path nativeClient = srcJar.resolveSibling("wal-j-client");
            if (Files.isRegularFile(nativeClient)) {
                Files.setPosixFilePermissions(Files.copy(nativeClient, bin.resolve("wal-j-client"),
                        StandardCopyOption.REPLACE_EXISTING), PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            // the compiler directives the launcher gives base backups, as the packages install them beside the jar
            Path directives = srcLauncher.resolveSibling("wal-j-jit.json");
            if (Files.isRegularFile(directives)) {
                Files.setPosixFilePermissions(Files.copy(directives, bin.resolve("wal-j-jit.json"),
                        StandardCopyOption.REPLACE_EXISTING), PosixFilePermissions.fromString("rw-r--r--"));
            }
            Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
            Files.setPosixFilePermissions(clientJar, PosixFilePermissions.fromString("rw-r--r--"));
            user.requireExecutable(java, "the launcher runs wal-j with the JDK that runs the tests; install the JDK"
                    + " where every user can read it (Debian: apt-get install openjdk-17-jdk-headless) or pass"
                    + " -Dwalj.it.java=/path/to/bin/java");
            user.requireExecutable(launcher, "scratch directory not reachable by the server user");
            return new WalJ(launcher, jar, java, user, scratch.dir("walj-cwd"), scratch.dir("walj-cds"),
                    scratch.runtimeEnv());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install wal-j into " + bin, e);
        }
    }

    /**
     * A hard link to the build's file where the scratch tree is on the same file system, else a copy: every test
     * installs wal-j, and a copy of the 90 MB jar per test was gigabytes of disk writes per suite. No test changes an
     * installed jar (the native client, which NativeClientIT makes non-executable, is always copied).
     */
    private static Path linkOrCopy(Path source, Path target) throws IOException {
        Files.deleteIfExists(target);
        try {
            return Files.createLink(target, source);
        } catch (IOException | UnsupportedOperationException crossDeviceOrRefused) {
            return Files.copy(source, target);
        }
    }

    private static void requireMainClass(Path jarFile) {
        try (JarFile jf = new JarFile(jarFile.toFile())) {
            String main = jf.getManifest() == null ? null
                    : jf.getManifest().getMainAttributes().getValue("Main-Class");
            if (main == null) {
                throw new AssertionError(jarFile + " has no Main-Class in its manifest");
            }
            if (jf.getEntry(main.replace('.', '/') + ".class") == null) {
                throw new AssertionError(jarFile + " names Main-Class " + main + " but does not contain it:"
                        + " the CLI is not built yet");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jarFile, e);
        }
    }

    /** The installed launcher: what archive_command and restore_command run. */
    public Path launcher() {
        return launcher;
    }

    public Path jar() {
        return jar;
    }

    /**
     * Environment the launcher needs wherever it runs (the server's, or a direct run): {@code WALJ_JAVA}, a
     * class-data cache of this scratch directory, so that tests neither use nor leave archives in the server
     * user's home, and the scratch's runtime directory ({@link Scratch#runtimeEnv()}), so that the daemons wal-push
     * and wal-fetch start on demand (the default) are this test's and are stopped with it. And
     * {@link #TEST_JVM_OPTIONS} as {@code WALJ_JAVA_OPTS}; a test that sets its own {@code WALJ_JAVA_OPTS} replaces it.
     */
    public Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>(runtimeEnv);
        env.put("WALJ_JAVA", java.toString());
        env.put("WALJ_CDS_DIR", classDataCache.toString());
        env.put("WALJ_JAVA_OPTS", TEST_JVM_OPTIONS);
        return Map.copyOf(env);
    }

    /**
     * {@link #env()} with {@code WALJ_DAEMON_AUTOSTART=off}: for the few tests whose subject is the per-call JVM
     * itself (each says why).
     */
    public Map<String, String> envWithoutDaemon() {
        Map<String, String> env = new LinkedHashMap<>(env());
        env.put("WALJ_DAEMON_AUTOSTART", "off");
        return env;
    }

    /**
     * {@link #env()} with {@code WALE_FILE_PREFIX} naming a file archive (see {@link Scratch#archive}): what both a
     * server and a direct run need. Mutable, so a test adds its own variables (GnuPG, a daemon socket).
     */
    public Map<String, String> fileArchiveEnv(Path archive) {
        Map<String, String> env = new LinkedHashMap<>(env());
        env.put("WALE_FILE_PREFIX", "file://localhost" + archive);
        return env;
    }

    /**
     * A shell command line for postgresql.conf, e.g. {@code shellCommand("wal-push", "%p")} gives
     * {@code '/tmp/walj-it-.../bin/wal-j' wal-push %p}. Arguments are used as given (so %p/%f stay intact).
     */
    public String shellCommand(String... args) {
        StringBuilder sb = new StringBuilder(shellQuote(launcher.toString()));
        for (String a : args) {
            sb.append(' ').append(a);
        }
        return sb.toString();
    }

    /** Runs {@code wal-j ARGS...} as the server's OS user with extra environment variables; 2-minute limit. */
    public ProcessResult run(Map<String, String> env, String... args) {
        return run(env, Duration.ofMinutes(2), args);
    }

    public ProcessResult run(Map<String, String> env, Duration timeout, String... args) {
        List<String> argv = new ArrayList<>();
        argv.add(launcher.toString());
        argv.addAll(List.of(args));
        Map<String, String> all = new LinkedHashMap<>(env());
        all.putAll(env);
        return Exec.of(argv).as(user).env(all).dir(workDir).timeout(timeout).run();
    }

    /** Starts {@code wal-j ARGS...} as the server's OS user in the background (see {@link Exec#start}). */
    public Process start(Map<String, String> env, Path stdout, Path stderr, String... args) {
        List<String> argv = new ArrayList<>();
        argv.add(launcher.toString());
        argv.addAll(List.of(args));
        Map<String, String> all = new LinkedHashMap<>(env());
        all.putAll(env);
        return Exec.of(argv).as(user).env(all).dir(workDir).start(stdout, stderr);
    }

    static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
