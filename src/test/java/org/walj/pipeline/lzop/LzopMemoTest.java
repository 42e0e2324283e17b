package org.walj.pipeline.lzop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.walj.pipeline.BlockMemo;
import org.walj.pipeline.BlockParallelism;
import org.walj.pipeline.BlockPrecoder;
import org.walj.pipeline.EncoderOptions;
import org.walj.pipeline.MemoArrays;

/** Blocks taken from a memo: the stream is byte for byte the one encoded without it, whatever the memo holds. */
class LzopMemoTest {
    private static final int B = Lzop.BLOCK_SIZE;

    /** Five and a half blocks of text-like WAL: compressible, different in every block. */
    private static byte[] data() {
        Random r = new Random(42);
        StringBuilder sb = new StringBuilder();
        while (sb.length() < 5 * B + B / 2) {
            sb.append("row ").append(r.nextInt(1_000_000)).append(' ').append(Long.toHexString(r.nextLong())).append('\n');
        }
        return Arrays.copyOf(sb.toString().getBytes(StandardCharsets.US_ASCII), 5 * B + B / 2);
    }

    private static byte[] encode(byte[] data, EncoderOptions options, int chunk) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream lzop = new LzopCodec().encoder(out, options)) {
            for (int off = 0; off < data.length; off += chunk) {
                lzop.write(data, off, Math.min(chunk, data.length - off));
            }
        }
        return out.toByteArray();
    }

    private static final BlockPrecoder PRECODER = new LzopCodec().blockPrecoder().orElseThrow();

    private static BlockMemo memoOf(byte[] data, int... blocks) {
        return fill(new MemoArrays(PRECODER, (data.length + B - 1) / B, 0).newMemo(), data, blocks);
    }

    private static BlockMemo fill(BlockMemo memo, byte[] data, int... blocks) {
        for (int i : blocks) {
            int len = Math.min(B, data.length - i * B);
            assertTrue(memo.put(i, data, i * B, len, PRECODER));
        }
        return memo;
    }

    @Test
    void blocksFromTheMemoMakeTheSameStream() throws IOException {
        byte[] data = data();
        EncoderOptions options = EncoderOptions.file(0100600, 1_700_000_000L);
        byte[] expected = encode(data, options, 8192);
        BlockMemo memo = memoOf(data, 0, 1, 2, 3, 4, 5);
        assertArrayEquals(expected, encode(data, options.withMemo(Optional.of(memo)), 8192));
        assertEquals(6, memo.used(), "every block came from the memo, the short last one too");
    }

    @Test
    void aBlockThatChangedSinceItWasMemorisedIsEncodedAgain() throws IOException {
        byte[] data = data();
        byte[] before = data.clone();
        before[2 * B + 100] ^= 1; // block 2 as it was when memorised: one bit different
        byte[] shorter = Arrays.copyOf(data, 5 * B + B / 4); // the last block memorised shorter than it became
        BlockMemo memo = memoOf(before, 0, 1, 2, 3);
        byte[] lastBefore = Arrays.copyOfRange(shorter, 5 * B, shorter.length);
        memo.put(5, lastBefore, 0, lastBefore.length, PRECODER);
        EncoderOptions options = EncoderOptions.file(0100600, 1_700_000_000L);
        // written in one call: whole blocks straight from the caller's array
        assertArrayEquals(encode(data, options, data.length), encode(data, options.withMemo(Optional.of(memo)),
                data.length));
        assertEquals(3, memo.used(), "blocks 0, 1 and 3 from the memo; 2 and 5 changed, 4 absent");
    }

    @Test
    void aMemoWinsOverParallelismAndChangesNothing() throws IOException {
        byte[] data = data();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            EncoderOptions parallel = EncoderOptions.file(0100600, 5L)
                    .inParallel(Optional.of(new BlockParallelism(pool, 2)));
            BlockMemo memo = memoOf(data, 1, 3);
            assertArrayEquals(encode(data, EncoderOptions.file(0100600, 5L), 1000),
                    encode(data, parallel.withMemo(Optional.of(memo)), 1000));
            assertEquals(2, memo.used());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aMemoOfOtherBlocksOrFlagsIsRefusedBeforeAnythingIsWritten() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BlockPrecoder smallBlocks = new BlockPrecoder() {
            @Override
            public int blockSize() {
                return 64 * 1024;
            }

            @Override
            public int maxEncodedLength(int len) {
                return len;
            }

            @Override
            public int encode(byte[] src, int off, int len, byte[] dst, int dstOff) {
                throw new AssertionError("not called");
            }
        };
        BlockMemo small = new MemoArrays(smallBlocks, 4, 0).newMemo();
        assertThrows(IllegalArgumentException.class,
                () -> new LzopOutputStream(out, 0, 0, LzopOutputStream.DEFAULT_FLAGS, small));
        assertThrows(IllegalArgumentException.class, () -> new LzopOutputStream(out, 0, 0,
                LzopOutputStream.ADLER32_FLAGS, new MemoArrays(PRECODER, 4, 0).newMemo()));
        assertEquals(0, out.size());
    }

    @Test
    void theMemoAnswersOnlyForTheSameBytes() throws IOException {
        byte[] data = data();
        BlockMemo memo = memoOf(data, 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertFalse(memo.writeIfSame(0, data, 0, B, out), "no entry");
        assertFalse(memo.writeIfSame(1, data, B, B - 1, out), "other length");
        assertFalse(memo.writeIfSame(7, data, B, B, out), "beyond the memo");
        byte[] changed = Arrays.copyOfRange(data, B, 2 * B);
        changed[B - 1] ^= 0x40;
        assertFalse(memo.writeIfSame(1, changed, 0, B, out), "other bytes");
        assertEquals(0, memo.used());
        assertEquals(0, out.size(), "nothing written for a miss");
        assertTrue(memo.writeIfSame(1, data, B, B, out));
        assertEquals(1, memo.used());
        assertEquals(B, Lzop.getU32(out.toByteArray(), 0), "the block header: its uncompressed length");
        assertThrows(IllegalStateException.class, () -> memo.put(1, data, 0, B, PRECODER), "a block is put once");
    }

    @Test
    void aReleasedMemoAnswersNoMoreAndItsArraysServeTheNextWithoutItsEntries() throws IOException {
        byte[] data = data();
        MemoArrays arrays = new MemoArrays(PRECODER, 6, 1);
        BlockMemo first = fill(arrays.newMemo(), data, 0, 1, 2);
        first.release();
        assertEquals(1, arrays.spare(), "its arrays wait for the next memo");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertFalse(first.writeIfSame(1, data, B, B, out), "released: answers no more");
        assertFalse(first.put(3, data, 3 * B, B, PRECODER), "released: takes no more");

        byte[] other = data.clone();
        other[4 * B + 7] ^= 1;
        BlockMemo second = fill(arrays.newMemo(), other, 4);
        assertEquals(0, arrays.spare(), "the second memo took the first one's arrays");
        EncoderOptions options = EncoderOptions.file(0100600, 9L);
        // the arrays still hold blocks 0-2 of the first memo: without entries in the second they must not be used
        assertArrayEquals(encode(other, options, B), encode(other, options.withMemo(Optional.of(second)), B));
        assertEquals(1, second.used(), "block 4 only");
        second.release();
        fill(arrays.newMemo(), data, 0).release();
        assertEquals(1, arrays.spare(), "no more kept than asked for");
    }

    @Test
    void aBlockIsFilledStraightFromItsReaderOrNotAtAll() throws IOException {
        byte[] data = data();
        BlockMemo memo = new MemoArrays(PRECODER, 6, 0).newMemo();
        assertTrue(memo.fill(2, into -> {
            into.put(data, 2 * B, into.remaining());
            return true;
        }, PRECODER));
        assertFalse(memo.fill(3, into -> {
            into.put(data, 3 * B, 100);
            return false; // the file ended
        }, PRECODER));
        assertTrue(memo.has(2));
        assertFalse(memo.has(3), "a short read leaves no entry");
        EncoderOptions options = EncoderOptions.file(0100600, 9L);
        assertArrayEquals(encode(data, options, 4096), encode(data, options.withMemo(Optional.of(memo)), 4096));
        assertEquals(1, memo.used());
    }
}
