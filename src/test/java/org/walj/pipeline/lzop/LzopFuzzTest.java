package org.walj.pipeline.lzop;

import org.walj.pipeline.CorruptObjectException;

import org.walj.pipeline.Codecs;
import org.walj.pipeline.Cli;
import org.walj.pipeline.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Randomised damage (fixed seeds): every truncation and every bit flip of a valid stream must raise a
 * {@link CorruptObjectException}, quickly, and the bytes handed out before it must be a prefix of the original.
 */
class LzopFuzzTest {

    private static final byte[] ORIGINAL = TestData.mixed(700 * TestData.KIB, 31); // compressed + stored blocks
    private static final List<Named> STREAMS = new ArrayList<>();

    record Named(String name, byte[] stream) {
    }

    @BeforeAll
    static void streams(@TempDir Path dir) throws IOException {
        STREAMS.add(new Named("ours", Codecs.lzop(ORIGINAL)));
        STREAMS.add(new Named("ours-all-checksums", Codecs.lzop(ORIGINAL, 0, 0, 0x03001303)));
        Path plain = dir.resolve("in.bin");
        Files.write(plain, ORIGINAL);
        STREAMS.add(new Named("lzop -9 --crc32", Cli.run(dir, plain, Cli.lzop(), "-9", "--crc32", "-c")
                .assertSuccess("lzop").stdout()));
        STREAMS.add(new Named("lzop --filter=4 -1", Cli.run(dir, plain, Cli.lzop(), "--filter=4", "-1", "-c")
                .assertSuccess("lzop").stdout()));
        for (Named s : STREAMS) {
            assertArrayEquals(ORIGINAL, Codecs.unlzop(s.stream()), s.name());
        }
    }

    @Test
    void everyTruncationFails() {
        Random random = new Random(1);
        int cases = 0;
        for (Named s : STREAMS) {
            List<Integer> cuts = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                cuts.add(random.nextInt(s.stream().length));
            }
            LzopLayout layout = LzopLayout.parse(s.stream());
            for (LzopLayout.Block b : layout.blocks()) { // around every block boundary and field
                for (int d = -1; d <= b.headerLength(); d++) {
                    cuts.add(b.offset() + d);
                }
            }
            for (int d = 0; d < 4; d++) {
                cuts.add(layout.endMarker() + d); // inside the end marker
            }
            for (int cut : cuts) {
                expectFailure(s.name() + " cut at " + cut, Arrays.copyOf(s.stream(), cut));
                cases++;
            }
        }
        System.out.println("truncation cases: " + cases);
    }

    @Test
    void everyBitFlipFails() {
        Random random = new Random(2);
        int cases = 0;
        for (Named s : STREAMS) {
            byte[] good = s.stream();
            LzopLayout layout = LzopLayout.parse(good);
            List<Integer> blockHeaderBytes = new ArrayList<>();
            for (LzopLayout.Block b : layout.blocks()) {
                for (int i = 0; i < b.headerLength(); i++) {
                    blockHeaderBytes.add(b.offset() + i);
                }
            }
            for (int i = 0; i < 4; i++) {
                blockHeaderBytes.add(layout.endMarker() + i);
            }
            for (int c = 0; c < 100; c++) {
                byte[] bad = good.clone();
                int flips = 1 + random.nextInt(3);
                StringBuilder where = new StringBuilder();
                for (int f = 0; f < flips; f++) {
                    int pos = switch (random.nextInt(3)) {
                        case 0 -> random.nextInt(layout.headerEnd()); // magic and header
                        case 1 -> blockHeaderBytes.get(random.nextInt(blockHeaderBytes.size()));
                        default -> random.nextInt(good.length);
                    };
                    int bit = random.nextInt(8);
                    bad[pos] ^= (byte) (1 << bit);
                    where.append(pos).append('.').append(bit).append(' ');
                }
                if (Arrays.equals(bad, good)) {
                    continue; // two flips of the same bit cancelled out
                }
                expectFailure(s.name() + " flips " + where, bad);
                cases++;
            }
        }
        System.out.println("bit-flip cases: " + cases);
    }

    @Test
    void trailingGarbageFails() {
        Random random = new Random(3);
        for (Named s : STREAMS) {
            for (int c = 0; c < 20; c++) {
                byte[] garbage = new byte[1 + random.nextInt(40)];
                random.nextBytes(garbage);
                garbage[random.nextInt(garbage.length)] = (byte) (1 + random.nextInt(255));
                expectFailure(s.name() + " + garbage", LzopBuilder.concat(s.stream(), garbage));
            }
            expectFailure(s.name() + " twice", LzopBuilder.concat(s.stream(), s.stream()));
        }
    }

    /** Decoding must throw CorruptObjectException within seconds, after handing out only a prefix of ORIGINAL. */
    private static void expectFailure(String what, byte[] damaged) {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            ByteArrayOutputStream delivered = new ByteArrayOutputStream();
            try (InputStream in = new LzopInputStream(new ByteArrayInputStream(damaged))) {
                byte[] buf = new byte[100_000];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    delivered.write(buf, 0, n);
                }
                fail(what + ": decoded without error (" + delivered.size() + " bytes, "
                        + (Arrays.equals(delivered.toByteArray(), ORIGINAL) ? "identical" : "DIFFERENT") + ")");
            } catch (CorruptObjectException expected) {
                byte[] got = delivered.toByteArray();
                if (got.length > ORIGINAL.length || !Arrays.equals(got, 0, got.length, ORIGINAL, 0, got.length)) {
                    fail(what + ": handed out wrong bytes before failing with " + expected.getMessage());
                }
            }
        }, what + ": hung");
    }
}
