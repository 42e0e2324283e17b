package org.walj.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.walj.testsupport.Orphans;

/**
 * Memory in the number of files (issue 15), each step in a JVM of its own. backup-push's path (walk, partitions cut
 * on the fly, tars written, manifest lines) of a tree of {@value #FILES} files runs in a heap far smaller than the
 * listing of that many files; a control that holds the listing, as backup-push did, runs out in the same heap, so a
 * change that starts holding something per file again fails here. The manifest that backup-fetch and backup-verify
 * must hold (one lookup per member) is read and checked, and the heap it keeps is measured per member: bounded well
 * below what the same entries cost as a map of records (the control).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ManyFilesMemoryTest {
    private static final int FILES = 80_000;
    private static final int PER_DIRECTORY = 10_000;
    /** Measured: the push fits in 14 MiB; the whole listing of 80,000 files needs about 40. */
    private static final String PUSH_HEAP = "-Xmx16m";
    /** Room for the reads (the bound below is what is asserted). */
    private static final String READ_HEAP = "-Xmx64m";
    /**
     * Heap the manifest and its check keep per member, at most (names here are 13 bytes; measured 85 before names
     * were front-coded; 60 after, with the 18-byte names of bench/many-files.sh).
     */
    private static final long READ_BYTES_PER_MEMBER = 110;
    /** What a map of records costs per member, at least: the control must show it, or the measure proves nothing. */
    private static final long MAP_BYTES_PER_MEMBER = 150;

    @TempDir
    static Path tmp;
    static Path tree;

    @BeforeAll
    static void tree() throws IOException {
        tree = Files.createDirectory(tmp.resolve("tree"));
        byte[] content = {'x'};
        for (int i = 0; i < FILES; i++) {
            Path dir = tree.resolve(String.format("d%03d", i / PER_DIRECTORY));
            if (i % PER_DIRECTORY == 0) {
                Files.createDirectory(dir);
            }
            Files.write(dir.resolve(String.format("f%07d", i)), content, StandardOpenOption.CREATE_NEW);
        }
    }

    @Test
    void pushAndManifestCheckRunInAHeapThatAPerFileStructureDoesNotFit() throws Exception {
        Path manifest = tmp.resolve("manifest.jsonl");
        long members = FILES + FILES / PER_DIRECTORY + 1; // the files, their directories, the root
        assertEquals(List.of("push " + members), probe(PUSH_HEAP, 0, "push", tree.toString(), manifest.toString()));
        assertEquals(List.of("out of memory"), probe(PUSH_HEAP, 3, "list", tree.toString()),
                "the push heap must be too small for the whole listing, or the test proves nothing");

        long read = perMember(probe(READ_HEAP, 0, "read", manifest.toString()), "read", members);
        long map = perMember(probe(READ_HEAP, 0, "map", manifest.toString()), "map", members);
        assertTrue(read <= READ_BYTES_PER_MEMBER, "the manifest keeps " + read + " bytes per member");
        assertTrue(map >= MAP_BYTES_PER_MEMBER, "the control map keeps only " + map + " bytes per member");
    }

    /** The bytes per member a read probe printed, after checking it handled every member. */
    private static long perMember(List<String> lines, String step, long members) {
        assertEquals(1, lines.size(), lines.toString());
        String[] words = lines.get(0).split(" ");
        assertEquals(List.of(step, String.valueOf(members)), List.of(words[0], words[1]), lines.toString());
        return Long.parseLong(words[2]);
    }

    /** Runs {@link ManyFilesProbe} with {@code heap}; its stdout lines, after checking its exit status. */
    private static List<String> probe(String heap, int status, String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path out = Files.createTempFile(tmp, "probe-", ".out");
        List<String> command = new java.util.ArrayList<>(List.of(java, heap, "-XX:+UseSerialGC", "-Xss512k",
                "-XX:-UsePerfData", "-cp", System.getProperty("java.class.path"), ManyFilesProbe.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        Orphans.child(p.toHandle());
        try {
            assertTrue(p.waitFor(3, TimeUnit.MINUTES), args[0] + " did not finish");
        } finally {
            p.destroyForcibly();
        }
        List<String> lines = Files.readAllLines(out);
        assertEquals(status, p.exitValue(), String.join("\n", lines));
        return lines;
    }
}
