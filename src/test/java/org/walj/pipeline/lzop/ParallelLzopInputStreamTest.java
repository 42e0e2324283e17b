package org.walj.pipeline.lzop;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.walj.WorkerThreads;
import org.walj.pipeline.BlockParallelism;
import org.walj.pipeline.Codecs;
import org.walj.pipeline.ParallelBlockReader;
import org.walj.pipeline.ParallelReads;
import org.walj.pipeline.TestData;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The parallel lzop reader against the sequential one: the same bytes for every input, degree and flag set, and for a
 * damaged stream (a wrong checksum, invalid LZO data, a cut anywhere, blocks in another order) the same failure at
 * the same point, after exactly the same bytes: never a byte of a bad block, never a clean end of a damaged stream.
 */
@Timeout(300)
class ParallelLzopInputStreamTest {

    private static final int[] FLAG_SETS = {
        LzopOutputStream.DEFAULT_FLAGS,
        Lzop.F_OS_UNIX | Lzop.F_CRC32_D | Lzop.F_CRC32_C | Lzop.F_ADLER32_D | Lzop.F_ADLER32_C | Lzop.F_H_CRC32,
        0, // no checksums at all
    };
    private static final int[] DEGREES = {1, 2, 3, 16};
    private static ParallelReads reads;

    private static ExecutorService pool;

    @BeforeAll
    static void startPool() {
        pool = Executors.newFixedThreadPool(4, WorkerThreads.numbered("parallel-unlzop-test-"));
        reads = new ParallelReads(LzopInputStream::new,
                Arrays.stream(DEGREES).mapToObj(ParallelLzopInputStreamTest::degree).toArray(BlockParallelism[]::new));
    }

    @AfterAll
    static void stopPool() throws InterruptedException {
        pool.shutdown();
        assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS), "the test pool's threads ended");
    }

    static List<TestData.Input> inputs() {
        List<TestData.Input> all = new ArrayList<>(TestData.standardInputs());
        all.add(new TestData.Input("9x256KiB-compressible+5", TestData.compressible(9 * Lzop.BLOCK_SIZE + 5, 31)));
        all.add(new TestData.Input("3x256KiB-random", TestData.random(3 * Lzop.BLOCK_SIZE, 32)));
        all.add(new TestData.Input("5MiB-mixed+7", TestData.mixed(5 * TestData.MIB + 7, 33)));
        return all;
    }

    private static BlockParallelism degree(int blocks) {
        return new BlockParallelism(pool, blocks);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inputs")
    void sameBytesAsTheSequentialReaderForEveryDegreeAndFlagSet(TestData.Input input) throws IOException {
        for (int flags : FLAG_SETS) {
            byte[] stream = Codecs.lzop(input.data(), Codecs.WAL_MODE, Codecs.FIXED_MTIME, flags);
            for (int d : DEGREES) {
                ParallelReads.Outcome o = reads.readAll(stream, degree(d));
                assertEquals(null, o.failure(), input.name() + " flags " + flags + " degree " + d);
                assertArrayEquals(input.data(), o.bytes(), input.name() + " flags " + flags + " degree " + d);
            }
        }
    }

    @Test
    void aWrongChecksumInAnyBlockFailsThereAfterExactlyTheBlocksBeforeIt() throws IOException {
        byte[] data = TestData.compressible(12 * Lzop.BLOCK_SIZE + 99, 41);
        byte[] stream = Codecs.lzop(data);
        LzopLayout layout = LzopLayout.parse(stream);
        for (int k = 0; k < layout.blocks().size(); k++) {
            LzopLayout.Block b = layout.blocks().get(k);
            // the stored checksum of the uncompressed data (the field after the two lengths)
            byte[] badSum = stream.clone();
            badSum[b.offset() + 8] ^= 0x01;
            reads.sameFailureAsSequential(badSum, "checksum mismatch in block " + (k + 1));
            // one flipped byte of the compressed data itself
            byte[] badData = stream.clone();
            badData[b.offset() + b.headerLength() + b.compressedLength() / 2] ^= 0x40;
            reads.sameFailureAsSequential(badData, "block " + (k + 1));
        }
    }

    @Test
    void aCutAnywhereFailsAsTheSequentialReaderFails() throws IOException {
        byte[] stream = Codecs.lzop(TestData.mixed(6 * Lzop.BLOCK_SIZE + 1234, 42));
        List<Integer> cuts = new ArrayList<>(List.of(0, 1, 9, 40, stream.length - 1, stream.length - 4));
        for (LzopLayout.Block b : LzopLayout.parse(stream).blocks()) {
            cuts.addAll(List.of(b.offset(), b.offset() + 3, b.offset() + b.headerLength(),
                    b.offset() + b.headerLength() + b.compressedLength() - 1));
        }
        reads.cutsFailAsSequentially(stream, cuts, 60, "lzop stream");
    }

    @Test
    void garbageAfterTheEndMarkerFailsAfterEveryBlockWasHandedOut() throws IOException {
        byte[] data = TestData.compressible(5 * Lzop.BLOCK_SIZE, 43);
        byte[] stream = LzopBuilder.concat(Codecs.lzop(data), new byte[] {0, 0, 7});
        ParallelReads.Outcome o = reads.sameFailureAsSequential(stream, "unexpected data after the end marker");
        assertArrayEquals(data, o.bytes());
    }

    /**
     * lzop blocks carry no sequence number: swapped blocks each pass their own checksum. The parallel reader hands
     * them out in stream order exactly as the sequential one, so the damage reaches the layer that can see it (the
     * tar structure, the manifest's SHA-256: BackupFetchParallelDecodeTest) the same way.
     */
    @Test
    void reorderedBlocksComeOutInStreamOrderAsSequentially() throws IOException {
        byte[] data = TestData.mixed(8 * Lzop.BLOCK_SIZE, 44);
        byte[] stream = Codecs.lzop(data);
        List<LzopLayout.Block> blocks = LzopLayout.parse(stream).blocks();
        LzopLayout.Block b2 = blocks.get(2);
        LzopLayout.Block b5 = blocks.get(5);
        int end2 = b2.offset() + b2.headerLength() + b2.compressedLength();
        int end5 = b5.offset() + b5.headerLength() + b5.compressedLength();
        byte[] swapped = LzopBuilder.concat(Arrays.copyOfRange(stream, 0, b2.offset()),
                Arrays.copyOfRange(stream, b5.offset(), end5), Arrays.copyOfRange(stream, end2, b5.offset()),
                Arrays.copyOfRange(stream, b2.offset(), end2), Arrays.copyOfRange(stream, end5, stream.length));
        assertEquals(stream.length, swapped.length);
        byte[] sequential = Codecs.unlzop(swapped);
        assertFalse(Arrays.equals(data, sequential), "a swap changes the content");
        for (int d : DEGREES) {
            ParallelReads.Outcome o = reads.readAll(swapped, degree(d));
            assertEquals(null, o.failure());
            assertArrayEquals(sequential, o.bytes(), "degree " + d);
        }
    }

    @Test
    void blocksLargerThanTheParallelLimitAreReadOneAtATime() throws IOException {
        LzopBuilder builder = new LzopBuilder();
        byte[] small = TestData.compressible(Lzop.BLOCK_SIZE, 45);
        byte[] huge = TestData.compressible(ParallelBlockReader.LARGE_BLOCK + 17, 46);
        builder.block(small, false).block(small, false).block(huge, false).block(small, true).block(huge, true);
        byte[] stream = builder.build();
        byte[] expected = LzopBuilder.concat(small, small, huge, small, huge);
        for (int d : DEGREES) {
            ParallelReads.Outcome o = reads.readAll(stream, degree(d));
            assertEquals(null, o.failure());
            assertArrayEquals(expected, o.bytes(), "degree " + d);
        }
    }

    @Test
    void aRefusingExecutorStillDecodesEveryBlock() throws IOException {
        byte[] data = TestData.compressible(6 * Lzop.BLOCK_SIZE, 47);
        reads.refusingExecutorStillDecodes(Codecs.lzop(data), data);
    }

    @Test
    void closingEarlyLeavesNoTaskRunning() throws IOException, InterruptedException {
        reads.closingEarlyLeavesNoTaskRunning(Codecs.lzop(TestData.mixed(20 * Lzop.BLOCK_SIZE, 48)));
    }
}
