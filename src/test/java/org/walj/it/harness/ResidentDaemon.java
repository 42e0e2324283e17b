package org.walj.it.harness;

import org.walj.testsupport.Orphans;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A {@code wal-j daemon} process run as the server's user, with its stderr (its whole log) in a file. */
public final class ResidentDaemon {
    private static final Pattern DAEMON_PID = Pattern.compile("MSG: daemon started\\n.*\\n\\s+STRUCTURED: .* pid=(\\d+)");
    private static final Pattern SERVED = Pattern.compile("MSG: served a request\\n\\s+DETAIL: (wal-push|wal-fetch) ");

    private final Process process;
    private final Path stderr;
    private final long pid;

    private ResidentDaemon(Process process, Path stderr, long pid) {
        this.process = process;
        this.stderr = stderr;
        this.pid = pid;
    }

    /** Starts {@code wal-j daemon ARGS...} and waits until it says it serves. */
    public static ResidentDaemon start(WalJ walj, Map<String, String> env, Scratch scratch, String name, String... args)
            throws Exception {
        return startWithUmask(walj, env, scratch, name, "077", args);
    }

    /** As {@link #start}, under {@code umask} (e.g. 022: a daemon started by hand from a login shell). */
    public static ResidentDaemon startWithUmask(WalJ walj, Map<String, String> env, Scratch scratch, String name,
                                         String umask, String... args) throws Exception {
        Path out = scratch.file(name + ".out");
        Path err = scratch.file(name + ".err");
        // as systemd's unit does (UMask=0077): objects get the same modes as PostgreSQL's own archive_command
        Map<String, String> all = new LinkedHashMap<>(walj.env());
        all.putAll(env);
        List<String> command = new ArrayList<>(List.of("sh", "-c", "umask " + umask + " && exec \"$0\" daemon \"$@\"",
                walj.launcher().toString()));
        command.addAll(List.of(args));
        Process p = Exec.of(command.toArray(String[]::new)).as(scratch.user()).env(all).dir(scratch.root())
                .start(out, err);
        Orphans.child(p.toHandle());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = DAEMON_PID.matcher(Files.readString(err));
            if (m.find()) {
                return new ResidentDaemon(p, err, Long.parseLong(m.group(1)));
            }
            if (!p.isAlive()) {
                throw new AssertionError("daemon exited " + p.exitValue() + ":\n" + Files.readString(err));
            }
            Thread.sleep(100);
        }
        p.destroyForcibly();
        throw new AssertionError("daemon did not start within 60 s:\n" + Files.readString(err));
    }

    public String log() {
        try {
            return Files.readString(stderr);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long count(String text) {
        return Pattern.compile(Pattern.quote(text)).matcher(log()).results().count();
    }

    public int served(String subcommand) {
        return (int) SERVED.matcher(log()).results().filter(r -> r.group(1).equals(subcommand)).count();
    }

    public void kill() throws InterruptedException {
        Exec.of("kill", "-KILL", Long.toString(pid)).runOk();
        process.waitFor();
    }

    public void terminate() throws InterruptedException {
        Exec.of("kill", "-TERM", Long.toString(pid)).runOk();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            throw new AssertionError("daemon did not stop on SIGTERM:\n" + log());
        }
    }
}
