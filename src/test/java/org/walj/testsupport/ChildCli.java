package org.walj.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * wal-j's command line in a child JVM on the test class path, for the backends' CLI tests: its real stderr and exit
 * status, with none of the test JVM's storage settings leaking in, and the rule every error obeys.
 */
public final class ChildCli {
    private static final List<String> STORAGE_VARIABLES = List.of("WALE_", "WALJ_", "WABS_", "SWIFT_", "AWS_",
            "GOOGLE_");

    /**
     * The options packaging/wal-j gives a short command (C1 only, the serial collector), so a child runs as the
     * launcher would run it: with the JVM's defaults (C2, G1) a run that loads a cloud SDK cost ~2.7 instead of
     * ~1.5 CPU-s, and the CLI tests start about a hundred of them (docs/testing.md, "How long it takes").
     */
    private static final List<String> LAUNCHER_JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-XX:-UsePerfData", "-Xshare:auto");

    private ChildCli() {
    }

    /** What one run printed (stdout and stderr together) and its exit status. */
    public record Run(int status, String stderr) {
        public List<String> errorLines() {
            return stderr.lines().filter(l -> l.contains(" ERROR ")).toList();
        }
    }

    /** Runs {@code wal-j ARGS} with exactly {@code vars} as its storage settings; its output is kept in {@code dir}. */
    public static Run run(Path dir, Map<String, String> vars, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(LAUNCHER_JVM_OPTIONS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.walj.cli.Main"));
        command.addAll(List.of(args));
        Path err = Files.createTempFile(dir, "stderr", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(err.toFile());
        pb.environment().keySet().removeIf(k -> STORAGE_VARIABLES.stream().anyMatch(k::startsWith));
        pb.environment().putAll(vars);
        Process p = pb.start();
        Orphans.child(p.toHandle());
        assertTrue(p.waitFor(3, TimeUnit.MINUTES), "wal-j did not finish: " + String.join(" ", args));
        return new Run(p.exitValue(), Files.readString(err));
    }

    /** One ERROR line naming {@code cause}, no stack trace or exception name, never {@code secret} (when not null). */
    public static void assertOneCleanError(Run r, int status, String cause, String secret) {
        assertEquals(status, r.status(), r.stderr());
        assertEquals(1, r.errorLines().size(), r.stderr());
        assertTrue(r.errorLines().get(0).contains(cause), r.stderr());
        assertFalse(r.stderr().contains("\tat "), "no stack trace: " + r.stderr());
        assertFalse(r.stderr().contains("Exception"), "no exception names: " + r.stderr());
        if (secret != null) {
            assertFalse(r.stderr().contains(secret), "the secret must not be shown: " + r.stderr());
        }
    }
}
