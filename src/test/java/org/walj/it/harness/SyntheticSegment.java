package org.walj.it.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * A WAL segment file for tests that push or fetch one segment without a PostgreSQL: random bytes (incompressible)
 * around a run of one letter (compressible), so a codec that skipped blocks or mixed them up would show, owned by
 * the server user as PostgreSQL's own segments are.
 */
public final class SyntheticSegment {
    private SyntheticSegment() {
    }

    /** {@code dir/name}, {@code mebibytes} long, the same bytes for the same {@code seed}. */
    public static Path write(Scratch scratch, Path dir, String name, int mebibytes, long seed) throws IOException {
        byte[] segment = new byte[mebibytes << 20];
        new Random(seed).nextBytes(segment);
        Arrays.fill(segment, segment.length / 8, segment.length * 3 / 4, (byte) 'w');
        Path file = dir.resolve(name);
        Files.write(file, segment);
        scratch.user().own(file);
        return file;
    }
}
