package org.walj.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
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
}
