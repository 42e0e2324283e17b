package org.walj.pipeline.lzop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

    private static BlockMemo memoOf(byte[] data, int... blocks) {
        BlockPrecoder precoder = new LzopCodec().blockPrecoder().orElseThrow();
        BlockMemo memo = new BlockMemo(B, (data.length + B - 1) / B);
        for (int i : blocks) {
            int len = Math.min(B, data.length - i * B);
            memo.put(i, data, i * B, len, precoder.encode(data, i * B, len));
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
        BlockPrecoder precoder = new LzopCodec().blockPrecoder().orElseThrow();
        byte[] lastBefore = Arrays.copyOfRange(shorter, 5 * B, shorter.length);
        memo.put(5, lastBefore, 0, lastBefore.length, precoder.encode(lastBefore, 0, lastBefore.length));
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
        assertThrows(IllegalArgumentException.class,
                () -> new LzopOutputStream(out, 0, 0, LzopOutputStream.DEFAULT_FLAGS, new BlockMemo(64 * 1024, 4)));
        assertThrows(IllegalArgumentException.class,
                () -> new LzopOutputStream(out, 0, 0, LzopOutputStream.ADLER32_FLAGS, new BlockMemo(B, 4)));
        assertEquals(0, out.size());
    }

    @Test
    void theMemoAnswersOnlyForTheSameBytes() {
        byte[] data = data();
        BlockMemo memo = memoOf(data, 1);
        assertNull(memo.encodedIf(0, data, 0, B), "no entry");
        assertNull(memo.encodedIf(1, data, B, B - 1), "other length");
        assertNull(memo.encodedIf(7, data, B, B), "beyond the memo");
        byte[] changed = Arrays.copyOfRange(data, B, 2 * B);
        changed[B - 1] ^= 0x40;
        assertNull(memo.encodedIf(1, changed, 0, B), "other bytes");
        assertEquals(0, memo.used());
        byte[] hit = memo.encodedIf(1, data, B, B);
        assertEquals(1, memo.used());
        assertEquals(B, Lzop.getU32(hit, 0), "the block header: its uncompressed length");
        assertThrows(IllegalStateException.class, () -> memo.put(1, data, 0, B, hit), "a block is put once");
    }
}
