package org.walj.pipeline.lz4;

import org.walj.pipeline.BlockParallelism;

import org.walj.pipeline.TestStreams;

import org.walj.pipeline.Codecs;
import org.walj.pipeline.Cli;
import org.walj.pipeline.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The parallel LZ4 frame writer against lz4-java's sequential one ({@link Lz4Codec#compress(OutputStream)}): the same
 * bytes for every input, degree and flush pattern; read by our reader and the real lz4; failures surface.
 */
class ParallelLz4FrameTest {

    private static ExecutorService pool;
    private static List<TestData.Input> inputs;

    @TempDir
    Path dir;

    @BeforeAll
    static void startPool() {
        pool = Executors.newFixedThreadPool(3, r -> {
            Thread t = new Thread(r, "parallel-lz4-test");
            t.setDaemon(true);
            return t;
        });
    }

    @AfterAll
    static void stopPool() throws InterruptedException {
        pool.shutdown();
        assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
    }

    static List<TestData.Input> inputs() {
        if (inputs == null) {
            List<TestData.Input> all = new ArrayList<>(TestData.smallInputs());
            int block = Lz4ParallelFrame.BLOCK_SIZE;
            all.add(new TestData.Input("4MiB", TestData.compressible(block, 51)));
            all.add(new TestData.Input("4MiB+1", TestData.compressible(block + 1, 52)));
            all.add(new TestData.Input("3x4MiB-random", TestData.random(3 * block, 53)));
            all.add(new TestData.Input("10MiB-zeros", new byte[10 * TestData.MIB]));
            all.add(new TestData.Input("9MiB-mixed", TestData.mixed(9 * TestData.MIB, 54)));
            all.add(new TestData.Input("wal-segment", TestData.walSegment()));
            inputs = all;
        }
        return inputs;
    }

    private static byte[] parallel(byte[] data, int blocks) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = Lz4Codec.compress(bytes, new BlockParallelism(pool, blocks))) {
            Codecs.writeInPieces(out, data);
        }
        return bytes.toByteArray();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inputs")
    void sameBytesAsLz4JavasFrameWriter(TestData.Input input) throws IOException {
        byte[] expected = Lz4CodecTest.lz4(input.data());
        for (int blocks : new int[] {1, 2, 3}) {
            assertArrayEquals(expected, parallel(input.data(), blocks), input + ", " + blocks + " blocks at once");
        }
        assertArrayEquals(input.data(), Lz4CodecTest.unlz4(expected));
    }

    @Test
    void flushEndsABlockAsLz4JavaDoes() throws IOException {
        byte[] data = TestData.mixed(9 * TestData.MIB + 3, 55);
        int[] flushAt = {0, 100, 100, 5 * TestData.MIB, data.length};
        ByteArrayOutputStream sequential = new ByteArrayOutputStream();
        ByteArrayOutputStream parallel = new ByteArrayOutputStream();
        try (OutputStream s = Lz4Codec.compress(sequential);
             OutputStream p = Lz4Codec.compress(parallel, new BlockParallelism(pool, 2))) {
            int off = 0;
            for (int at : flushAt) {
                s.write(data, off, at - off);
                p.write(data, off, at - off);
                s.flush();
                p.flush();
                assertArrayEquals(sequential.toByteArray(), parallel.toByteArray(), "after flush at " + at);
                off = at;
            }
        }
        assertArrayEquals(sequential.toByteArray(), parallel.toByteArray());
    }

    @Test
    void realLz4TestsAndRestoresTheParallelOutput() throws IOException {
        byte[] data = TestData.mixed(9 * TestData.MIB + 11, 56);
        Path file = dir.resolve("p.lz4");
        Files.write(file, parallel(data, 2));
        Cli.run(dir, null, Cli.lz4(), "-t", file.toString()).assertSuccess("lz4 -t");
        Cli.Result r = Cli.run(dir, file, Cli.lz4(), "-dc").assertSuccess("lz4 -dc");
        assertArrayEquals(data, r.stdout(), "lz4 -dc must restore the input");
    }

    @Test
    void sinkFailureIsThrownAndTheTargetIsClosed() throws IOException {
        TestStreams.FailingSink sink = new TestStreams.FailingSink(5 * TestData.MIB);
        OutputStream out = Lz4Codec.compress(sink, new BlockParallelism(pool, 2));
        byte[] random = TestData.random(12 * TestData.MIB, 57);
        IOException e = assertThrows(IOException.class, () -> {
            out.write(random);
            out.close(); // the blocks may all still be in flight: then the failure comes here
        });
        assertEquals("disk full", e.getMessage());
        assertTrue(sink.written <= 5 * TestData.MIB, "no end mark after the failure");
        try {
            out.close(); // throws if the failure came from write(); a no-op if it came from the first close()
        } catch (IOException incomplete) {
            assertTrue(incomplete.getMessage().contains("earlier write failed"), incomplete.getMessage());
        }
        assertTrue(sink.closed);
        assertThrows(IOException.class, () -> out.write(1), "unusable after the failure");
    }

    @Test
    void rejectedTaskIsAnIOException() throws IOException {
        OutputStream out = Lz4Codec.compress(new ByteArrayOutputStream(), new BlockParallelism(task -> {
            throw new RejectedExecutionException("pool is shut down");
        }, 2));
        IOException e = assertThrows(IOException.class, () -> out.write(new byte[Lz4ParallelFrame.BLOCK_SIZE + 1]));
        assertTrue(e.getMessage().contains("pool is shut down"), e.getMessage());
        assertThrows(IOException.class, out::close);
    }
}
