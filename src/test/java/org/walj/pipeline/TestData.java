package org.walj.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/** Inputs for codec tests: random, compressible, and a real PostgreSQL WAL segment made by initdb. */
public final class TestData {

    public static final int KIB = 1024;
    public static final int MIB = 1024 * 1024;
    public static final String PG_BIN = "/usr/lib/postgresql/15/bin";

    private static byte[] walSegment;

    private TestData() {
    }

    public static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Text-like data (log lines with varying numbers): compresses about 3-5x with LZO, like real text. */
    public static byte[] compressible(int size, long seed) {
        Random r = new Random(seed);
        String[] words = {"checkpoint", "starting", "relation", "base/16384/2619", "xid", "commit", "INSERT",
            "UPDATE", "wal", "segment", "archived", "LOG:", "DETAIL:", "duration", "ms", "statement"};
        StringBuilder sb = new StringBuilder(size + 200);
        while (sb.length() < size) {
            sb.append("2026-11-22 02:").append(10 + r.nextInt(50)).append(':').append(10 + r.nextInt(50))
                    .append(" UTC [").append(1000 + r.nextInt(9000)).append("] ");
            int n = 3 + r.nextInt(8);
            for (int i = 0; i < n; i++) {
                sb.append(words[r.nextInt(words.length)]).append(' ');
                if (r.nextInt(4) == 0) {
                    sb.append(r.nextInt(100000)).append(' ');
                }
            }
            sb.append('\n');
        }
        byte[] all = sb.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] b = new byte[size];
        System.arraycopy(all, 0, b, 0, size);
        return b;
    }

    /** The named inputs every lzop/LZ4 interop test runs on. */
    public record Input(String name, byte[] data) {
        @Override
        public String toString() {
            return name + " (" + data.length + " B)";
        }
    }

    public static List<Input> standardInputs() {
        List<Input> inputs = new ArrayList<>(smallInputs());
        inputs.add(new Input("16MiB-random", random(16 * MIB, 16)));
        inputs.add(new Input("16MiB-compressible", compressible(16 * MIB, 17)));
        inputs.add(new Input("wal-segment", walSegment()));
        return inputs;
    }

    public static List<Input> smallInputs() {
        return List.of(
                new Input("empty", new byte[0]),
                new Input("1B", new byte[] {42}),
                new Input("256KiB-1", compressible(256 * KIB - 1, 1)),
                new Input("256KiB", random(256 * KIB, 2)),
                new Input("256KiB+1", compressible(256 * KIB + 1, 3)),
                new Input("700KiB-mixed", mixed(700 * KIB, 4)));
    }

    /** Compressible with random stretches, so one stream has both compressed and stored blocks. */
    public static byte[] mixed(int size, long seed) {
        byte[] b = compressible(size, seed);
        byte[] noise = random(size, seed + 1);
        for (int off = 256 * KIB; off < size; off += 512 * KIB) {
            System.arraycopy(noise, off, b, off, Math.min(256 * KIB, size - off));
        }
        return b;
    }

    /** pg_wal/000000010000000000000001 of a fresh PostgreSQL 15 cluster (16 MiB), made once per test JVM. */
    public static synchronized byte[] walSegment() {
        if (walSegment == null) {
            walSegment = makeWalSegment();
        }
        return walSegment.clone();
    }

    private static byte[] makeWalSegment() {
        Path initdb = Path.of(PG_BIN, "initdb");
        if (!Files.isExecutable(initdb)) {
            fail(initdb + " is missing: install postgresql-15 to run the WAL segment tests");
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("walj-initdb", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwxr-xr-x")));
            Path data = dir.resolve("data");
            List<String> cmd = new ArrayList<>();
            if ("root".equals(System.getProperty("user.name"))) {
                // initdb refuses to run as root: run it as postgres on a directory postgres owns
                run(List.of("chown", "postgres", dir.toString()), dir);
                cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
            }
            cmd.addAll(List.of(initdb.toString(), "-D", data.toString(), "--no-sync", "-A", "trust", "-U",
                    "postgres"));
            run(cmd, dir);
            byte[] segment = Files.readAllBytes(data.resolve("pg_wal/000000010000000000000001"));
            if (segment.length != 16 * MIB) {
                fail("unexpected WAL segment size " + segment.length);
            }
            return segment;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (dir != null) {
                deleteTree(dir);
            }
        }
    }

    private static void run(List<String> cmd, Path dir) {
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("log.txt").toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(String.join(" ", cmd) + " timed out");
            }
            if (p.exitValue() != 0) {
                fail(String.join(" ", cmd) + " failed: " + Files.readString(dir.resolve("log.txt")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static void deleteTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temp directory left behind is harmless
        }
    }
}
