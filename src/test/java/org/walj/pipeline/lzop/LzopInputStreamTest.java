package org.walj.pipeline.lzop;

import org.walj.pipeline.TestStreams.CloseTracking;

import org.walj.pipeline.CorruptObjectException;

import org.walj.pipeline.Codecs;
import org.walj.pipeline.Cli;
import org.walj.pipeline.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Header variants lzop can produce or accept, and every rejection the decoder must make, with its message. */
class LzopInputStreamTest {

    @TempDir
    Path dir;

    private static final byte[] TEXT = TestData.compressible(250_000, 21);
    private static final byte[] NOISE = TestData.random(5000, 22);

    // ------------------------------------------------------------ variants (each checked against lzop as well)

    /** Decodes {@code stream} with us and with lzop; both must give {@code expected}. */
    private void bothAccept(byte[] stream, byte[] expected) throws IOException {
        assertArrayEquals(expected, Codecs.unlzop(stream), "our decoder");
        Path f = dir.resolve("v.lzo");
        Files.write(f, stream);
        Cli.Result r = Cli.run(dir, f, Cli.lzop(), "-dc").assertSuccess("lzop -dc on the crafted stream");
        assertArrayEquals(expected, r.stdout(), "lzop");
    }

    @Test
    void oldHeaderShapeWithoutLevelAndMtimeHigh() throws IOException {
        // the shape depends on the *writer's* version (as in lzop), not on version_needed
        LzopBuilder b = new LzopBuilder();
        b.version = 0x0930;
        bothAccept(b.block(TEXT, false).block(NOISE, false).build(), LzopBuilder.concat(TEXT, NOISE));

        LzopBuilder n = new LzopBuilder();
        n.versionNeeded = 0x0900; // new shape although "needed" is old
        bothAccept(n.block(NOISE, false).build(), NOISE);
    }

    @Test
    void otherVersionNumbersAndLevels() throws IOException {
        LzopBuilder b = new LzopBuilder();
        b.version = 0x1030;
        b.libVersion = 0x2080;
        b.method = 3;
        b.level = 9;
        bothAccept(b.block(TEXT, false).build(), TEXT);
    }

    @Test
    void headerExtraFieldAndLongName() throws IOException {
        LzopBuilder b = new LzopBuilder();
        b.extra = "extra field content".getBytes();
        b.name = "n".repeat(255);
        bothAccept(b.block(TEXT, false).build(), TEXT);

        LzopBuilder c = new LzopBuilder().flags(0x03001101); // CRC-32 header and extra field checksums
        c.versionNeeded = 0x1001;
        c.extra = new byte[0];
        bothAccept(c.block(TEXT, false).build(), TEXT);
    }

    @Test
    void allFourBlockChecksums() throws IOException {
        int all = 0x03000000 | 0x1 | 0x2 | 0x100 | 0x200;
        byte[] both = LzopBuilder.concat(TEXT, NOISE);
        bothAccept(new LzopBuilder().flags(all).block(TEXT, false).block(NOISE, false).build(), both);
        bothAccept(Codecs.lzop(both, 0, 0, all | 0x1000), both);
        bothAccept(new LzopBuilder().flags(0x03000000 | 0x100 | 0x200).block(TEXT, false).build(), TEXT);
        // no checksums at all (lzop --no-checksum)
        bothAccept(new LzopBuilder().flags(0x03000000).block(TEXT, false).block(NOISE, true).build(), both);
        // lzop aborts on a compressed-data checksum without the data checksum; we simply read it
        assertArrayEquals(TEXT, Codecs.unlzop(new LzopBuilder().flags(0x03000002).block(TEXT, false).build()));
        assertThrows(IllegalArgumentException.class, () -> Codecs.lzop(TEXT, 0, 0, 0x03000002));
        assertThrows(IllegalArgumentException.class, () -> Codecs.lzop(TEXT, 0, 0, 0x03000040));
    }

    @Test
    void filterOnStoredAndCompressedBlocks() throws IOException {
        for (int filter : new int[] {1, 3, 16}) {
            LzopBuilder b = new LzopBuilder();
            b.filter = filter;
            b.versionNeeded = 0x0950;
            bothAccept(b.block(TEXT, false).block(NOISE, true).block(new byte[] {1, 2}, false).build(),
                    LzopBuilder.concat(TEXT, NOISE, new byte[] {1, 2}));
        }
    }

    @Test
    void smallBlocksAndBlocksLargerThanLzopWrites() throws IOException {
        byte[] big = TestData.compressible(3 * TestData.MIB, 23);
        byte[] stream = new LzopBuilder().block(new byte[] {7}, false).block(big, false).build();
        assertArrayEquals(LzopBuilder.concat(new byte[] {7}, big), Codecs.unlzop(stream));
    }

    // ------------------------------------------------------------ rejections

    private static CorruptObjectException corrupt(byte[] stream) {
        return assertThrows(CorruptObjectException.class, () -> Codecs.unlzop(stream));
    }

    private static void assertMessage(String expectedPart, byte[] stream) {
        CorruptObjectException e = corrupt(stream);
        assertTrue(e.getMessage().contains(expectedPart), "message was: " + e.getMessage());
        assertEquals(-1, e.getMessage().indexOf('\n'), "one line");
    }

    @Test
    void wrongMagic() {
        assertMessage("not an lzop stream (unrecognised leading bytes 00 01 02 03 04 05 06 07 ...)",
                new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
        assertMessage("not an lzop stream (empty object)", new byte[0]);
        assertMessage("truncated lzop stream: input ends in the header", Arrays.copyOf(Lzop.MAGIC, 5));
    }

    @Test
    void headerChecksum() throws IOException {
        byte[] good = Codecs.lzop(TEXT);
        byte[] s = good.clone();
        s[30] ^= 0x01; // mtime
        assertMessage("corrupt lzop stream: header checksum mismatch", s);
        s = good.clone();
        s[37] ^= 0x40; // the checksum itself
        assertMessage("header checksum mismatch", s);
        LzopBuilder b = new LzopBuilder();
        b.extra = new byte[] {1, 2, 3};
        byte[] e = b.block(TEXT, false).build();
        e[42] ^= 1; // inside the extra field
        assertMessage("header extra field checksum mismatch", e);
    }

    @Test
    void blockChecksums() throws IOException {
        byte[] stored = new LzopBuilder().block(NOISE, true).build();
        stored[60] ^= 0x10;
        assertMessage("checksum mismatch in block 1 (Adler-32 of the uncompressed data)", stored);

        byte[] crc = new LzopBuilder().flags(0x03000100).block(NOISE, true).build();
        crc[60] ^= 0x10;
        assertMessage("checksum mismatch in block 1 (CRC-32 of the uncompressed data)", crc);

        byte[] c = new LzopBuilder().flags(0x03000203).block(NOISE, true).block(TEXT, false).build();
        int dataOfBlock2 = 38 + 12 + NOISE.length + 20;
        c[dataOfBlock2 + 100] ^= 0x01;
        assertMessage("checksum mismatch in block 2 (Adler-32 of the compressed data)", c);
        byte[] c2 = new LzopBuilder().flags(0x03000200).block(TEXT, false).build();
        c2[38 + 8 + 4 + 100] ^= 0x01;
        assertMessage("checksum mismatch in block 1 (CRC-32 of the compressed data)", c2);

        byte[] compressed = Codecs.lzop(TEXT);
        compressed[38 + 12 + 1000] ^= 0x04;
        CorruptObjectException e = corrupt(compressed);
        assertTrue(e.getMessage().startsWith("corrupt lzop stream:"), e.getMessage());
    }

    @Test
    void impossibleLengths() {
        byte[] payload = Arrays.copyOf(NOISE, 100);
        assertMessage("block 1 has compressed length 100 for 99 bytes",
                new LzopBuilder().flags(0x03000000).rawBlock(99, 100, payload, payload).build());
        assertMessage("block 1 has compressed length 0 for 99 bytes",
                new LzopBuilder().flags(0x03000000).rawBlock(99, 0, payload, new byte[0]).build());
        assertMessage("block 1 claims 67108865 bytes, more than the maximum 67108864",
                new LzopBuilder().flags(0x03000000).rawBlock(64 * TestData.MIB + 1, 100, payload, payload).build());
        assertMessage("block 1 claims 4294967294 bytes",
                new LzopBuilder().flags(0x03000000).rawBlock(-2, 100, payload, payload).build());
        assertMessage("unsupported lzop stream: split (multi-part) file",
                new LzopBuilder().flags(0x03000000).rawBlock(-1, 100, payload, payload).build());
    }

    @Test
    void decompressedLengthMustMatchTheHeader() {
        // a valid LZO1X block for TEXT, announced as one byte longer
        LzopBuilder real = new LzopBuilder().flags(0x03000000).block(TEXT, false);
        byte[] s = real.build();
        int ulen = Lzop.getU32(s, 38);
        Lzop.putU32(s, 38, ulen + 1);
        assertMessage("block 1 decompresses to " + TEXT.length + " bytes, header says " + (TEXT.length + 1), s);
        // announced shorter: the decoder runs out of room
        Lzop.putU32(s, 38, ulen - 1);
        assertMessage("block 1 does not decompress (invalid LZO1X data)", s);
        // garbage that is not LZO1X
        byte[] junk = new byte[100];
        Arrays.fill(junk, (byte) 0xFF);
        assertMessage("does not decompress", new LzopBuilder().flags(0x03000000)
                .rawBlock(1000, 100, new byte[1000], junk).build());
    }

    @Test
    void unsupportedMethodFilterVersion() {
        LzopBuilder m = new LzopBuilder();
        m.method = 4;
        assertMessage("unsupported lzop compression method 4", m.block(TEXT, false).build());
        LzopBuilder f = new LzopBuilder();
        f.filter = 17;
        assertMessage("unsupported lzop filter 17", f.block(NOISE, true).build());
        assertMessage("unsupported lzop header flags 0x0300400d", new LzopBuilder().flags(0x0300400D).build());
        assertMessage("unsupported lzop stream: multi-part archive", new LzopBuilder().flags(0x0300040D).build());
        LzopBuilder v = new LzopBuilder();
        v.version = 0x0800;
        assertMessage("corrupt lzop header: version 0x0800", v.build());
    }

    @Test
    void truncationAnywhere() {
        byte[] s = new LzopBuilder().block(TEXT, false).block(NOISE, true).build();
        assertMessage("truncated lzop stream: input ends in the header", Arrays.copyOf(s, 20));
        assertMessage("truncated lzop stream: input ends before the first block", Arrays.copyOf(s, 38));
        assertMessage("truncated lzop stream: input ends in block 1", Arrays.copyOf(s, 45));
        assertMessage("truncated lzop stream: input ends in block 1", Arrays.copyOf(s, 1000));
        assertMessage("truncated lzop stream: input ends in block 2", Arrays.copyOf(s, s.length - 10));
        assertMessage("truncated lzop stream: input ends after block 2 (no end marker)",
                Arrays.copyOf(s, s.length - 4));
        assertMessage("truncated lzop stream: input ends after block 2 (no end marker)",
                Arrays.copyOf(s, s.length - 2));
        for (int cut = 0; cut < s.length; cut += 97) {
            int at = cut;
            assertThrows(CorruptObjectException.class, () -> Codecs.unlzop(Arrays.copyOf(s, at)), "cut at " + at);
        }
    }

    @Test
    void trailingBytesAndConcatenatedStreams() throws IOException {
        byte[] s = Codecs.lzop(TEXT);
        assertMessage("corrupt lzop stream: unexpected data after the end marker", LzopBuilder.concat(s, new byte[] {'x'}));
        assertMessage("unexpected data after the end marker", LzopBuilder.concat(s, s));
        assertMessage("unexpected data after the end marker",
                LzopBuilder.concat(s, new byte[100_000], new byte[] {1}));
        // lzop fails (exit 2, "warning") on both, so WAL-E does
        for (byte[] bad : new byte[][] {LzopBuilder.concat(s, new byte[] {'x'}), LzopBuilder.concat(s, s)}) {
            Path f = dir.resolve("bad.lzo");
            Files.write(f, bad);
            assertEquals(2, Cli.run(dir, f, Cli.lzop(), "-dc").exitCode());
        }
        // what we read before the error is the complete, verified data
        try (InputStream in = new LzopInputStream(new ByteArrayInputStream(LzopBuilder.concat(s, s)))) {
            byte[] got = in.readNBytes(TEXT.length);
            assertArrayEquals(TEXT, got);
            assertThrows(CorruptObjectException.class, in::read);
        }
    }

    @Test
    void zeroPaddingAfterTheEndMarkerIsAcceptedLikeLzopDoes() throws IOException {
        byte[] s = Codecs.lzop(TEXT);
        bothAccept(LzopBuilder.concat(s, new byte[1]), TEXT);
        bothAccept(LzopBuilder.concat(s, new byte[100_000]), TEXT);
    }

    // ------------------------------------------------------------ stream contract

    @Test
    void errorsAreStickyAndIoErrorsPassThrough() throws IOException {
        byte[] s = Codecs.lzop(TEXT);
        s[100] ^= 1;
        try (InputStream in = new LzopInputStream(new ByteArrayInputStream(s))) {
            CorruptObjectException first = assertThrows(CorruptObjectException.class, in::read);
            assertSame(first, assertThrows(CorruptObjectException.class, () -> in.read(new byte[10])));
        }

        IOException network = new IOException("connection reset");
        InputStream failing = new FilterInputStream(new ByteArrayInputStream(Codecs.lzop(TEXT))) {
            int count;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (++count > 3) {
                    throw network;
                }
                return super.read(b, off, Math.min(len, 20));
            }
        };
        try (InputStream in = new LzopInputStream(failing)) {
            IOException e = assertThrows(IOException.class, () -> in.readAllBytes());
            assertSame(network, e);
        }
    }

    @Test
    void readContract() throws IOException {
        byte[] data = TestData.compressible(600_000, 24);
        CloseTracking source = new CloseTracking(Codecs.lzop(data));
        InputStream in = new LzopInputStream(source);
        assertEquals(0, in.available());
        byte[] buf = new byte[1 << 20];
        assertEquals(Lzop.BLOCK_SIZE, in.read(buf), "one read returns at most one block");
        assertEquals(0, in.available());
        assertEquals(data[Lzop.BLOCK_SIZE] & 0xFF, in.read());
        assertEquals(Lzop.BLOCK_SIZE - 1, in.available());
        assertEquals(10, in.skip(10));
        assertEquals(0, in.read(buf, 0, 0));
        int n = in.read(buf, 5, 100);
        assertEquals(100, n);
        assertArrayEquals(Arrays.copyOfRange(data, Lzop.BLOCK_SIZE + 11, Lzop.BLOCK_SIZE + 111),
                Arrays.copyOfRange(buf, 5, 105));
        assertThrows(IndexOutOfBoundsException.class, () -> in.read(buf, buf.length, 1));
        in.close();
        assertTrue(source.closed);
        in.close();
        IOException e = assertThrows(IOException.class, in::read);
        assertTrue(e.getMessage().contains("closed"));
    }

    @Test
    void hugeDeclaredBlockIsNotAllocatedUpFront() {
        byte[] header = new LzopBuilder().flags(0x03000000).header();
        byte[] blockHeader = new byte[8];
        Lzop.putU32(blockHeader, 0, 64 * TestData.MIB);
        Lzop.putU32(blockHeader, 4, 64 * TestData.MIB - 1);
        byte[] s = LzopBuilder.concat(header, blockHeader, new byte[1000]);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        CorruptObjectException e = corrupt(s);
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertTrue(e.getMessage().contains("input ends in block 1"), e.getMessage());
        assertTrue(allocated < 8 * TestData.MIB, "allocated " + allocated + " bytes for a 1000-byte block");
        assertInstanceOf(java.io.EOFException.class, e.getCause());
    }
}
