package org.walj.backup;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Writer;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.walj.layout.BackupManifest;
import org.walj.layout.BackupName;
import org.walj.layout.ManifestEntry;

/**
 * The program {@link ManyFilesMemoryTest} runs in a JVM with a small heap: one step of a backup of a large tree, or
 * (as controls) the same step holding a per-file structure. Prints the step and the members it handled (the reads:
 * and the heap kept per member); exit 0 when done, 3 when the heap ran out.
 */
public final class ManyFilesProbe {
    static final BackupName NAME = BackupName.parse("base_000000010000000000000002_00000040").orElseThrow();

    private ManyFilesProbe() {
    }

    public static void main(String[] args) throws IOException {
        try {
            String result = switch (args[0]) {
                case "push" -> String.valueOf(push(Path.of(args[1]), Path.of(args[2])));
                case "list" -> String.valueOf(ClusterListing.of(Path.of(args[1])).members().size());
                case "read" -> read(Path.of(args[1]));
                case "map" -> map(Path.of(args[1]));
                default -> throw new IllegalArgumentException(args[0]);
            };
            System.out.println(args[0] + " " + result);
        } catch (OutOfMemoryError e) {
            System.out.println("out of memory");
            System.exit(3);
        }
    }

    /**
     * backup-push's path without storage: the streaming walk, partitions cut on the fly, every partition's tar
     * written (files read and hashed) to nowhere, the manifest lines to {@code manifest}.
     */
    private static long push(Path tree, Path manifest) throws IOException {
        try (Writer out = Files.newBufferedWriter(manifest)) {
            out.write(BackupManifest.headerLine(NAME) + "\n");
            long[] counts = new long[3];
            ManifestSink sink = e -> {
                out.write(e.toJsonLine() + "\n");
                counts[0]++;
                if (e.type() == ManifestEntry.Type.FILE) {
                    counts[1]++;
                    counts[2] += e.size();
                }
            };
            TarPartitionWriter writer = new TarPartitionWriter(ReadRateLimit.unlimited());
            Partitioning partitioning = Partitioning.streaming(p -> writer.write(p, OutputStream.nullOutputStream(),
                    sink));
            ClusterListing.walk(tree, partitioning);
            partitioning.finish();
            out.write(BackupManifest.trailerLine(counts[0], counts[1], counts[2]) + "\n");
            return counts[0];
        }
    }

    /**
     * backup-fetch's and backup-verify's manifest: read, then every member looked up; the members and the heap they
     * keep, per member (what the manifest and its check retain after a full collection).
     */
    private static String read(Path manifest) throws IOException {
        long before = usedAfterGc();
        BackupManifest m;
        try (InputStream in = Files.newInputStream(manifest)) {
            m = BackupManifest.read(in, NAME);
        }
        ManifestCheck check = new ManifestCheck(m);
        for (int i = 0; i < m.members(); i++) {
            if (m.indexOf(m.name(i)) != i) {
                throw new IllegalStateException("entry " + i + " not found by its name");
            }
        }
        if (check.unseen().size() != m.members()) {
            throw new IllegalStateException("unseen");
        }
        long kept = usedAfterGc() - before;
        Reference.reachabilityFence(check);
        return m.members() + " " + kept / m.members();
    }

    private static long usedAfterGc() {
        Runtime r = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return r.totalMemory() - r.freeMemory();
    }

    /** The control: the manifest as a map of records, as backup-fetch held it before. */
    private static String map(Path manifest) throws IOException {
        long before = usedAfterGc();
        Map<String, ManifestEntry> entries = new HashMap<>();
        try (BufferedReader in = Files.newBufferedReader(manifest, StandardCharsets.UTF_8)) {
            in.readLine();
            String line;
            while ((line = in.readLine()) != null && !line.startsWith("{\"end\"")) {
                // the name and a digest per line are what the old map held; parsing is not what is measured
                String name = line.substring(line.indexOf("\"name\": \"") + 9, line.indexOf("\", \"type\""));
                entries.put(name, ManifestEntry.file(0, name, 0600, 1, new byte[ManifestEntry.SHA256_BYTES]));
            }
        }
        long kept = usedAfterGc() - before;
        Reference.reachabilityFence(entries);
        return entries.size() + " " + kept / entries.size();
    }
}
