package org.walj.pipeline.lz4;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.walj.WorkerThreads;
import org.walj.pipeline.BlockParallelism;
import org.walj.pipeline.Cli;
import org.walj.pipeline.ParallelReads;
import org.walj.pipeline.TestData;
import org.walj.pipeline.lzop.LzopBuilder;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * LZ4 frames decoded with their blocks checked and decompressed on a pool ({@link Lz4Codec#decompress(InputStream,
 * BlockParallelism)}) against the same reader on one thread: the same bytes for our frames and the lz4 tool's (linked
 * blocks too), and every damage fails with the same message after the same bytes.
 */
@Timeout(600)
class ParallelLz4InputStreamTest {

    private static final int BLOCK = 64 * 1024; // lz4 -B4
    private static final int[] DEGREES = {1, 2, 3, 16};
    private static ExecutorService pool;
    private static ParallelReads reads;

    @TempDir
    Path dir;

    @BeforeAll
    static void startPool() {
        pool = Executors.newFixedThreadPool(4, WorkerThreads.numbered("parallel-unlz4-test-"));
        reads = new ParallelReads(Lz4Codec::decompress,
                Arrays.stream(DEGREES).mapToObj(d -> new BlockParallelism(pool, d)).toArray(BlockParallelism[]::new));
    }

    @AfterAll
    static void stopPool() throws InterruptedException {
        pool.shutdown();
        assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS), "the test pool's threads ended");
    }

    /** The lz4 tool's frame of {@code data} with {@code options}. */
    private byte[] lz4(byte[] data, String... options) throws IOException {
        Path plain = dir.resolve("in.bin");
        Files.write(plain, data);
        return Cli.run(dir, plain, Cli.args(Cli.lz4(), List.of(options), "-q", "-c")).assertSuccess("lz4").stdout();
    }

    @Test
    void sameBytesForOurFramesAndTheLz4ToolsInEveryVariant() throws IOException {
        List<TestData.Input> inputs = new ArrayList<>(TestData.smallInputs());
        inputs.add(new TestData.Input("13MiB-mixed+7", TestData.mixed(13 * TestData.MIB + 7, 51)));
        inputs.add(new TestData.Input("wal-segment", TestData.walSegment()));
        List<List<String>> variants = List.of(List.of("-B4", "-BX"), List.of("-B4"), List.of("-B5", "--content-size",
                "--no-frame-crc"), List.of("-B4", "-BD", "-BX"), List.of("-B6", "-BD", "--content-size"));
        for (TestData.Input input : inputs) {
            reads.decodesTo(Lz4CodecTest.lz4(input.data()), input.data(), input.name() + " ours");
            for (List<String> options : variants) {
                reads.decodesTo(lz4(input.data(), options.toArray(String[]::new)), input.data(),
                        input.name() + " lz4 " + options);
            }
        }
        // concatenated frames, one linked, and a skippable frame between them
        byte[] a = TestData.mixed(5 * BLOCK + 3, 52);
        byte[] b = TestData.compressible(7 * BLOCK, 53);
        byte[] skippable = {0x5A, 0x2A, 0x4D, 0x18, 3, 0, 0, 0, 9, 9, 9};
        reads.decodesTo(LzopBuilder.concat(lz4(a, "-B4", "-BX"), skippable, lz4(b, "-B4", "-BD"), Lz4CodecTest.lz4(a)),
                LzopBuilder.concat(a, b, a), "concatenated");
    }

    @Test
    void aDamagedBlockFailsThereAfterExactlyTheBlocksBeforeIt() throws IOException {
        byte[] data = TestData.compressible(12 * BLOCK + 99, 54);
        byte[] frame = lz4(data, "-B4", "-BX");
        List<Block> blocks = blocks(frame);
        assertEquals(13, blocks.size());
        for (int k = 0; k < blocks.size(); k++) {
            Block b = blocks.get(k);
            byte[] badSum = frame.clone();
            badSum[b.end() - 1] ^= 0x01; // the block checksum
            reads.sameFailureAsSequential(badSum, "corrupt LZ4 frame: checksum mismatch in block " + (k + 1));
            byte[] badData = frame.clone();
            badData[b.offset() + 4 + b.stored() / 2] ^= 0x40;
            reads.sameFailureAsSequential(badData, "corrupt LZ4 frame: checksum mismatch in block " + (k + 1));
            byte[] badSize = frame.clone();
            badSize[b.offset() + 2] = 0x10; // claims more than 64 KiB
            reads.sameFailureAsSequential(badSize, "block " + (k + 1) + " claims ");
        }
        // without block checksums: invalid data fails where it is, or the content checksum at the end
        byte[] plain = lz4(data, "-B4");
        for (Block b : blocks(plain)) {
            for (int flip = 0; flip < 4; flip++) {
                byte[] bad = plain.clone();
                bad[b.offset() + 4 + (b.stored() * flip) / 4] ^= (byte) (1 << flip);
                reads.sameFailureAsSequential(bad, "corrupt LZ4 frame: ");
            }
        }
    }

    @Test
    void theContentChecksumIsCheckedAfterEveryByteWasHandedOut() throws IOException {
        for (byte[] data : List.of(TestData.mixed(9 * BLOCK + 5, 55), new byte[0])) {
            byte[] frame = lz4(data, "-B4", "-BX");
            frame[frame.length - 2] ^= 0x08;
            ParallelReads.Outcome o = reads.sameFailureAsSequential(frame, "corrupt LZ4 frame: content checksum "
                    + "mismatch");
            assertArrayEquals(data, o.bytes());
        }
        byte[] data = TestData.compressible(3 * BLOCK, 56);
        byte[] sized = lz4(data, "-B4", "--content-size", "--no-frame-crc");
        sized[6] ^= 0x01; // the content size's lowest byte, with the descriptor checksum recomputed
        sized[6 + 8] = (byte) (net.jpountz.xxhash.XXHashFactory.fastestJavaInstance().hash32().hash(sized, 4, 10, 0)
                >> 8);
        ParallelReads.Outcome o = reads.sameFailureAsSequential(sized, "its header says");
        assertArrayEquals(data, o.bytes());
    }

    @Test
    void aCutAnywhereFailsAsTheSequentialReaderFails() throws IOException {
        for (byte[] frame : List.of(lz4(TestData.mixed(6 * BLOCK + 1234, 57), "-B4", "-BX"),
                lz4(TestData.compressible(6 * BLOCK + 1234, 58), "-B4", "-BD"))) {
            List<Integer> cuts = new ArrayList<>(List.of(0, 1, 4, 6, frame.length - 1, frame.length - 4));
            for (Block b : blocks(frame)) {
                cuts.addAll(List.of(b.offset(), b.offset() + 3, b.offset() + 4, b.end() - 1));
            }
            reads.cutsFailAsSequentially(frame, cuts, 40, "LZ4 frame");
        }
    }

    @Test
    void garbageAfterTheFrameFailsAfterEveryBlockWasHandedOut() throws IOException {
        byte[] data = TestData.compressible(5 * BLOCK, 59);
        for (byte[] garbage : List.of(new byte[] {0, 0, 7}, new byte[] {1, 2, 3, 4, 5})) {
            ParallelReads.Outcome o = reads.sameFailureAsSequential(LzopBuilder.concat(lz4(data, "-B4"), garbage),
                    "corrupt LZ4 frame: unexpected data after frame 1");
            assertArrayEquals(data, o.bytes());
        }
    }

    /**
     * Swapped blocks each pass their own checksum and come out in stream order exactly as sequentially; the content
     * checksum then fails at the end of the frame (without one, the damage reaches the tar and manifest checks).
     */
    @Test
    void swappedBlocksComeOutInStreamOrderAsSequentially() throws IOException {
        byte[] data = TestData.mixed(8 * BLOCK, 60);
        for (boolean contentChecksum : new boolean[] {true, false}) {
            byte[] frame = contentChecksum ? lz4(data, "-B4", "-BX") : lz4(data, "-B4", "-BX", "--no-frame-crc");
            List<Block> blocks = blocks(frame);
            Block b2 = blocks.get(2);
            Block b5 = blocks.get(5);
            byte[] swapped = LzopBuilder.concat(Arrays.copyOfRange(frame, 0, b2.offset()),
                    Arrays.copyOfRange(frame, b5.offset(), b5.end()),
                    Arrays.copyOfRange(frame, b2.end(), b5.offset()),
                    Arrays.copyOfRange(frame, b2.offset(), b2.end()), Arrays.copyOfRange(frame, b5.end(), frame.length));
            byte[] expected = LzopBuilder.concat(Arrays.copyOfRange(data, 0, 2 * BLOCK),
                    Arrays.copyOfRange(data, 5 * BLOCK, 6 * BLOCK), Arrays.copyOfRange(data, 3 * BLOCK, 5 * BLOCK),
                    Arrays.copyOfRange(data, 2 * BLOCK, 3 * BLOCK), Arrays.copyOfRange(data, 6 * BLOCK, 8 * BLOCK));
            assertFalse(Arrays.equals(data, expected));
            if (contentChecksum) {
                ParallelReads.Outcome o = reads.sameFailureAsSequential(swapped, "content checksum mismatch");
                assertArrayEquals(expected, o.bytes());
            } else {
                reads.decodesTo(swapped, expected, "swapped");
            }
        }
    }

    /** 4 MiB blocks (lz4's default, and earlier wal-j's) are in flight several at once, each 4 MiB + stored bytes. */
    @Test
    void fourMiBBlocksAreFramedSeveralAtOnce() throws IOException {
        byte[] data = TestData.compressible(6 * 4 * TestData.MIB, 61);
        List<Runnable> queued = new ArrayList<>(); // never run by the executor: the reading thread does them
        try (InputStream in = Lz4Codec.decompress(new ByteArrayInputStream(lz4(data, "-B7", "-BX")),
                new BlockParallelism(queued::add, 3))) {
            assertEquals(data[0], (byte) in.read());
            assertEquals(3, queued.size(), "blocks in flight when the first byte is handed out");
            assertArrayEquals(Arrays.copyOfRange(data, 1, data.length), in.readAllBytes());
        }
    }

    @Test
    void aRefusingExecutorStillDecodesEveryBlock() throws IOException {
        byte[] data = TestData.compressible(6 * BLOCK, 62);
        reads.refusingExecutorStillDecodes(lz4(data, "-B4", "-BX"), data);
    }

    @Test
    void closingEarlyLeavesNoTaskRunning() throws IOException, InterruptedException {
        reads.closingEarlyLeavesNoTaskRunning(lz4(TestData.mixed(20 * BLOCK, 63), "-B4"));
    }

    /** One data block of a frame: its offset (at its 4-byte size) and the bytes stored after the size. */
    private record Block(int offset, int stored, int checksum) {
        int end() {
            return offset + 4 + stored + checksum;
        }
    }

    /** The data blocks of one frame with no dictionary ID. */
    private static List<Block> blocks(byte[] frame) {
        int flg = frame[4] & 0xFF;
        int at = 4 + 2 + ((flg & 0x08) != 0 ? 8 : 0) + 1;
        int checksum = (flg & 0x10) != 0 ? 4 : 0;
        List<Block> blocks = new ArrayList<>();
        while (true) {
            int size = (frame[at] & 0xFF) | (frame[at + 1] & 0xFF) << 8 | (frame[at + 2] & 0xFF) << 16
                    | (frame[at + 3] & 0x7F) << 24;
            if (size == 0) {
                return blocks;
            }
            Block b = new Block(at, size, checksum);
            blocks.add(b);
            at = b.end();
        }
    }
}
