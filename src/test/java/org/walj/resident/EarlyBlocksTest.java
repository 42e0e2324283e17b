package org.walj.resident;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.walj.pipeline.BlockMemo;
import org.walj.pipeline.BlockPrecoder;
import org.walj.pipeline.EncoderOptions;
import org.walj.pipeline.codecs.Compression;

/**
 * Following the segment PostgreSQL writes, in a temporary pg_wal of 1 MiB segments (four 256 KiB lzop blocks) whose
 * pages are written here as PostgreSQL writes them: a header with the page's WAL address, then payload.
 */
class EarlyBlocksTest {
    private static final int MIB = 1024 * 1024;
    private static final int BLOCK = 256 * 1024;
    private static final int PAGE = 8192;
    private static final String N = "000000010000000000000003";
    private static final String NEXT = "000000010000000000000004";
    private static final long NEXT_LSN = 4L * MIB;

    @TempDir
    Path walDir;
    private BlockPrecoder precoder;

    @BeforeEach
    void segments() throws IOException {
        Files.createDirectories(walDir.resolve("archive_status"));
        Files.write(walDir.resolve(N), new byte[MIB]);
        Files.write(walDir.resolve("archive_status").resolve(N + ".ready"), new byte[0]);
        precoder = Compression.LZO.codec().blockPrecoder().orElseThrow();
        // recycled: every page carries the address it had in an older segment
        writePages(walDir.resolve(NEXT), 0, MIB, 1, 1L * MIB, 7);
    }

    /** Writes pages [from, to) of {@code file} as a segment starting at {@code segmentLsn} on {@code timeline}. */
    private static void writePages(Path file, int from, int to, long timeline, long segmentLsn, long seed)
            throws IOException {
        Random r = new Random(seed + from);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            for (int off = from; off < to; off += PAGE) {
                ByteBuffer page = ByteBuffer.allocate(PAGE).order(ByteOrder.LITTLE_ENDIAN);
                page.putShort((short) 0xD110).putShort((short) 0).putInt((int) timeline).putLong(segmentLsn + off);
                while (page.remaining() >= 8) {
                    page.putLong(r.nextInt(64)); // compressible, like WAL records
                }
                page.flip();
                ch.write(page, off);
            }
        }
    }

    private Path next() {
        return walDir.resolve(NEXT);
    }

    private byte[] pushed(Optional<BlockMemo> memo) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream lzop = Compression.LZO.codec().encoder(out, EncoderOptions.file(0100600, 1L).withMemo(memo))) {
            lzop.write(Files.readAllBytes(next()));
        }
        return out.toByteArray();
    }

    @Test
    void blocksAreEncodedOnceThePageAfterThemIsThisSegments() throws IOException {
        EarlyBlocks early = EarlyBlocks.manual(precoder);
        early.follow(walDir.resolve(N));
        assertEquals(0, early.tick(), "a recycled file: no page carries this segment's addresses yet");
        assertEquals(0, early.encoded(next()));

        writePages(next(), 0, 2 * BLOCK + PAGE, 1, NEXT_LSN, 1); // blocks 0 and 1, and block 2's first page
        assertEquals(2, early.tick());
        assertEquals(2, early.encoded(next()), "blocks 0 and 1 are final; 2 is being written");
        assertEquals(0, early.tick(), "nothing new");

        writePages(next(), 2 * BLOCK + PAGE, MIB, 1, NEXT_LSN, 2); // the rest of the segment
        assertEquals(1, early.tick());
        assertEquals(3, early.encoded(next()), "the last block is left to the push");

        BlockMemo memo = early.take(next()).orElseThrow();
        assertEquals(Optional.empty(), early.take(next()), "handed out once");
        byte[] withMemo = pushed(Optional.of(memo));
        assertArrayEquals(pushed(Optional.empty()), withMemo);
        assertEquals(3, memo.used());
        early.close();
    }

    @Test
    void aLateRequestForTheSegmentBeforeDoesNotStartTheFinishedOneOver() throws IOException {
        EarlyBlocks early = EarlyBlocks.manual(precoder);
        early.follow(walDir.resolve(N)); // the watcher's event
        writePages(next(), 0, MIB, 1, NEXT_LSN, 1);
        early.tick();
        assertEquals(3, early.encoded(next()));
        early.follow(walDir.resolve(N)); // the request for N, arriving after NEXT was encoded
        assertEquals(0, early.tick());
        assertEquals(3, early.encoded(next()), "still the memo encoded before, not a new one");
        assertEquals(3, early.take(next()).orElseThrow().blocks() - 1);
        early.close();
    }

    @Test
    void aBlockWrittenAgainAfterItWasEncodedIsEncodedByThePush() throws IOException {
        EarlyBlocks early = EarlyBlocks.manual(precoder);
        early.follow(walDir.resolve(N));
        writePages(next(), 0, MIB, 1, NEXT_LSN, 1);
        early.tick();
        assertEquals(3, early.encoded(next()));
        writePages(next(), BLOCK, 2 * BLOCK, 1, NEXT_LSN, 99); // block 1 changes after all

        BlockMemo memo = early.take(next()).orElseThrow();
        assertArrayEquals(pushed(Optional.empty()), pushed(Optional.of(memo)));
        assertEquals(2, memo.used(), "blocks 0 and 2 only");
    }

    @Test
    void pagesOfAnotherTimelineDoNotCount() throws IOException {
        EarlyBlocks early = EarlyBlocks.manual(precoder);
        early.follow(walDir.resolve(N));
        writePages(next(), 0, MIB, 2, NEXT_LSN, 1); // the right addresses, timeline 2 in a timeline-1 file
        assertEquals(0, early.tick());
        assertEquals(0, early.encoded(next()));
    }

    @Test
    void aSegmentAlreadyCompleteOrMissingIsNotFollowed() throws IOException {
        EarlyBlocks early = EarlyBlocks.manual(precoder);
        Files.write(walDir.resolve("archive_status").resolve(NEXT + ".ready"), new byte[0]);
        early.follow(walDir.resolve(N));
        assertEquals(-1, early.encoded(next()), "a backlog: its push starts now anyway");

        Files.delete(walDir.resolve("archive_status").resolve(NEXT + ".ready"));
        Files.delete(next());
        Files.createDirectory(next());
        early.follow(walDir.resolve(N));
        assertEquals(-1, early.encoded(next()), "not a file");
        early.follow(walDir.resolve("not-a-segment"));
        assertEquals(0, early.tick());
    }

    @Test
    void aNextSegmentNotCreatedYetIsFollowedOnceItAppears() throws IOException {
        EarlyBlocks early = EarlyBlocks.manual(precoder);
        Files.delete(next()); // PostgreSQL marked N ready and has not created N+1 yet
        early.follow(walDir.resolve(N));
        assertEquals(0, early.tick());
        assertEquals(0, early.encoded(next()), "followed, waiting for the file");
        writePages(next(), 0, 2 * BLOCK + PAGE, 1, NEXT_LSN, 1);
        assertEquals(2, early.tick());
    }

    @Test
    @Timeout(60)
    void aNextSegmentThatDoesNotAppearIsGivenUp() throws Exception {
        EarlyBlocks early = EarlyBlocks.manual(precoder);
        Files.delete(next());
        early.follow(walDir.resolve(N));
        Thread.sleep(java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(EarlyBlocks.MISSING_NANOS) + 200);
        assertEquals(0, early.tick(), "given up");
        writePages(next(), 0, 2 * BLOCK + PAGE, 1, NEXT_LSN, 1);
        assertEquals(0, early.tick(), "no longer polled");
        assertEquals(0, early.encoded(next()));
    }

    @Test
    void segmentsLargerThanTheMemosAreMadeForAreNotFollowed() throws IOException {
        long size = 2 * EarlyBlocks.LARGEST_SEGMENT;
        Path ready = walDir.resolve("000000010000000000000001");
        Path written = walDir.resolve("000000010000000000000002");
        try (FileChannel ch = FileChannel.open(ready, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.truncate(0).write(ByteBuffer.allocate(1), size - 1); // sparse
        }
        try (FileChannel ch = FileChannel.open(written, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(1), size - 1);
        }
        writePages(written, 0, 2 * BLOCK, 1, 2 * size, 1); // block 0 is final, as it would be in a smaller segment
        EarlyBlocks early = EarlyBlocks.manual(precoder);
        early.follow(ready);
        assertEquals(0, early.tick());
        assertEquals(-1, early.encoded(written), "not followed");
    }

    @Test
    void oneMemoWaitsForItsPushTheOldestGoes() throws IOException {
        EarlyBlocks early = EarlyBlocks.manual(precoder);
        Path n5 = walDir.resolve("000000010000000000000005");
        Path n6 = walDir.resolve("000000010000000000000006");
        Files.write(n5, new byte[MIB]);
        Files.write(n6, new byte[MIB]);
        early.follow(walDir.resolve(N)); // follows 04
        early.follow(next()); // 04 complete: follows 05, keeps 04's memo for its push
        assertEquals(0, early.encoded(next()));
        early.follow(walDir.resolve(N)); // late news of an older segment changes nothing
        assertEquals(0, early.encoded(n5));
        early.follow(n5); // follows 06, keeps 05's memo; 04's goes
        assertEquals(-1, early.encoded(next()));
        assertEquals(Optional.empty(), early.take(next()));
        assertTrue(early.take(n5).isPresent());
        assertTrue(early.take(n6).isPresent());
    }

    @Test
    @Timeout(60)
    void itsOwnThreadFollowsTheSegmentUntilOnlyTheLastBlockIsLeft() throws Exception {
        EarlyBlocks early = EarlyBlocks.start(precoder);
        try {
            early.follow(walDir.resolve(N));
            writePages(next(), 0, MIB, 1, NEXT_LSN, 1);
            while (early.encoded(next()) < 3) {
                Thread.sleep(10);
            }
            assertEquals(3, early.take(next()).orElseThrow().blocks() - 1);
        } finally {
            early.close();
        }
    }
}
