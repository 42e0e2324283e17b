package org.walj.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walj.it.harness.Exec;
import org.walj.it.harness.LauncherProbe;
import org.walj.it.harness.ProcessResult;
import org.walj.it.harness.ServerUser;
import org.walj.it.harness.Tools;
import org.walj.testsupport.Orphans;

/**
 * The launcher {@code packaging/wal-j}, run for real with a probe jar in place of wal-j.jar: where it finds the
 * jar and java, which JVM options it passes (per JDK version), and that arguments and exit codes pass through.
 * Needs only sh and a JDK. Every JDK found under /usr/lib/jvm is tried.
 */
class LauncherIT {

    private static final List<String> DEFAULT_OPTIONS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Xss512k", "-XX:-UsePerfData", "-Xshare:auto", "-Xmx256m");
    private static final String UNSAFE_FLAG = "--sun-misc-unsafe-memory-access=allow";

    @TempDir
    Path tmp;
    private Path launcherSource;
    private Path probeJar;
    private final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @BeforeEach
    void setUp() throws IOException {
        launcherSource = Path.of(System.getProperty("walj.launcher", "packaging/wal-j")).toAbsolutePath();
        assertTrue(Files.isRegularFile(launcherSource), "launcher " + launcherSource);
        probeJar = tmp.resolve("probe.jar");
        writeProbeJar(probeJar);
    }

    @Test
    void findsTheJarNextToItselfPassesArgumentsAndOptionsAndTheExitCode() throws IOException {
        Path bin = install("a/bin");
        Path jar = copy(probeJar, bin.resolve("wal-j.jar"));
        ProcessResult r = launch(bin.resolve("wal-j").toString(), "exit", "3").env("WALJ_JAVA", java).run();
        assertEquals(3, r.exitCode(), r.describe());
        Probe p = Probe.parse(r);
        assertEquals(jar.toString(), p.jar());
        assertEquals(List.of("exit", "3"), p.args());
        assertTrue(p.jvm().containsAll(DEFAULT_OPTIONS), p.jvm().toString());

        r = launch(bin.resolve("wal-j").toString(), "a b", "*", "", "$HOME", "--x='y'").env("WALJ_JAVA", java).runOk();
        assertEquals(List.of("a b", "*", "", "$HOME", "--x='y'"), Probe.parse(r).args());

        // base backups run long enough for the optimising compiler: no C1-only cap for them
        r = launch(bin.resolve("wal-j").toString(), "--terse", "backup-fetch", "x").env("WALJ_JAVA", java).runOk();
        assertFalse(Probe.parse(r).jvm().contains("-XX:TieredStopAtLevel=1"), Probe.parse(r).jvm().toString());
        assertTrue(Probe.parse(r).jvm().contains("-XX:+UseSerialGC"), Probe.parse(r).jvm().toString());
        // backup-verify hashes every file: SHA-256 is about 20 times faster with C2 than with C1 alone
        r = Exec.of(bin.resolve("wal-j").toString(), "backup-verify", "LATEST").env("WALJ_JAVA", java).runOk();
        assertFalse(Probe.parse(r).jvm().contains("-XX:TieredStopAtLevel=1"), Probe.parse(r).jvm().toString());
        // a million-file manifest is live all along: the heap grows from 32 MiB, with a small young generation and
        // little free room kept, so peak RSS stays within 256 MiB (docs/performance.md, "Many files")
        assertTrue(Probe.parse(r).jvm().containsAll(List.of("-Xms32m", "-XX:MaxNewSize=8m", "-XX:MinHeapFreeRatio=10",
                "-XX:MaxHeapFreeRatio=20")), Probe.parse(r).jvm().toString());
        // restore is a backup-fetch too, and writes restore_command with the launcher's path as it was run
        r = launch(bin.resolve("wal-j").toString(), "restore", "x").env("WALJ_JAVA", java).runOk();
        assertFalse(Probe.parse(r).jvm().contains("-XX:TieredStopAtLevel=1"), Probe.parse(r).jvm().toString());
        assertTrue(Probe.parse(r).jvm().contains("-Dwalj.launcher.path=" + bin.resolve("wal-j")),
                Probe.parse(r).jvm().toString());
    }

    /**
     * issue 12 item 5: under LANG=C the JVM decoded file names as ASCII (-Dsun.jnu.encoding is ignored on JDK 17);
     * the launcher gives it the C.UTF-8 character type, changing nothing else, and leaves a UTF-8 locale alone.
     */
    @Test
    void theJvmAlwaysGetsUtf8FileNamesAndOtherLocaleCategoriesKeepTheirValue() throws IOException {
        Path bin = install("a/bin");
        copy(probeJar, bin.resolve("wal-j.jar"));
        Map<String, String> none = new LinkedHashMap<>();
        none.put("LC_ALL", null);
        none.put("LANG", null);
        List<Map<String, String>> cases = List.of(Map.of("LC_ALL", "C", "LANG", "C"), none,
                Map.of("LC_ALL", "", "LANG", "POSIX"), Map.of("LC_ALL", "", "LANG", "C.UTF-8", "LC_CTYPE", "C"));
        for (Map<String, String> env : cases) {
            ProcessResult r = launch(bin.resolve("wal-j").toString()).env("WALJ_JAVA", java).env(env).runOk();
            assertTrue(r.stdout().contains("jnu=UTF-8\n"), env + ":\n" + r.stdout());
            assertTrue(r.stdout().contains("env=LC_CTYPE=C.UTF-8\n"), env + ":\n" + r.stdout());
        }
        ProcessResult c = launch(bin.resolve("wal-j").toString()).env("WALJ_JAVA", java)
                .env(Map.of("LC_ALL", "C", "LANG", "C")).runOk();
        assertTrue(c.stdout().contains("env=LC_ALL=null\n") && c.stdout().contains("env=LC_MESSAGES=C\n")
                && c.stdout().contains("env=LC_NUMERIC=C\n"), "LC_ALL's value kept for the other categories:\n"
                + c.stdout());
        ProcessResult utf8 = launch(bin.resolve("wal-j").toString()).env("WALJ_JAVA", java)
                .env(Map.of("LC_ALL", "C.UTF-8", "LANG", "C")).runOk();
        assertTrue(utf8.stdout().contains("jnu=UTF-8\n") && utf8.stdout().contains("env=LC_ALL=C.UTF-8\n")
                && utf8.stdout().contains("env=LC_CTYPE=null\n"), "a UTF-8 locale is left alone:\n" + utf8.stdout());
    }

    @Test
    void findsTheJarInLibAndInTargetAndHonoursWaljJar() throws IOException {
        Path bin = install("lib-layout/bin");
        Path libJar = copy(probeJar, tmp.resolve("lib-layout/lib/wal-j/wal-j.jar"));
        assertEquals(libJar.toString(), run(bin, Map.of()).jar());

        Path checkoutBin = install("checkout/packaging");
        Path targetJar = copy(probeJar, tmp.resolve("checkout/target/wal-j.jar"));
        assertEquals(targetJar.toString(), run(checkoutBin, Map.of()).jar());

        Path other = copy(probeJar, tmp.resolve("elsewhere/any-name.jar"));
        assertEquals(other.toString(), run(checkoutBin, Map.of("WALJ_JAR", other.toString())).jar());
    }

    @Test
    void followsASymlinkToFindItsJar() throws IOException {
        Path bin = install("opt/wal-j/bin");
        Path jar = copy(probeJar, bin.resolve("wal-j.jar"));
        Path links = Files.createDirectories(tmp.resolve("usr/local/bin"));
        Path link = Files.createSymbolicLink(links.resolve("wal-j"), Path.of("../../../opt/wal-j/bin/wal-j"));
        ProcessResult r = launch(link.toString()).env("WALJ_JAVA", java).runOk();
        assertEquals(jar.toString(), Probe.parse(r).jar());
    }

    /**
     * The jar's path (part of a daemon's configuration key, and of a class-data archive's) is built on the launcher's
     * directory as {@code pwd -P} prints it, however the launcher was reached: an absolute physical path is taken as
     * it stands (no subshell), any other form is resolved as before.
     */
    @Test
    void namesTheJarOnTheLaunchersPhysicalDirectoryHoweverItIsReached() throws IOException {
        Path bin = install("real dir/bin");
        String jar = copy(probeJar, bin.resolve("wal-j.jar")).toUri().getRawPath(); // as the probe prints it
        Path linkedDir = Files.createSymbolicLink(tmp.resolve("linked dir"), tmp.resolve("real dir"));
        Files.createDirectories(tmp.resolve("real dir/other"));
        List<String> ways = List.of(bin.resolve("wal-j").toString(), linkedDir.resolve("bin/wal-j").toString(),
                tmp + "/real dir/other/../bin/wal-j", tmp + "/real dir/./bin/wal-j", tmp + "//real dir/bin//wal-j");
        for (String way : ways) {
            ProcessResult r = launch(way, "x").env("WALJ_JAVA", java).runOk();
            assertEquals(jar, Probe.parse(r).jar(), way);
            assertEquals(List.of("x"), Probe.parse(r).args(), way);
        }
        // a relative path, from the launcher's directory and from elsewhere
        for (Path cwd : List.of(bin, tmp)) {
            String relative = cwd.relativize(bin.resolve("wal-j")).toString();
            ProcessResult r = launch("/bin/sh", relative, "x").env("WALJ_JAVA", java).dir(cwd).runOk();
            assertEquals(jar, Probe.parse(r).jar(), relative);
        }
    }

    @Test
    void appendsWaljJavaOptsAfterTheDefaults() throws IOException {
        Path bin = install("opts/bin");
        copy(probeJar, bin.resolve("wal-j.jar"));
        Probe p = run(bin, Map.of("WALJ_JAVA_OPTS", "-Xmx64m  -Dwalj.test=a*b"));
        List<String> jvm = p.jvm();
        assertTrue(jvm.contains("-Dwalj.test=a*b"), "no globbing of WALJ_JAVA_OPTS: " + jvm);
        assertTrue(jvm.lastIndexOf("-Xmx64m") > jvm.indexOf("-Xmx256m"), "later -Xmx wins: " + jvm);
    }

    @Test
    void addsTheUnsafeFlagExactlyOnJdk24AndLaterForEveryInstalledJdk() throws IOException {
        Path bin = install("jdks/bin");
        copy(probeJar, bin.resolve("wal-j.jar"));
        for (Path home : jdkHomes()) {
            Path javaBin = home.resolve("bin/java");
            Probe viaWaljJava = run(bin, Map.of("WALJ_JAVA", javaBin.toString()));
            assertEquals(viaWaljJava.feature() >= 24, viaWaljJava.jvm().contains(UNSAFE_FLAG),
                    home + " (JDK " + viaWaljJava.feature() + "): " + viaWaljJava.jvm());
            ProcessResult r = launch(bin.resolve("wal-j").toString()).env("JAVA_HOME", home.toString()).runOk();
            Probe viaJavaHome = Probe.parse(r);
            assertEquals(viaWaljJava.feature(), viaJavaHome.feature(), "JAVA_HOME=" + home + " is used");
            assertEquals(viaJavaHome.feature() >= 24, viaJavaHome.jvm().contains(UNSAFE_FLAG), home.toString());
        }
    }

    /**
     * issue 15: base backups and restores get the compiler directives shipped beside the jar (C2 only for the code
     * every byte goes through); WAL commands, the daemon and every other command do not; without a readable file the
     * JVM gets no directives (it would refuse to start on one it cannot load). The shipped file itself is loaded by
     * every installed JDK, and the JVM's "compiler directives added" line does not reach stdout.
     */
    @Test
    void passesTheShippedCompilerDirectivesToBaseBackupsOnlyAndOnlyWhenTheFileIsThere() throws IOException {
        Path shipped = launcherSource.resolveSibling("wal-j-jit.json");
        assertTrue(Files.isRegularFile(shipped), "shipped beside the launcher: " + shipped);
        Path bin = install("jit/bin");
        Path jar = copy(probeJar, bin.resolve("wal-j.jar"));
        String wal = bin.resolve("wal-j").toString();
        for (String command : List.of("backup-push", "backup-fetch", "backup-verify", "restore")) {
            List<String> jvm = Probe.parse(launch(wal, command, "x").env("WALJ_JAVA", java).runOk()).jvm();
            assertFalse(jvm.stream().anyMatch(o -> o.startsWith("-XX:CompilerDirectivesFile")), command + ": " + jvm);
        }
        Path directives = copy(shipped, jar.resolveSibling("wal-j-jit.json"));
        for (Path home : jdkHomes()) {
            for (String command : List.of("backup-push", "backup-fetch", "backup-verify", "restore")) {
                ProcessResult r = launch(wal, "--terse", command, "x").env("WALJ_JAVA", home.resolve("bin/java")
                        .toString()).runOk();
                List<String> jvm = Probe.parse(r).jvm();
                assertTrue(jvm.containsAll(List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:CompilerDirectivesFile="
                        + directives, "-XX:-DisplayVMOutput")), home + " " + command + ": " + jvm);
                assertTrue(jvm.indexOf("-XX:+UnlockDiagnosticVMOptions") < jvm.indexOf("-XX:CompilerDirectivesFile="
                        + directives), "unlocked first: " + jvm);
                assertFalse(r.stdout().contains("directives"), r.describe());
            }
        }
        for (String command : List.of("wal-push", "wal-fetch", "daemon", "backup-list")) {
            // an option first: the probe, seeing "daemon" first, would wait like a daemon
            ProcessResult r = launch(wal, "--terse", command).env("WALJ_JAVA", java).env("WALJ_CLIENT", "none").run();
            List<String> jvm = Probe.parse(r).jvm();
            assertFalse(jvm.stream().anyMatch(o -> o.startsWith("-XX:CompilerDirectivesFile")), command + ": " + jvm);
        }
        // WALJ_JAVA_OPTS comes last: the JVM's own output back on for a diagnosis
        ProcessResult shown = launch(wal, "backup-fetch", "x").env("WALJ_JAVA", java)
                .env("WALJ_JAVA_OPTS", "-XX:+DisplayVMOutput").runOk();
        assertTrue(shown.stdout().contains("compiler directives added"), shown.describe());

        // not a readable regular file: no directives, and the JVM starts
        Files.delete(directives);
        Files.createDirectory(directives);
        List<String> jvm = Probe.parse(launch(wal, "backup-fetch", "x").env("WALJ_JAVA", java).runOk()).jvm();
        assertFalse(jvm.stream().anyMatch(o -> o.startsWith("-XX:CompilerDirectivesFile")), jvm.toString());

        // a source checkout: the file beside the launcher (packaging/), the jar in target/
        Path checkout = install("jit-checkout/packaging");
        copy(probeJar, tmp.resolve("jit-checkout/target/wal-j.jar"));
        Path besideLauncher = copy(shipped, checkout.resolve("wal-j-jit.json"));
        jvm = Probe.parse(launch(checkout.resolve("wal-j").toString(), "backup-push", "x").env("WALJ_JAVA", java)
                .runOk()).jvm();
        assertTrue(jvm.contains("-XX:CompilerDirectivesFile=" + besideLauncher), jvm.toString());
    }

    @Test
    void usesAClassDataArchiveFromItsOwnCacheDirectoryOnEveryJdkAndNeverNeedsOne() throws IOException {
        Path bin = install("cds/bin");
        copy(probeJar, bin.resolve("wal-j.jar"));
        Path cache = tmp.resolve("cds-cache");
        for (Path home : jdkHomes()) {
            String javaBin = home.resolve("bin/java").toString();
            Map<String, String> env = Map.of("WALJ_JAVA", javaBin, "WALJ_CDS_DIR", cache.toString());
            // JDK 17 dumps on a wal-push or wal-fetch run only (the launcher cannot exec on that run)
            ProcessResult first = launch(bin.resolve("wal-j").toString(), "wal-push", "x").env(env).run();
            assertEquals(0, first.exitCode(), first.describe());
            assertEquals("", first.stderr(), "no JVM chatter about archives: " + first.describe());
            Probe p = Probe.parse(first);
            Path archive = cache.resolve("wal-j-jdk" + p.feature() + "-cli.jsa");
            assertTrue(Files.isRegularFile(archive), "first run of JDK " + p.feature() + " wrote " + archive);
            if (p.feature() >= 19) {
                assertTrue(p.jvm().contains("-XX:+AutoCreateSharedArchive"), p.jvm().toString());
                assertTrue(p.jvm().stream().anyMatch(o -> o.startsWith("-XX:SharedArchiveFile=") && o.endsWith(":" + archive)),
                        p.jvm().toString());
            } else {
                assertTrue(p.jvm().stream().anyMatch(o -> o.startsWith("-XX:ArchiveClassesAtExit=" + archive + ".tmp")),
                        p.jvm().toString());
            }
            ProcessResult second = launch(bin.resolve("wal-j").toString(), "exit", "4").env(env).run();
            assertEquals(4, second.exitCode(), second.describe());
            assertEquals("", second.stderr(), second.describe());
            assertTrue(Probe.parse(second).jvm().stream().anyMatch(o -> o.startsWith("-XX:SharedArchiveFile=") && o.endsWith(archive.toString())),
                    Probe.parse(second).jvm().toString());
            try (Stream<Path> s = Files.list(cache)) {
                assertFalse(s.anyMatch(f -> f.getFileName().toString().contains(".tmp")), "no temporary file left");
            }

            // a damaged archive (truncated, or garbage) costs the speed-up, nothing else
            for (byte[] damage : List.of(new byte[] {1, 2, 3}, new byte[64 * 1024])) {
                Files.write(archive, damage);
                ProcessResult damaged = launch(bin.resolve("wal-j").toString(), "exit", "5").env(env).run();
                assertEquals(5, damaged.exitCode(), damaged.describe());
                assertEquals("", damaged.stderr(), damaged.describe());
            }
        }
    }

    @Test
    void jdk17DumpsAgainForAJarAtAnotherPathOrWithAnotherMtime() throws IOException {
        List<Path> jdk17s = new ArrayList<>();
        for (Path home : jdkHomes()) {
            if (releaseFeature(home) < 19) {
                jdk17s.add(home);
            }
        }
        assumeTrue(!jdk17s.isEmpty(), "no JDK 17 or 18 under /usr/lib/jvm: their archive bookkeeping is the launcher's");
        for (Path home : jdk17s) {
            Path cache = tmp.resolve("key-cache-" + home.getFileName());
            Map<String, String> env = Map.of("WALJ_JAVA", home.resolve("bin/java").toString(),
                    "WALJ_CDS_DIR", cache.toString());
            Path bin = install("key-" + home.getFileName() + "/bin");
            Path jar = copy(probeJar, bin.resolve("wal-j.jar"));
            assertTrue(dumps(bin, env), "first run dumps");
            assertFalse(dumps(bin, env), "second run uses the archive");
            // a package that keeps its jar's build mtime: older than the archive, yet another jar
            Files.setLastModifiedTime(jar, FileTime.fromMillis(1_600_000_000_000L));
            assertTrue(dumps(bin, env), "a jar with another mtime is dumped again");
            assertFalse(dumps(bin, env));
            // another installation sharing the user's cache: the JVM would silently ignore the other class path
            Path other = install("key-" + home.getFileName() + "/other/bin");
            copy(probeJar, other.resolve("wal-j.jar"));
            Files.setLastModifiedTime(other.resolve("wal-j.jar"), FileTime.fromMillis(1_600_000_000_000L));
            assertTrue(dumps(other, env), "another jar path is dumped again");
            assertFalse(dumps(other, env));
        }
    }

    /**
     * The daemon's JVM has a class-data archive of its own, written when it stops: the next daemon started on demand
     * listens sooner. On JDK 17 the launcher cannot exec on the run that writes it, so its sh must pass a SIGTERM
     * sent to it alone on to java, wait, and rename the archive into place.
     */
    @Test
    void aDaemonWritesItsOwnClassDataArchiveWhenStoppedAndTheNextDaemonUsesIt() throws Exception {
        Path bin = install("daemon-cds/bin");
        copy(probeJar, bin.resolve("wal-j.jar"));
        for (Path home : jdkHomes()) {
            Path cache = tmp.resolve("daemon-cds-" + home.getFileName());
            Map<String, String> env = Map.of("WALJ_JAVA", home.resolve("bin/java").toString(),
                    "WALJ_CDS_DIR", cache.toString());
            Daemon first = Daemon.start(bin, env, tmp.resolve("first-" + home.getFileName()));
            Probe p = first.probe;
            Path archive = cache.resolve("wal-j-jdk" + p.feature() + "-daemon.jsa");
            if (p.feature() >= 19) {
                assertTrue(p.jvm().contains("-XX:+AutoCreateSharedArchive"), p.jvm().toString());
            } else {
                assertTrue(p.jvm().stream().anyMatch(o -> o.startsWith("-XX:ArchiveClassesAtExit=" + archive + ".tmp")),
                        p.jvm().toString());
            }
            assertEquals(143, first.stop(), "stopped by SIGTERM: " + first.stderr());
            assertEquals("", first.stderr(), "no JVM chatter about archives");
            assertTrue(Files.isRegularFile(archive), "the stopped daemon of JDK " + p.feature() + " wrote " + archive);
            try (Stream<Path> s = Files.list(cache)) {
                assertFalse(s.anyMatch(f -> f.getFileName().toString().contains(".tmp")), "no temporary file left");
            }
            Daemon second = Daemon.start(bin, env, tmp.resolve("second-" + home.getFileName()));
            assertTrue(second.probe.jvm().stream().anyMatch(o -> o.startsWith("-XX:SharedArchiveFile=")
                    && o.endsWith(archive.toString())), second.probe.jvm().toString());
            assertFalse(second.probe.jvm().stream().anyMatch(o -> o.startsWith("-XX:ArchiveClassesAtExit=")),
                    "written once: " + second.probe.jvm());
            assertEquals(143, second.stop(), second.stderr());
        }
    }

    /** A {@code wal-j daemon} through the launcher with the probe jar, running until {@link #stop()}. */
    private record Daemon(Process process, Probe probe, Path stderrFile) {
        static Daemon start(Path bin, Map<String, String> env, Path dir) throws IOException {
            Files.createDirectories(dir);
            ProcessBuilder pb = new ProcessBuilder(bin.resolve("wal-j").toString(), "daemon", "--idle-exit", "0")
                    .redirectError(dir.resolve("stderr").toFile());
            pb.environment().putAll(env);
            pb.environment().put("XDG_CACHE_HOME", dir.resolve("cache").toString());
            pb.environment().put("WALJ_DAEMON_AUTOSTART", "off");
            Process process = pb.start();
            Orphans.child(process.toHandle());
            StringBuilder out = new StringBuilder();
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null && !line.equals("ready")) {
                    out.append(line).append('\n');
                }
                assertEquals("ready", line, "the probe started as a daemon:\n" + out);
            }
            return new Daemon(process, Probe.parse(new ProcessResult(List.of("wal-j", "daemon"), 0, out.toString(), "", Duration.ZERO)), dir.resolve("stderr"));
        }

        /** SIGTERM to the launcher's process alone (not its group); its exit status. */
        int stop() throws InterruptedException {
            process.destroy();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the daemon stopped on SIGTERM");
            return process.exitValue();
        }

        String stderr() throws IOException {
            return Files.readString(stderrFile);
        }
    }

    /** Runs a wal-push through the launcher in {@code bin}: whether that run wrote the class-data archive. */
    private boolean dumps(Path bin, Map<String, String> env) {
        ProcessResult r = launch(bin.resolve("wal-j").toString(), "wal-push", "x").env(env).run();
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals("", r.stderr(), r.describe());
        List<String> jvm = Probe.parse(r).jvm();
        boolean dump = jvm.stream().anyMatch(o -> o.startsWith("-XX:ArchiveClassesAtExit="));
        assertTrue(dump || jvm.stream().anyMatch(o -> o.startsWith("-XX:SharedArchiveFile=")), jvm.toString());
        return dump;
    }

    @Test
    void runsWithoutAnArchiveWhenTurnedOffOrTheCacheIsNotItsOwn() throws IOException {
        Path bin = install("nocds/bin");
        copy(probeJar, bin.resolve("wal-j.jar"));
        Probe off = run(bin, Map.of("WALJ_CDS", "off", "WALJ_CDS_DIR", tmp.resolve("c1").toString()));
        assertFalse(off.jvm().stream().anyMatch(o -> o.contains("Archive") || o.contains("AOTCache")), off.jvm().toString());
        assertFalse(Files.exists(tmp.resolve("c1")), "WALJ_CDS=off creates nothing");

        Probe relative = run(bin, Map.of("WALJ_CDS_DIR", "relative/dir"));
        assertFalse(relative.jvm().stream().anyMatch(o -> o.contains("Archive")), relative.jvm().toString());

        if (ServerUser.detect().switching()) {
            // as root: a cache directory that belongs to someone else is not used (its archive would be their code)
            Path foreign = Files.createDirectories(tmp.resolve("foreign"));
            Exec.of("chown", "nobody", foreign.toString()).runOk();
            Probe p = run(bin, Map.of("WALJ_CDS_DIR", foreign.toString()));
            assertFalse(p.jvm().stream().anyMatch(o -> o.contains("Archive")), p.jvm().toString());
        }
    }

    @Test
    void usesJavaOnPathWithoutJavaHome() throws IOException {
        assumeTrue(Tools.find("java").isPresent(), "no java on the standard PATH: nothing to test");
        Path bin = install("path/bin");
        copy(probeJar, bin.resolve("wal-j.jar"));
        ProcessResult r = launch(bin.resolve("wal-j").toString(), "x").env("JAVA_HOME", null).runOk();
        assertEquals(List.of("x"), Probe.parse(r).args());
    }

    @Test
    void failsWithOneLineAndExitOneWithoutJarOrJava() throws IOException {
        Path bin = install("empty/bin");
        ProcessResult noJar = launch(bin.resolve("wal-j").toString()).env("WALJ_JAVA", java).run();
        assertEquals(1, noJar.exitCode(), noJar.describe());
        assertTrue(noJar.stderr().startsWith("wal-j: cannot find wal-j.jar"), noJar.stderr());
        assertEquals(1, noJar.stderr().lines().count(), noJar.stderr());

        copy(probeJar, bin.resolve("wal-j.jar"));
        ProcessResult noJava = launch(bin.resolve("wal-j").toString())
                .env("WALJ_JAVA", tmp.resolve("no-such-java").toString()).run();
        assertEquals(1, noJava.exitCode(), noJava.describe());
        assertTrue(noJava.stderr().startsWith("wal-j: WALJ_JAVA="), noJava.stderr());

        ProcessResult badHome = launch(bin.resolve("wal-j").toString()).env("JAVA_HOME", tmp.toString()).run();
        assertEquals(1, badHome.exitCode(), badHome.describe());
        assertFalse(badHome.stderr().isBlank());
    }

    /**
     * The self-contained tarball's layout (docs/packaging.md): a runtime beside the jar is used before JAVA_HOME (here
     * a directory without java, which would fail) and PATH; WALJ_JAVA still comes first.
     */
    @Test
    void prefersTheBundledRuntimeBesideTheJarToJavaHome() throws IOException {
        Path bin = install("bundled/bin");
        copy(probeJar, tmp.resolve("bundled/lib/wal-j/wal-j.jar"));
        Path home = Path.of(System.getProperty("java.home")).toRealPath();
        Files.createSymbolicLink(tmp.resolve("bundled/lib/wal-j/runtime"), home);
        ProcessResult r = launch(bin.resolve("wal-j").toString(), "x").env("JAVA_HOME", tmp.toString()).runOk();
        assertEquals(Runtime.version().feature(), Probe.parse(r).feature(), r.describe());
        assertEquals(List.of("x"), Probe.parse(r).args());

        ProcessResult explicit = launch(bin.resolve("wal-j").toString())
                .env("WALJ_JAVA", tmp.resolve("no-such-java").toString()).run();
        assertEquals(1, explicit.exitCode(), explicit.describe());
        assertTrue(explicit.stderr().startsWith("wal-j: WALJ_JAVA="), explicit.stderr());

        Files.delete(tmp.resolve("bundled/lib/wal-j/runtime"));
        ProcessResult without = launch(bin.resolve("wal-j").toString()).env("JAVA_HOME", tmp.toString()).run();
        assertEquals(1, without.exitCode(), "without the runtime, JAVA_HOME is used (and fails): " + without.describe());
    }

    // ------------------------------------------------------------------ helpers

    private record Probe(int feature, String jar, List<String> jvm, List<String> args) {
        static Probe parse(ProcessResult r) {
            int feature = -1;
            String jar = null;
            List<String> jvm = new ArrayList<>();
            List<String> args = new ArrayList<>();
            for (String line : r.stdout().split("\n", -1)) {
                if (line.startsWith("feature=")) {
                    feature = Integer.parseInt(line.substring("feature=".length()));
                } else if (line.startsWith("jar=")) {
                    jar = line.substring("jar=".length());
                } else if (line.startsWith("jvm=")) {
                    jvm.add(line.substring("jvm=".length()));
                } else if (line.startsWith("arg=")) {
                    args.add(line.substring("arg=".length()));
                }
            }
            assertTrue(feature > 0, "probe output\n" + r.describe());
            return new Probe(feature, jar, jvm, args);
        }
    }

    /**
     * Runs the launcher with its class-data cache under the test's directory, never in the real home. The subject
     * here is the JVM each call starts (its options, its class-data archive), and the stand-in jar is no daemon:
     * so no daemon is started on demand (WALJ_DAEMON_AUTOSTART=off; AutoStartLauncherTest and AutoStartIT test that).
     */
    private Exec launch(String... command) {
        return Exec.of(command).env("XDG_CACHE_HOME", tmp.resolve("cache").toString())
                .env("WALJ_DAEMON_AUTOSTART", "off");
    }

    private Probe run(Path bin, Map<String, String> env) {
        Exec exec = launch(bin.resolve("wal-j").toString()).env("WALJ_JAVA", java).env(env);
        return Probe.parse(exec.runOk());
    }

    private Path install(String binDir) throws IOException {
        Path bin = Files.createDirectories(tmp.resolve(binDir));
        Path launcher = copy(launcherSource, bin.resolve("wal-j"));
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    private static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        return Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING).toRealPath();
    }

    /** The JDK running the tests plus every JDK 17+ under /usr/lib/jvm (by its release file). */
    private static Set<Path> jdkHomes() throws IOException {
        Set<Path> homes = new LinkedHashSet<>();
        homes.add(Path.of(System.getProperty("java.home")).toRealPath());
        Path jvm = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvm)) {
            try (Stream<Path> s = Files.list(jvm)) {
                s.filter(h -> Files.isExecutable(h.resolve("bin/java")) && releaseFeature(h) >= 17)
                        .map(h -> {
                            try {
                                return h.toRealPath();
                            } catch (IOException e) {
                                return h;
                            }
                        })
                        .sorted()
                        .forEach(homes::add);
            }
        }
        return homes;
    }

    /** The feature version in a JDK's release file (JAVA_VERSION="17.0.15" gives 17), or -1. */
    private static int releaseFeature(Path home) {
        try {
            for (String line : Files.readAllLines(home.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    if (v.startsWith("1.")) {
                        v = v.substring(2);
                    }
                    return Integer.parseInt(v.split("[^0-9]", 2)[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not a JDK we can use
        }
        return -1;
    }

    private static void writeProbeJar(Path jar) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, LauncherProbe.class.getName());
        String entry = LauncherProbe.class.getName().replace('.', '/') + ".class";
        try (OutputStream out = Files.newOutputStream(jar);
             JarOutputStream jos = new JarOutputStream(out, manifest);
             InputStream in = LauncherProbe.class.getClassLoader().getResourceAsStream(entry)) {
            assertTrue(in != null, "class file of the probe: " + entry);
            jos.putNextEntry(new JarEntry(entry));
            in.transferTo(jos);
            jos.closeEntry();
        }
    }
}
