package org.walj.pipeline.lzop;

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
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The parallel lzop writer against the sequential one: the same bytes for every input, degree and flag set, readable
 * by our reader and the real lzop; failures surface and no task outlives the stream.
 */
class ParallelLzopOutputStreamTest {

    private static final int[] FLAG_SETS = {
        LzopOutputStream.DEFAULT_FLAGS,
        Lzop.F_OS_UNIX | Lzop.F_CRC32_D | Lzop.F_CRC32_C | Lzop.F_ADLER32_D | Lzop.F_ADLER32_C | Lzop.F_H_CRC32,
        0, // no checksums at all
    };

    private static ExecutorService pool;
    private static List<TestData.Input> inputs;

    @TempDir
    Path dir;

    @BeforeAll
    static void startPool() {
        pool = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "parallel-lzop-test");
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
            List<TestData.Input> all = new ArrayList<>(TestData.standardInputs());
            all.add(new TestData.Input("4x256KiB-compressible", TestData.compressible(4 * Lzop.BLOCK_SIZE, 21)));
            all.add(new TestData.Input("3x256KiB-random", TestData.random(3 * Lzop.BLOCK_SIZE, 22)));
            all.add(new TestData.Input("3MiB-zeros", new byte[3 * TestData.MIB]));
            all.add(new TestData.Input("5MiB-mixed+7", TestData.mixed(5 * TestData.MIB + 7, 23)));
            inputs = all;
        }
        return inputs;
    }

    private static byte[] sequential(byte[] data, int flags) throws IOException {
        return Codecs.lzop(data, Codecs.WAL_MODE, Codecs.FIXED_MTIME, flags);
    }

    private static byte[] parallel(byte[] data, int flags, BlockParallelism parallelism) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(data.length / 2 + 64);
        try (OutputStream out = new LzopOutputStream(bytes, Codecs.WAL_MODE, Codecs.FIXED_MTIME, flags, parallelism)) {
            Codecs.writeInPieces(out, data);
        }
        return bytes.toByteArray();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inputs")
    void sameBytesAsTheSequentialWriterForEveryDegreeAndFlagSet(TestData.Input input) throws IOException {
        for (int flags : FLAG_SETS) {
            byte[] expected = sequential(input.data(), flags);
            for (int blocks : new int[] {1, 2, 3, 4}) {
                byte[] actual = parallel(input.data(), flags, new BlockParallelism(pool, blocks));
                assertArrayEquals(expected, actual,
                        input + String.format(" flags 0x%08x, %d blocks at once", flags, blocks));
            }
        }
        byte[] ours = parallel(input.data(), LzopOutputStream.DEFAULT_FLAGS, new BlockParallelism(pool, 2));
        assertArrayEquals(input.data(), Codecs.unlzop(ours), "our reader restores the input");
    }

    @Test
    void sameBytesForRandomWriteSizesOnARealWalSegment() throws IOException {
        byte[] wal = TestData.walSegment();
        byte[] expected = sequential(wal, LzopOutputStream.DEFAULT_FLAGS);
        Random r = new Random(7);
        for (int round = 0; round < 3; round++) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (OutputStream out = new LzopOutputStream(bytes, Codecs.WAL_MODE, Codecs.FIXED_MTIME,
                    LzopOutputStream.DEFAULT_FLAGS, new BlockParallelism(pool, 2))) {
                int off = 0;
                while (off < wal.length) {
                    int n = Math.min(wal.length - off, 1 + r.nextInt(r.nextBoolean() ? 100 : 700_000));
                    out.write(wal, off, n);
                    off += n;
                }
            }
            assertArrayEquals(expected, bytes.toByteArray(), "round " + round);
        }
    }

    /** flush() writes the complete blocks, never ends one: the bytes stay the sequential writer's. */
    @Test
    void flushWritesCompleteBlocksAndChangesNoByte() throws IOException {
        byte[] data = TestData.mixed(3 * Lzop.BLOCK_SIZE + 100, 33);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new LzopOutputStream(bytes, Codecs.WAL_MODE, Codecs.FIXED_MTIME,
                LzopOutputStream.DEFAULT_FLAGS, new BlockParallelism(pool, 2))) {
            out.write(data, 0, 2 * Lzop.BLOCK_SIZE + 10);
            out.flush();
            // what has reached the target, closed with an end marker for the test-side parser
            LzopLayout partial = LzopLayout.parse(java.util.Arrays.copyOf(bytes.toByteArray(), bytes.size() + 4));
            assertEquals(2, partial.blocks().size(), "both complete blocks are out after flush()");
            out.write(data, 2 * Lzop.BLOCK_SIZE + 10, data.length - (2 * Lzop.BLOCK_SIZE + 10));
            out.flush();
        }
        assertArrayEquals(sequential(data, LzopOutputStream.DEFAULT_FLAGS), bytes.toByteArray());
    }

    @Test
    void realLzopTestsAndRestoresTheParallelOutput() throws IOException {
        for (TestData.Input input : List.of(new TestData.Input("wal", TestData.walSegment()),
                new TestData.Input("mixed", TestData.mixed(2 * TestData.MIB + 5, 31)),
                new TestData.Input("empty", new byte[0]))) {
            Path file = dir.resolve(input.name() + ".lzo");
            Files.write(file, parallel(input.data(), LzopOutputStream.DEFAULT_FLAGS, new BlockParallelism(pool, 2)));
            Cli.run(dir, null, Cli.lzop(), "-t", file.toString()).assertSuccess("lzop -t " + input.name());
            Cli.Result r = Cli.run(dir, file, Cli.lzop(), "-dc").assertSuccess("lzop -dc " + input.name());
            assertArrayEquals(input.data(), r.stdout(), input.name() + ": lzop -dc must restore the input");
            assertTrue(r.stderr().isEmpty(), "lzop must not warn: " + r.stderr());
        }
    }

    @Test
    void sinkFailureIsThrownAndNothingIsWrittenAfterIt() throws IOException {
        TestStreams.FailingSink sink = new TestStreams.FailingSink(300_000);
        OutputStream out = new LzopOutputStream(sink, 0, 0, LzopOutputStream.DEFAULT_FLAGS,
                new BlockParallelism(pool, 3));
        byte[] random = TestData.random(4 * TestData.MIB, 41);
        IOException e = assertThrows(IOException.class, () -> {
            for (int off = 0; off < random.length; off += 65536) {
                out.write(random, off, 65536);
            }
        });
        assertEquals("disk full", e.getMessage());
        int written = sink.written;
        assertThrows(IOException.class, () -> out.write(1));
        IOException onClose = assertThrows(IOException.class, out::close);
        assertTrue(onClose.getMessage().contains("earlier write failed"), onClose.getMessage());
        assertTrue(sink.closed);
        assertEquals(written, sink.written, "nothing written after the failure, no end marker");
    }

    @Test
    void sinkFailureOfTheLastBlocksIsThrownAndTheTargetClosed() throws IOException {
        TestStreams.FailingSink sink = new TestStreams.FailingSink(600_000);
        OutputStream out = new LzopOutputStream(sink, 0, 0, LzopOutputStream.DEFAULT_FLAGS,
                new BlockParallelism(pool, 4));
        // the third block does not fit; all three may still be in flight when close() comes, or already written
        IOException e = assertThrows(IOException.class, () -> {
            out.write(TestData.random(3 * Lzop.BLOCK_SIZE, 42));
            out.close();
        });
        assertEquals("disk full", e.getMessage());
        try {
            out.close(); // throws if the failure came from write(); a no-op if it came from the first close()
        } catch (IOException incomplete) {
            assertTrue(incomplete.getMessage().contains("earlier write failed"), incomplete.getMessage());
        }
        assertTrue(sink.closed);
    }

    @Test
    void rejectedTaskIsAnIOException() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        OutputStream out = new LzopOutputStream(bytes, 0, 0, LzopOutputStream.DEFAULT_FLAGS,
                new BlockParallelism(task -> {
                    throw new RejectedExecutionException("pool is shut down");
                }, 2));
        IOException e = assertThrows(IOException.class, () -> out.write(new byte[Lzop.BLOCK_SIZE]));
        assertTrue(e.getMessage().contains("pool is shut down"), e.getMessage());
        assertThrows(IOException.class, out::close);
    }

    @Test
    void oneTaskPerBlock() throws IOException {
        CountingExecutor executor = new CountingExecutor(pool);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new LzopOutputStream(bytes, Codecs.WAL_MODE, Codecs.FIXED_MTIME,
                LzopOutputStream.DEFAULT_FLAGS, new BlockParallelism(executor, 2))) {
            out.write(TestData.compressible(10 * Lzop.BLOCK_SIZE + 3, 43));
        }
        assertEquals(11, executor.submitted(), "one task per block");
        assertArrayEquals(sequential(TestData.compressible(10 * Lzop.BLOCK_SIZE + 3, 43), LzopOutputStream.DEFAULT_FLAGS),
                bytes.toByteArray());
    }

    @Test
    void aStreamOnItsOwnPoolLeavesNoThreadBehind() throws IOException, InterruptedException {
        ExecutorService own = Executors.newFixedThreadPool(2, r -> new Thread(r, "own-lzop-pool"));
        try (OutputStream out = new LzopOutputStream(new ByteArrayOutputStream(), 0, 0,
                LzopOutputStream.DEFAULT_FLAGS, new BlockParallelism(own, 2))) {
            out.write(TestData.walSegment());
        } finally {
            own.shutdown();
        }
        assertTrue(own.awaitTermination(60, TimeUnit.SECONDS), "the pool's threads ended");
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals("own-lzop-pool") && t.isAlive()));
    }

    /** Runs on a real pool and counts the tasks submitted. */
    static final class CountingExecutor implements java.util.concurrent.Executor {
        private final java.util.concurrent.Executor delegate;
        private final AtomicInteger submitted = new AtomicInteger();

        CountingExecutor(java.util.concurrent.Executor delegate) {
            this.delegate = delegate;
        }

        @Override
        public void execute(Runnable task) {
            submitted.incrementAndGet();
            delegate.execute(task);
        }

        int submitted() {
            return submitted.get();
        }
    }
}
