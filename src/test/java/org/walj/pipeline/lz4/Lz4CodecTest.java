package org.walj.pipeline.lz4;

import org.walj.pipeline.CorruptObjectException;

import org.walj.pipeline.lzop.LzopBuilder;

import org.walj.pipeline.TestStreams;

import org.walj.pipeline.Codecs;
import org.walj.pipeline.Cli;
import org.walj.pipeline.TestData;
import org.walj.pipeline.codecs.Compression;
import net.jpountz.xxhash.XXHashFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** LZ4 frames: round trip, interop with the lz4 CLI both ways, and damage reported as CorruptObjectException. */
public class Lz4CodecTest {

    private static List<TestData.Input> inputs;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() {
        Cli.lz4();
        inputs = new ArrayList<>(TestData.smallInputs());
        inputs.add(new TestData.Input("16MiB-compressible", TestData.compressible(16 * TestData.MIB, 41)));
        inputs.add(new TestData.Input("wal-segment", TestData.walSegment()));
    }

    public static byte[] lz4(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = Lz4Codec.compress(bytes)) {
            Codecs.writeInPieces(out, data);
        }
        return bytes.toByteArray();
    }

    public static byte[] unlz4(byte[] frame) throws IOException {
        try (InputStream in = Compression.LZ4.decompress(new ByteArrayInputStream(frame))) {
            return Codecs.readAll(in);
        }
    }

    @Test
    void roundTripAndLz4CliReadsOurFrames() throws IOException {
        for (TestData.Input input : inputs) {
            byte[] frame = lz4(input.data());
            assertArrayEquals(input.data(), unlz4(frame), input.name());
            // FLG: version 01, independent blocks, block checksums, content checksum; BD: 256 KiB blocks
            assertEquals(0x74, frame[4] & 0xFF, input.name());
            assertEquals(0x50, frame[5] & 0xFF, input.name());
            Path f = dir.resolve("ours.lz4");
            Files.write(f, frame);
            Cli.run(dir, null, Cli.lz4(), "-q", "-t", f.toString()).assertSuccess("lz4 -t " + input.name());
            Cli.Result r = Cli.run(dir, f, Cli.lz4(), "-q", "-d", "-c").assertSuccess("lz4 -dc " + input.name());
            assertArrayEquals(input.data(), r.stdout(), "lz4 -dc " + input.name());
        }
    }

    @Test
    void weReadWhatTheLz4CliWrites() throws IOException {
        List<List<String>> variants = List.of(List.of(), List.of("-1"), List.of("-9"), List.of("--content-size"),
                List.of("--no-frame-crc"), List.of("-BX"), List.of("-B4"), List.of("-B5", "-BX", "--content-size"));
        List<String> failures = new ArrayList<>();
        for (TestData.Input input : inputs) {
            Path plain = dir.resolve("in.bin");
            Files.write(plain, input.data());
            for (List<String> options : variants) {
                if (options.contains("-9") && input.data().length > TestData.MIB) {
                    continue; // slow and adds nothing over the small inputs
                }
                byte[] frame = Cli.run(dir, plain, Cli.args(Cli.lz4(), options, "-q", "-c")).assertSuccess("lz4")
                        .stdout();
                try {
                    if (!Arrays.equals(input.data(), unlz4(frame))) {
                        failures.add(input.name() + " lz4 " + options + ": bytes differ");
                    }
                } catch (IOException e) {
                    failures.add(input.name() + " lz4 " + options + ": " + e);
                }
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));

        // concatenated frames decode as one stream, as with lz4 -d
        byte[] a = TestData.compressible(100_000, 42);
        byte[] b = TestData.random(1000, 43);
        assertArrayEquals(LzopBuilder.concat(a, b), unlz4(LzopBuilder.concat(lz4(a), lz4(b))));
    }

    @Test
    void linkedBlocksFromTheLz4CliDecode() throws IOException {
        Path plain = dir.resolve("in.bin");
        int linked = 0;
        for (TestData.Input input : inputs) {
            Files.write(plain, input.data());
            for (List<String> options : List.of(List.of("-B4"), List.of("-B5", "--content-size"), List.of("-B7"),
                    List.of("-9", "-B4", "--no-frame-crc"))) {
                if (options.contains("-9") && input.data().length > TestData.MIB) {
                    continue;
                }
                byte[] frame = Cli.run(dir, plain, Cli.args(Cli.lz4(), options, "-q", "-BD", "-c"))
                        .assertSuccess("lz4 -BD").stdout();
                linked += (frame[4] & 0x20) == 0 ? 1 : 0; // one block: lz4 marks it independent
                assertArrayEquals(input.data(), unlz4(frame), input.name() + " lz4 -BD " + options);
            }
        }
        assertTrue(linked >= 8, linked + " frames with linked blocks");
    }

    /**
     * Without block checksums every flip reaches the linked-block decoder: it must fail with a one-line corruption
     * report, never overrun or hang. (Wrong bytes may be handed out first: only the content checksum at the end
     * covers them, as with the lz4 tool.)
     */
    @Test
    void bitFlipsInLinkedBlocksFail() throws IOException {
        Path plain = dir.resolve("in.bin");
        byte[] data = TestData.mixed(700 * TestData.KIB, 49);
        Files.write(plain, data);
        byte[] frame = Cli.run(dir, plain, Cli.lz4(), "-q", "-B4", "-BD", "-c").assertSuccess("lz4 -BD").stdout();
        Random random = new Random(6);
        for (int c = 0; c < 300; c++) {
            byte[] bad = frame.clone();
            int pos = 7 + random.nextInt(frame.length - 7);
            bad[pos] ^= (byte) (1 << random.nextInt(8));
            CorruptObjectException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                    () -> assertThrows(CorruptObjectException.class, () -> unlz4(bad)), "flip at " + pos);
            assertEquals(-1, e.getMessage().indexOf('\n'), e.getMessage());
        }
    }

    @Test
    void truncationFails() {
        byte[] data = TestData.mixed(700 * TestData.KIB, 45);
        byte[] frame = assertDoesNotThrowIo(() -> lz4(data));
        Random random = new Random(4);
        List<Integer> cuts = new ArrayList<>(List.of(1, 3, 4, 5, 6, 7, 10, frame.length - 8, frame.length - 4,
                frame.length - 1));
        for (int i = 0; i < 80; i++) {
            cuts.add(1 + random.nextInt(frame.length - 1));
        }
        for (int cut : cuts) {
            CorruptObjectException e = expectCorrupt("cut at " + cut, Arrays.copyOf(frame, cut), data);
            if (cut >= 7) {
                assertTrue(e.getMessage().startsWith("truncated LZ4 frame") || e.getMessage().startsWith(
                        "corrupt LZ4 frame"), e.getMessage());
            }
        }
        assertEquals("truncated LZ4 frame: input ends in the content checksum",
                expectCorrupt("end mark cut", Arrays.copyOf(frame, frame.length - 1), data).getMessage());
    }

    @Test
    void bitFlipsAndTrailingGarbageFail() {
        byte[] data = TestData.mixed(700 * TestData.KIB, 46);
        byte[] frame = assertDoesNotThrowIo(() -> lz4(data));
        Random random = new Random(5);
        for (int c = 0; c < 150; c++) {
            byte[] bad = frame.clone();
            // skip the magic (that is the sniffer's job) and the frame descriptor, whose 1-byte hash lets
            // 1 flip in 256 through as a different but valid descriptor
            int pos = 7 + random.nextInt(frame.length - 7);
            bad[pos] ^= (byte) (1 << random.nextInt(8));
            expectCorrupt("flip at " + pos, bad, data);
        }
        expectCorrupt("garbage", LzopBuilder.concat(frame, new byte[] {1, 2, 3, 4, 5}), data);
        expectCorrupt("short garbage", LzopBuilder.concat(frame, new byte[] {1, 2}), data);
        assertEquals("corrupt LZ4 frame: frame descriptor checksum mismatch",
                expectCorrupt("descriptor hash", flip(frame, 6), data).getMessage());
        assertEquals("corrupt LZ4 frame: frame descriptor checksum mismatch",
                expectCorrupt("descriptor reserved bit", flip(frame, 5), data).getMessage());
        byte[] reserved = flip(frame, 5);
        reserved[6] = (byte) (XXHashFactory.fastestJavaInstance().hash32().hash(reserved, 4, 2, 0) >> 8);
        assertEquals("corrupt LZ4 frame: unsupported frame descriptor (FLG 0x74, BD 0x51)",
                expectCorrupt("descriptor reserved bit, hash fixed", reserved, data).getMessage());
    }

    private static byte[] flip(byte[] b, int pos) {
        byte[] c = b.clone();
        c[pos] ^= 0x01;
        return c;
    }

    @Test
    void sourceFailuresAreNotCorruption() throws IOException {
        IOException network = new IOException("connection reset");
        byte[] frame = lz4(TestData.compressible(TestData.MIB, 47));
        InputStream failing = new FilterInputStream(new ByteArrayInputStream(frame)) {
            int reads;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (++reads > 5) {
                    throw network;
                }
                return super.read(b, off, Math.min(len, 1000));
            }
        };
        try (InputStream in = Lz4Codec.decompress(failing)) {
            assertSame(network, assertThrows(IOException.class, in::readAllBytes));
            assertSame(network, assertThrows(IOException.class, in::read), "sticky");
        }
    }

    @Test
    void writerClosesTargetEvenWhenFinishingFails() throws IOException {
        TestStreams.FailingSink sink = new TestStreams.FailingSink(100);
        OutputStream out = Lz4Codec.compress(sink);
        out.write(new byte[50_000]); // buffered: nothing reaches the sink yet
        IOException e = assertThrows(IOException.class, out::close);
        assertEquals("disk full", e.getMessage());
        assertTrue(sink.closed);
        assertThrows(IOException.class, () -> out.write(1));
    }

    @Test
    void writeFailureLeavesTheFrameUnfinished() throws IOException {
        TestStreams.FailingSink sink = new TestStreams.FailingSink(100_000);
        OutputStream out = Lz4Codec.compress(sink);
        byte[] random = TestData.random(5 * TestData.MIB, 48);
        assertEquals("disk full", assertThrows(IOException.class, () -> out.write(random)).getMessage());
        int written = sink.written;
        assertThrows(IOException.class, () -> out.write(1));
        IOException e = assertThrows(IOException.class, out::close);
        assertTrue(e.getMessage().contains("earlier write failed"), e.getMessage());
        assertTrue(sink.closed);
        assertEquals(written, sink.written, "no end mark after a failure");
    }

    private static CorruptObjectException expectCorrupt(String what, byte[] damaged, byte[] original) {
        return assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            ByteArrayOutputStream delivered = new ByteArrayOutputStream();
            try (InputStream in = Lz4Codec.decompress(new ByteArrayInputStream(damaged))) {
                in.transferTo(delivered);
                fail(what + ": decoded without error");
                return null;
            } catch (CorruptObjectException e) {
                byte[] got = delivered.toByteArray();
                assertTrue(got.length <= original.length && Arrays.equals(got, 0, got.length, original, 0,
                        got.length), what + ": wrong bytes before the error");
                assertEquals(-1, e.getMessage().indexOf('\n'));
                return e;
            }
        }, what + ": hung");
    }

    interface IoSupplier<T> {
        T get() throws IOException;
    }

    static <T> T assertDoesNotThrowIo(IoSupplier<T> s) {
        try {
            return s.get();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
