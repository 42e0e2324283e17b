package org.walj.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A test JVM killed with SIGKILL leaves its children running; the next run's first fixture stops them. */
class OrphansTest {

    /** The killed test JVM: starts a child, records it, says so and waits to be killed. */
    public static final class Owner {
        public static void main(String[] args) throws Exception {
            Process child = new ProcessBuilder("sleep", "600").start();
            Orphans.child(child.toHandle());
            System.out.println(child.pid());
            System.out.flush();
            Thread.sleep(600_000);
        }
    }

    /** The killed test JVM of the tmpfs case: makes a scratch tree there, records it, says so and waits. */
    public static final class MemoryOwner {
        public static void main(String[] args) throws Exception {
            Path tree = Files.createTempDirectory(Path.of("/dev/shm"), "walj-it-orphans-");
            Files.writeString(Files.createDirectories(tree.resolve("data")).resolve("f"), "x");
            Orphans.memoryTree(tree);
            System.out.println(tree);
            System.out.flush();
            Thread.sleep(600_000);
        }
    }

    @Test
    void aTmpfsTreeOfAKilledJvmIsDeletedAndALiveOnesIsNot() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/dev/shm")), "no /dev/shm here");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process owner = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                MemoryOwner.class.getName())).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Path tree;
        try {
            String line = new BufferedReader(new InputStreamReader(owner.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            assertTrue(line != null && line.startsWith("/dev/shm/walj-it-orphans-"), "the owner's tree: " + line);
            tree = Path.of(line);
            Orphans.reapNow();
            assertTrue(Files.exists(tree.resolve("data/f")), "the tree of a live JVM is left alone");
        } finally {
            owner.destroyForcibly(); // SIGKILL: no shutdown hook runs
            assertTrue(owner.waitFor(30, TimeUnit.SECONDS));
        }
        assertTrue(Files.exists(tree), "SIGKILL of the JVM left its tree");
        Orphans.reapNow();
        assertFalse(Files.exists(tree), "the next JVM deleted it");
    }

    @Test
    void aChildOfAKilledJvmIsStoppedAndALiveOnesIsNot() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process owner = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                Owner.class.getName())).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        ProcessHandle child;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(owner.getInputStream(),
                    StandardCharsets.UTF_8));
            String line = out.readLine();
            assertTrue(line != null && line.matches("[0-9]+"), "the owner JVM printed its child's pid: " + line);
            child = ProcessHandle.of(Long.parseLong(line)).orElseThrow();

            Orphans.reapNow();
            assertTrue(child.isAlive(), "the child of a live JVM is left alone");
        } finally {
            owner.destroyForcibly(); // SIGKILL: no shutdown hook runs
            assertTrue(owner.waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals(137, owner.exitValue(), "killed by SIGKILL");
        assertTrue(child.isAlive(), "SIGKILL of the JVM left its child running, as it does in CI");

        Orphans.reapNow();
        child.onExit().get(30, TimeUnit.SECONDS);
        assertFalse(child.isAlive());
    }

    /**
     * A daemon started on demand in a test's runtime directory: its session leader is a {@code flock} on a lock there,
     * named by {@code wal-j/<key>.pid}. It is stopped with what runs under it; a pid file naming anything else (a pid
     * reused by an unrelated process) is left alone.
     */
    @Test
    void daemonsInARuntimeDirectoryAreStoppedAndOnlyThey() throws Exception {
        Path xdg = java.nio.file.Files.createTempDirectory("walj-orphans-xdg");
        Path dir = java.nio.file.Files.createDirectory(xdg.resolve("wal-j"));
        Process daemon = new ProcessBuilder("flock", "-n", dir.resolve("k.lock").toString(), "sh", "-c", "sleep 600")
                .start();
        Process unrelated = new ProcessBuilder("sleep", "600").start();
        try {
            java.nio.file.Files.writeString(dir.resolve("k.pid"), daemon.pid() + "\n");
            java.nio.file.Files.writeString(dir.resolve("other.pid"), unrelated.pid() + "\n");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (daemon.toHandle().descendants().findAny().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50); // flock has not started its command yet
            }
            List<ProcessHandle> under = daemon.toHandle().descendants().toList();
            assertFalse(under.isEmpty(), "flock runs its command");

            assertEquals(1, Orphans.stopDaemonsIn(xdg, java.time.Duration.ofSeconds(10)));
            assertTrue(daemon.waitFor(30, TimeUnit.SECONDS), "the daemon's leader stopped");
            for (ProcessHandle h : under) {
                h.onExit().get(30, TimeUnit.SECONDS);
            }
            assertTrue(unrelated.isAlive(), "a pid file naming another program is not trusted");
            assertEquals(0, Orphans.stopDaemonsIn(xdg.resolve("missing"), java.time.Duration.ZERO));
        } finally {
            daemon.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            daemon.destroyForcibly();
            unrelated.destroyForcibly();
            new ProcessBuilder("rm", "-rf", xdg.toString()).start().waitFor();
        }
    }
}
