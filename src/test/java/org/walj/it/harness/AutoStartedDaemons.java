package org.walj.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.walj.testsupport.Orphans;

/**
 * Daemons that wal-push and wal-fetch start on demand ({@code WALJ_DAEMON_AUTOSTART=on}, docs/daemon.md) in a
 * runtime directory private to one test ({@code XDG_RUNTIME_DIR}), found through the files the launcher leaves there:
 * {@code <key>.pid} (flock, the leader of the daemon's session), {@code <key>.log}, {@code <key>.sock}. Each one seen is
 * recorded with {@link Orphans} (a test JVM killed before it saw one still has the short idle exit the environment
 * sets), and {@link #close()} stops all of them.
 */
public final class AutoStartedDaemons implements AutoCloseable {
    private static final Pattern SERVED = Pattern.compile("MSG: served a request\\n\\s+DETAIL: (wal-push|wal-fetch) ");

    private final Path xdg;
    private final Set<Long> recorded = new HashSet<>();

    private AutoStartedDaemons(Path xdg) {
        this.xdg = xdg;
    }

    /** A new private runtime directory {@code name} in the scratch area, owned by the server's user. */
    public static AutoStartedDaemons in(Scratch scratch, String name) {
        Path xdg = scratch.user().createDirectory(scratch.root().resolve(name));
        Orphans.daemons(xdg);
        return new AutoStartedDaemons(xdg);
    }

    /**
     * The daemons started on demand in the scratch's own runtime directory ({@link Scratch#runtimeDir()}), where
     * every server and direct run of the harness starts them by default; {@link Scratch#close()} stops them too.
     */
    public static AutoStartedDaemons of(Scratch scratch) {
        return new AutoStartedDaemons(scratch.runtimeDir());
    }

    /** What the server's environment needs for wal-push and wal-fetch to start daemons here. */
    public Map<String, String> env(Duration idleExit) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("WALJ_DAEMON_AUTOSTART", "on");
        env.put("XDG_RUNTIME_DIR", xdg.toString());
        env.put("WALJ_DAEMON_IDLE_EXIT", Long.toString(idleExit.toSeconds()));
        return env;
    }

    public Path xdgRuntimeDir() {
        return xdg;
    }

    /** {@code <XDG_RUNTIME_DIR>/wal-j}, where the launcher keeps sockets, locks, logs. */
    public Path dir() {
        return xdg.resolve("wal-j");
    }

    private List<Path> files(String suffix) {
        if (!Files.isDirectory(dir())) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir())) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<Path> sockets() {
        return files(".sock");
    }

    /** The session leaders (flock) of the daemons running now; each recorded with {@link Orphans}. */
    public synchronized List<ProcessHandle> running() {
        List<ProcessHandle> out = new ArrayList<>();
        for (Path pidFile : files(".pid")) {
            leader(pidFile).ifPresent(h -> {
                if (recorded.add(h.pid())) {
                    Orphans.child(h);
                }
                out.add(h);
            });
        }
        return out;
    }

    private static Optional<ProcessHandle> leader(Path pidFile) {
        try {
            return ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim()))
                    .filter(h -> h.info().command().orElse("").endsWith("flock"));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty(); // being written, or gone
        }
    }

    /** Every daemon log here (current and previous start), concatenated. */
    public String log() {
        StringBuilder all = new StringBuilder();
        for (Path f : files(".log")) {
            read(f.resolveSibling(f.getFileName() + ".1"), all);
            read(f, all);
        }
        return all.toString();
    }

    private static void read(Path file, StringBuilder into) {
        try {
            into.append(Files.readString(file));
        } catch (java.nio.file.NoSuchFileException e) {
            // not (yet) there
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Requests of {@code subcommand} the daemons here answered. */
    public int served(String subcommand) {
        return (int) SERVED.matcher(log()).results().filter(m -> m.group(1).equals(subcommand)).count();
    }

    /** Waits until no daemon runs here and no socket is left (the idle exit); fails after {@code timeout}. */
    public void awaitGone(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (running().isEmpty() && sockets().isEmpty()) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("daemons still running after " + timeout.toSeconds() + " s: " + running()
                + ", sockets " + sockets() + "\n" + log());
    }

    /** Stops every daemon here (SIGTERM to the whole session, then SIGKILL after 30 s). */
    @Override
    public void close() {
        Orphans.stopDaemonsIn(xdg, Duration.ofSeconds(30));
    }
}
