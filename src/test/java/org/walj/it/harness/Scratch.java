package org.walj.it.harness;

import org.walj.testsupport.Orphans;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A scratch directory tree under /tmp ({@code /dev/shm} for a {@link ScratchExtension} test, see {@link OnDiskScratch}) that the PostgreSQL
 * server's OS user can read and write (when the tests
 * run as root it is chowned to {@code postgres}). Clusters made in it register themselves; {@link #close()}
 * stops every one still running, then deletes the tree, even when the test failed. A JVM shutdown hook does
 * the stopping too, so an aborted test run leaves no postmaster behind.
 *
 * <p>{@code -Dwalj.it.keep=true} keeps the tree (its path is printed) for a post-mortem.
 */
public final class Scratch implements AutoCloseable {

    private final Path root;
    private final ServerUser user;
    private final Path runtimeDir;
    private final List<PgCluster> clusters = new ArrayList<>();
    private final Thread shutdownHook;
    private boolean closed;

    private Scratch(Path root, ServerUser user) {
        this.root = root;
        this.user = user;
        this.runtimeDir = dir("xdg");
        Orphans.daemons(runtimeDir); // before any wal-j command of this test can start one
        this.shutdownHook = new Thread(this::stopClustersAndDaemons, "walj-it-stop-clusters");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Makes a new scratch tree under /tmp; {@code label} (e.g. the test's name) only helps a human find it. */
    public static Scratch create(String label) {
        return create(label, false);
    }

    /**
     * As {@link #create(String)}, on tmpfs ({@code /dev/shm}) when {@code inMemory} and the machine has one with
     * {@link #MEMORY_ROOM} free ({@link OnDiskScratch} says why), else under /tmp.
     */
    public static Scratch create(String label, boolean inMemory) {
        ServerUser user = ServerUser.detect();
        Orphans.reapOnce();
        try {
            String safe = label.replaceAll("[^A-Za-z0-9_-]", "_");
            if (safe.length() > 20) {
                safe = safe.substring(0, 20);
            }
            // Short path on purpose: unix socket paths must stay under ~100 bytes.
            Path base = inMemory ? memoryOrTmp() : Path.of("/tmp");
            Path root = Files.createTempDirectory(base, "walj-it-" + safe + "-");
            if (!base.equals(Path.of("/tmp"))) {
                Orphans.memoryTree(root); // memory until deleted: a later JVM deletes it if this one is killed
            }
            user.own(root);
            return new Scratch(root, user);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a scratch directory under /tmp", e);
        }
    }

    /** What an in-memory scratch tree may need at most (ResumeRestoreIT: about 0.5 GB; two test JVMs run at once). */
    static final long MEMORY_ROOM = 2L << 30;

    private static Path memoryOrTmp() {
        Path shm = Path.of("/dev/shm");
        try {
            if (Files.isDirectory(shm) && Files.getFileStore(shm).type().equals("tmpfs")
                    && Files.getFileStore(shm).getUsableSpace() >= MEMORY_ROOM) {
                return shm;
            }
        } catch (IOException e) {
            // no usable tmpfs: /tmp, as every other test
        }
        return Path.of("/tmp");
    }

    public Path root() {
        return root;
    }

    public ServerUser user() {
        return user;
    }

    /**
     * The {@code XDG_RUNTIME_DIR} of every wal-j command this test runs (a server's archive_command and
     * restore_command, a direct run): wal-push and wal-fetch start their daemons on demand in {@code <it>/wal-j}
     * (docs/daemon.md, "Started on demand"), so a test's daemons are its own, never another test's, and
     * {@link #close()} stops them (a JVM killed before that: {@link Orphans#daemons}).
     */
    public Path runtimeDir() {
        return runtimeDir;
    }

    /**
     * The environment that keeps a wal-j command's daemons in {@link #runtimeDir()}; the short idle exit bounds a
     * daemon that outlives a killed test JVM when no later test JVM reaps it.
     */
    public Map<String, String> runtimeEnv() {
        return Map.of("XDG_RUNTIME_DIR", runtimeDir.toString(), "WALJ_DAEMON_IDLE_EXIT", "60");
    }

    /** A directory under the root (created if missing), owned by the server user. */
    public Path dir(String relative) {
        return user.createDirectory(root.resolve(relative));
    }

    /**
     * A new wal-j file archive under the root, set up as README tells operators to: the directory with an empty
     * {@code wal_005/} in it, owned by the server user (wal-j never starts an archive in an empty directory, which may
     * be an unmounted mount point).
     */
    public Path archive(String relative) {
        Path archive = dir(relative);
        dir(relative + "/wal_005");
        return archive;
    }

    /** A path under the root for a file the test itself writes (nothing is created). */
    public Path file(String relative) {
        Path p = root.resolve(relative);
        if (p.getParent() != null && !Files.isDirectory(p.getParent())) {
            dir(root.relativize(p.getParent()).toString());
        }
        return p;
    }

    synchronized void register(PgCluster cluster) {
        clusters.add(cluster);
    }

    /** The clusters made in this scratch tree, in creation order. */
    public synchronized List<PgCluster> clusters() {
        return List.copyOf(clusters);
    }

    /** Prints the tail of every cluster's server log to stderr (used when a test failed). */
    public void dumpServerLogs(int lines) {
        for (PgCluster c : clusters()) {
            System.err.println("===== last " + lines + " lines of " + c.logFile() + " =====");
            System.err.println(c.logTail(lines));
        }
    }

    private void stopClustersAndDaemons() {
        stopClusters();
        stopDaemons();
    }

    /** Stops the daemons wal-j commands of this test started on demand (after the servers that asked them). */
    private void stopDaemons() {
        Orphans.stopDaemonsIn(runtimeDir, Duration.ofSeconds(30));
    }

    private void stopClusters() {
        List<PgCluster> all = clusters();
        for (int i = all.size() - 1; i >= 0; i--) {
            try {
                all.get(i).close();
            } catch (RuntimeException | Error e) {
                System.err.println("could not stop cluster " + all.get(i).name() + ": " + e);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopClustersAndDaemons();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs anyway
        }
        if (Boolean.getBoolean("walj.it.keep")) {
            System.err.println("walj.it.keep=true: keeping " + root);
        } else {
            deleteTree(root);
        }
    }

    /** Deletes a directory tree, best effort (a file that cannot be deleted is reported, not thrown). */
    static void deleteTree(Path top) {
        if (!Files.exists(top)) {
            return;
        }
        try {
            Files.walkFileTree(top, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            System.err.println("could not delete " + top + ": " + e);
        }
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
