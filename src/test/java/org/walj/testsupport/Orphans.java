package org.walj.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Servers and children that a test JVM starts (PostgreSQL clusters, S3Proxy, wal-j daemons, daemons that wal-push
 * started on demand in a test's runtime directory) must not outlive it.
 * Closing fixtures and shutdown hooks handle a test that fails or a JVM that is told to stop; neither runs when the
 * JVM is killed with SIGKILL (a CI time-out, an operator's kill -9). So each JVM writes what it started into a file
 * of its own under {@code <tmp>/walj-test-owners/}, and the first fixture of any later test JVM stops what a dead
 * JVM left: a child only if it is still the same process (pid and start time), a postmaster only if it still runs
 * in the data directory it was started for (its working directory).
 */
public final class Orphans {
    private static final Path DIR = Path.of(System.getProperty("java.io.tmpdir"), "walj-test-owners");
    private static final ProcessHandle SELF = ProcessHandle.current();
    private static boolean reaped;

    private Orphans() {
    }

    /** Records a child process started by this JVM. */
    public static void child(ProcessHandle child) {
        Optional<Instant> start = child.info().startInstant();
        record("process " + child.pid() + " " + start.map(Instant::toEpochMilli).orElse(-1L));
    }

    /** Records a PostgreSQL data directory whose postmaster this JVM started. */
    public static void postgres(Path dataDirectory) {
        record("postgres " + dataDirectory.toAbsolutePath());
    }

    /**
     * Records a scratch tree this JVM made on tmpfs ({@code /dev/shm/walj-it-*}): what a killed JVM leaves there holds
     * memory until someone deletes it, so the next test JVM does (after stopping the servers that used it).
     */
    public static void memoryTree(Path root) {
        record("memory " + root.toAbsolutePath());
    }

    /**
     * Records a runtime directory ({@code XDG_RUNTIME_DIR}) in which wal-push and wal-fetch of this JVM's tests may
     * start daemons on demand (docs/daemon.md, "Started on demand"): they are not this JVM's children, so they are
     * found later through the {@code wal-j/<key>.pid} files there.
     */
    public static void daemons(Path runtimeDirectory) {
        record("daemons " + runtimeDirectory.toAbsolutePath());
    }

    /**
     * Stops every daemon started on demand in {@code runtimeDirectory}: each {@code wal-j/<key>.pid} names the leader
     * of a daemon's session ({@code flock} holding {@code <key>.lock}), which is stopped with everything under it,
     * SIGTERM first (a daemon then finishes what it accepted) and SIGKILL after {@code grace}. A pid is trusted only
     * if it still is a {@code flock} whose command line names that directory (pids are reused). Returns how many.
     */
    public static int stopDaemonsIn(Path runtimeDirectory, java.time.Duration grace) {
        Path dir = runtimeDirectory.resolve("wal-j");
        List<ProcessHandle> leaders = new java.util.ArrayList<>();
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(dir, "*.pid")) {
            for (Path pidFile : pids) {
                daemonLeader(pidFile, dir).ifPresent(leaders::add);
            }
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            System.err.println("could not look for daemons in " + dir + ": " + e);
            return 0;
        }
        List<ProcessHandle> all = new java.util.ArrayList<>();
        for (ProcessHandle leader : leaders) {
            all.addAll(leader.descendants().toList());
            all.add(leader);
        }
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                h.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                h.destroyForcibly();
            }
        }
        return leaders.size();
    }

    private static Optional<ProcessHandle> daemonLeader(Path pidFile, Path dir) {
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            String cmdline = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                    StandardCharsets.UTF_8);
            String[] argv = cmdline.split("\0");
            boolean flock = argv.length > 0 && argv[0].endsWith("flock");
            if (flock && cmdline.contains(dir.toString() + "/")) {
                return ProcessHandle.of(pid);
            }
        } catch (IOException | NumberFormatException e) {
            // being written, gone, or not a pid
        }
        return Optional.empty();
    }

    /** Stops what JVMs that are gone left running; once per JVM, before its first server starts. */
    public static synchronized void reapOnce() {
        if (reaped) {
            return;
        }
        reaped = true;
        reapNow();
    }

    /** Stops what JVMs that are gone left running. */
    static synchronized void reapNow() {
        if (!Files.isDirectory(DIR)) {
            return;
        }
        try (DirectoryStream<Path> owners = Files.newDirectoryStream(DIR)) {
            for (Path owner : owners) {
                if (!alive(owner.getFileName().toString())) {
                    reap(owner);
                }
            }
        } catch (IOException e) {
            System.err.println("could not look for servers left by earlier test runs: " + e);
        }
    }

    private static synchronized void record(String line) {
        reapOnce();
        try {
            Files.createDirectories(DIR);
            Files.writeString(ownFile(), line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record a started server in " + DIR, e);
        }
    }

    private static Path ownFile() {
        return DIR.resolve(SELF.pid() + "-" + SELF.info().startInstant().map(Instant::toEpochMilli).orElse(-1L));
    }

    /** An owner file is named {@code <pid>-<start millis>}; it is alive while that very process runs. */
    private static boolean alive(String ownerName) {
        int dash = ownerName.indexOf('-');
        if (dash < 0) {
            return false;
        }
        try {
            long pid = Long.parseLong(ownerName.substring(0, dash));
            long start = Long.parseLong(ownerName.substring(dash + 1));
            return sameProcess(pid, start);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean sameProcess(long pid, long startMillis) {
        return ProcessHandle.of(pid)
                .flatMap(h -> h.info().startInstant())
                .map(i -> i.toEpochMilli() == startMillis)
                .orElse(false);
    }

    private static void reap(Path owner) {
        try {
            List<Path> memoryTrees = new java.util.ArrayList<>();
            for (String line : Files.readAllLines(owner)) {
                String[] f = line.split(" ", 3);
                if (f.length == 3 && f[0].equals("process")) {
                    killChild(Long.parseLong(f[1]), Long.parseLong(f[2]));
                } else if (f.length >= 2 && f[0].equals("postgres")) {
                    killPostmaster(Path.of(line.substring("postgres ".length())));
                } else if (f.length >= 2 && f[0].equals("daemons")) {
                    int n = stopDaemonsIn(Path.of(line.substring("daemons ".length())), java.time.Duration.ZERO);
                    if (n > 0) {
                        System.err.println("stopped " + n + " wal-j daemon(s) left running by a killed test JVM");
                    }
                } else if (f.length >= 2 && f[0].equals("memory")) {
                    memoryTrees.add(Path.of(line.substring("memory ".length())));
                }
            }
            for (Path tree : memoryTrees) { // last: its servers are stopped by now
                deleteMemoryTree(tree);
            }
            Files.deleteIfExists(owner);
        } catch (IOException | RuntimeException e) {
            System.err.println("could not stop what " + owner + " records: " + e);
        }
    }

    /** Deletes a scratch tree on tmpfs; only a {@code walj-it-*} directory directly in /dev/shm, links not followed. */
    private static void deleteMemoryTree(Path tree) throws IOException {
        if (!Path.of("/dev/shm").equals(tree.getParent()) || !tree.getFileName().toString().startsWith("walj-it-")
                || !Files.isDirectory(tree, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (java.util.stream.Stream<Path> all = Files.walk(tree)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
        System.err.println("deleted " + tree + ", left on tmpfs by a killed test JVM");
    }

    private static void killChild(long pid, long startMillis) {
        if (sameProcess(pid, startMillis)) {
            ProcessHandle.of(pid).ifPresent(h -> {
                h.descendants().forEach(ProcessHandle::destroyForcibly);
                h.destroyForcibly();
                System.err.println("stopped process " + pid + " left running by a killed test JVM");
            });
        }
    }

    private static void killPostmaster(Path data) throws IOException {
        List<String> pidFile;
        try {
            pidFile = Files.readAllLines(data.resolve("postmaster.pid"));
        } catch (NoSuchFileException e) {
            return;
        }
        if (pidFile.isEmpty()) {
            return;
        }
        long pid = Long.parseLong(pidFile.get(0).trim());
        Path cwd;
        try {
            cwd = Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "cwd"));
        } catch (IOException e) {
            return; // gone, or not ours to look at
        }
        if (cwd.equals(data.toRealPath())) {
            ProcessHandle.of(pid).ifPresent(h -> {
                h.destroyForcibly(); // its backends notice the postmaster's death and exit
                System.err.println("stopped PostgreSQL " + pid + " on " + data + " left running by a killed test JVM");
            });
        }
    }
}
