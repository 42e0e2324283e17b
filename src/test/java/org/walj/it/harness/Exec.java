package org.walj.it.harness;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one external command with a timeout, optionally as the PostgreSQL server's OS user.
 *
 * <p>Output goes to temporary files rather than pipes, so a child that leaves a grandchild holding the
 * pipes open (pg_ctl starting a postmaster) can never hang the test. Inherited {@code PG*}, {@code WALE_*},
 * {@code WALJ_*} and {@code XDG_RUNTIME_DIR} variables are dropped so a developer's shell cannot change what a test does; pass
 * what a command needs with {@link #env}.
 */
public final class Exec {

    /** PATH given to every command: the developer's PATH may hold directories the server user cannot read. */
    public static final String SANE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final List<String> command;
    private final Map<String, String> env = new LinkedHashMap<>();
    private Path dir;
    private Duration timeout = Duration.ofSeconds(60);
    private byte[] stdin;
    private Path stdoutFile;
    private ServerUser user;

    private Exec(List<String> command) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        this.command = List.copyOf(command);
    }

    public static Exec of(String... command) {
        return new Exec(Arrays.asList(command));
    }

    public static Exec of(List<String> command) {
        return new Exec(command);
    }

    /** Sets a variable for the command; a {@code null} value removes it from the inherited environment. */
    public Exec env(String name, String value) {
        env.put(name, value);
        return this;
    }

    public Exec env(Map<String, String> vars) {
        env.putAll(vars);
        return this;
    }

    public Exec dir(Path workingDirectory) {
        this.dir = workingDirectory;
        return this;
    }

    public Exec timeout(Duration limit) {
        this.timeout = limit;
        return this;
    }

    public Exec stdin(String text) {
        this.stdin = text.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    /** Sends standard output to this file (for large outputs such as table dumps) instead of capturing it. */
    public Exec stdoutTo(Path file) {
        this.stdoutFile = file;
        return this;
    }

    /** Runs the command as this user ({@code runuser -u NAME --} when that is not who we are). */
    public Exec as(ServerUser serverUser) {
        this.user = serverUser;
        return this;
    }

    /** Runs the command and returns whatever exit code it had; fails the test only on a timeout. */
    public ProcessResult run() {
        List<String> argv = user == null ? command : user.wrap(command);
        Path tmp = null;
        long start = System.nanoTime();
        try {
            tmp = Files.createTempDirectory("walj-exec-");
            Path out = stdoutFile != null ? stdoutFile : tmp.resolve("stdout");
            Path err = tmp.resolve("stderr");
            ProcessBuilder pb = processBuilder(argv);
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            if (stdin != null) {
                Path in = tmp.resolve("stdin");
                Files.write(in, stdin);
                pb.redirectInput(in.toFile());
            } else {
                pb.redirectInput(new File("/dev/null"));
            }
            Process p = pb.start();
            boolean finished;
            try {
                finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                finished = false;
            }
            if (!finished) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                try {
                    p.waitFor(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            String stdout = stdoutFile != null ? "" : read(out);
            ProcessResult result = new ProcessResult(argv, finished ? p.exitValue() : -1, stdout, read(err), elapsed);
            if (!finished) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s and killed\n" + result.describe());
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + String.join(" ", argv), e);
        } finally {
            if (tmp != null) {
                Scratch.deleteTree(tmp);
            }
        }
    }

    /**
     * Starts the command in the background with stdout and stderr to files (same environment rules as
     * {@link #run}); the caller waits for or kills it.
     */
    public Process start(Path stdout, Path stderr) {
        List<String> argv = user == null ? command : user.wrap(command);
        ProcessBuilder pb = processBuilder(argv);
        pb.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).redirectInput(new File("/dev/null"));
        try {
            return pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + String.join(" ", argv), e);
        }
    }

    /** Runs the command and fails the test unless it exits 0. */
    public ProcessResult runOk() {
        return run().requireSuccess();
    }

    private static String read(Path file) throws IOException {
        // Lenient decoding: a tool may print bytes that are not UTF-8.
        return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
    }

    /** A clean, C-locale environment without the caller's PG*, WALE_* and WALJ_* variables, plus this Exec's own. */
    private ProcessBuilder processBuilder(List<String> argv) {
        ProcessBuilder pb = new ProcessBuilder(argv);
        Map<String, String> environment = pb.environment();
        // XDG_RUNTIME_DIR too: wal-push and wal-fetch start daemons there (docs/daemon.md), and a test's daemons
        // belong in its scratch tree (Scratch#runtimeEnv), never in the developer's session directory
        environment.keySet().removeIf(k -> k.startsWith("PG") || k.startsWith("WALE_") || k.startsWith("WALJ_")
                || k.equals("XDG_RUNTIME_DIR"));
        environment.put("PATH", SANE_PATH);
        environment.put("LC_ALL", "C");
        environment.put("LANG", "C");
        env.forEach((k, v) -> {
            if (v == null) {
                environment.remove(k);
            } else {
                environment.put(k, v);
            }
        });
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        return pb;
    }
}
