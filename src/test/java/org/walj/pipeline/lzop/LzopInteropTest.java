package org.walj.pipeline.lzop;

import org.walj.pipeline.Codecs;
import org.walj.pipeline.Cli;
import org.walj.pipeline.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Our lzop streams against the real lzop 1.04 binary, both ways, on WAL-like and edge-size inputs. */
class LzopInteropTest {

    private static List<TestData.Input> inputs;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() {
        Cli.lzop(); // fail early and clearly if lzop is not installed
        inputs = TestData.standardInputs();
    }

    static List<TestData.Input> inputs() {
        if (inputs == null) {
            inputs = TestData.standardInputs();
        }
        return inputs;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inputs")
    void lzopTestsAndDecompressesOurOutput(TestData.Input input) throws IOException {
        Path file = dir.resolve("ours.lzo");
        Files.write(file, Codecs.lzop(input.data()));

        Cli.run(dir, null, Cli.lzop(), "-t", file.toString()).assertSuccess("lzop -t");
        Cli.Result r = Cli.run(dir, file, Cli.lzop(), "-dc").assertSuccess("lzop -dc");
        assertArrayEquals(input.data(), r.stdout(), "lzop -dc must restore the input byte for byte");
        assertTrue(r.stderr().isEmpty(), "lzop must not warn: " + r.stderr());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inputs")
    void weDecompressEveryLzopVariant(TestData.Input input) throws IOException {
        Path plain = dir.resolve("data.bin");
        Files.write(plain, input.data());
        List<List<String>> stdinVariants = new ArrayList<>(List.of(List.of(), List.of("-1"), List.of("--crc32"),
                List.of("--no-checksum"), List.of("--filter=1"), List.of("--filter=16")));
        boolean small = input.data().length < TestData.MIB;
        if (small || input.name().equals("wal-segment")) {
            stdinVariants.add(List.of("-9")); // LZO1X-999 is slow (seconds per 16 MiB of text)
        }
        if (small) {
            // the slow LZO1X-999 levels once more, and odd filters, only where cheap
            stdinVariants.addAll(List.of(List.of("-7"), List.of("-8", "--crc32"), List.of("--filter=7")));
        }
        List<String> failures = new ArrayList<>();
        for (List<String> options : stdinVariants) {
            // lzop -c < file: stdin is the file itself (as for WAL-E's WAL segments), no name in the header
            Cli.Result r = Cli.run(dir, plain, Cli.args(Cli.lzop(), options, "-c")).assertSuccess("lzop " + options);
            check(input, r.stdout(), "lzop -c " + options + " < file", failures);
        }
        // a file named on the command line: its name goes into the header
        Cli.Result named = Cli.run(dir, null, Cli.lzop(), "-c", plain.getFileName().toString())
                .assertSuccess("lzop -c data.bin");
        assertEquals("data.bin", LzopLayout.parse(named.stdout()).name());
        check(input, named.stdout(), "lzop -c data.bin", failures);

        Cli.run(dir, null, Cli.lzop(), "-o", "named.lzo", plain.toString()).assertSuccess("lzop -o");
        check(input, Files.readAllBytes(dir.resolve("named.lzo")), "lzop -o named.lzo /abs/data.bin", failures);

        Cli.run(dir, null, Cli.lzop(), "-1", "--crc32", "-P", "-o", "path.lzo", "data.bin").assertSuccess("lzop -P");
        check(input, Files.readAllBytes(dir.resolve("path.lzo")), "lzop -1 --crc32 -P", failures);

        // from a pipe, as WAL-E's tar partitions (mode 0, mtime now)
        Cli.Result piped = Cli.run(dir, null, "bash", "-c", "set -o pipefail; cat data.bin | " + Cli.lzop() + " -c")
                .assertSuccess("cat | lzop -c");
        assertEquals(0, LzopLayout.parse(piped.stdout()).mode());
        check(input, piped.stdout(), "cat | lzop -c", failures);

        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    private static void check(TestData.Input input, byte[] stream, String how, List<String> failures) {
        try {
            if (!Arrays.equals(input.data(), Codecs.unlzop(stream))) {
                failures.add(how + ": decoded bytes differ");
            }
        } catch (IOException e) {
            failures.add(how + ": " + e);
        }
    }

    /**
     * With the same stdin (a regular file: WAL-E's WAL case) our header is byte-identical to lzop's, checksum
     * included, and the block structure (lengths, stored-or-compressed, data checksums) is the same: our default
     * against {@code lzop --crc32 -c}, and the Adler-32 flags against WAL-E's plain {@code lzop -c}.
     */
    @Test
    void headerAndBlockStructureMatchLzopForAFileOnStdin() throws IOException {
        matchLzopForAFileOnStdin(LzopOutputStream.DEFAULT_FLAGS, 0x0300110C, List.of("--crc32", "-c"));
        matchLzopForAFileOnStdin(LzopOutputStream.ADLER32_FLAGS, 0x0300000D, List.of("-c"));
    }

    private void matchLzopForAFileOnStdin(int flags, int expectedFlags, List<String> lzopOptions) throws IOException {
        for (TestData.Input input : List.of(new TestData.Input("wal", TestData.walSegment()),
                new TestData.Input("mixed", TestData.mixed(900 * TestData.KIB, 9)),
                new TestData.Input("random", TestData.random(600 * TestData.KIB, 10)),
                new TestData.Input("empty", new byte[0]))) {
            Path plain = dir.resolve(input.name());
            Files.write(plain, input.data());
            Files.setPosixFilePermissions(plain, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            Files.setLastModifiedTime(plain, FileTime.fromMillis(1_700_000_123_000L));
            int mode = (Integer) Files.getAttribute(plain, "unix:mode");
            long mtime = Files.getLastModifiedTime(plain).toMillis() / 1000;
            assertEquals(0100600, mode);

            byte[] theirs = Cli.run(dir, plain, Cli.args(Cli.lzop(), lzopOptions)).assertSuccess("lzop " + lzopOptions)
                    .stdout();
            byte[] ours = Codecs.lzop(input.data(), mode, mtime, flags);

            LzopLayout t = LzopLayout.parse(theirs);
            LzopLayout o = LzopLayout.parse(ours);
            assertEquals(38, o.headerEnd());
            assertArrayEquals(Arrays.copyOf(theirs, t.headerEnd()), Arrays.copyOf(ours, o.headerEnd()),
                    input.name() + ": header differs from lzop's");
            assertEquals(expectedFlags, o.flags());
            assertEquals(t.blocks().size(), o.blocks().size(), input.name() + ": block count");
            for (int i = 0; i < t.blocks().size(); i++) {
                LzopLayout.Block tb = t.blocks().get(i);
                LzopLayout.Block ob = o.blocks().get(i);
                assertEquals(tb.uncompressedLength(), ob.uncompressedLength(), input.name() + " block " + i);
                assertEquals(tb.dataChecksum(), ob.dataChecksum(), input.name() + " block " + i);
                assertEquals(tb.headerLength(), ob.headerLength(), input.name() + " block " + i);
                if (tb.stored()) {
                    assertTrue(ob.stored(), input.name() + " block " + i + " is stored by lzop, compressed by us");
                }
            }
            assertEquals(ours.length - 4, o.endMarker());
            if (input.name().equals("wal")) {
                System.out.printf("WAL segment: lzop -c %d bytes, ours %d bytes%n", theirs.length, ours.length);
                assertTrue(ours.length < theirs.length * 1.25, "our LZO1X output is much larger than lzop's");
            }
        }
    }

    /** For piped input (WAL-E's partitions) lzop writes mode 0 and the current time: same structure as ours. */
    @Test
    void headerMatchesLzopForAPipe() throws IOException {
        Path plain = dir.resolve("p.bin");
        Files.write(plain, TestData.compressible(300_000, 5));
        // a pipe's inode times come from the kernel's coarse clock, which may lag the JVM's by a tick: one second slack
        long before = System.currentTimeMillis() / 1000 - 1;
        byte[] theirs = Cli.run(dir, null, "bash", "-c", "set -o pipefail; cat p.bin | " + Cli.lzop() + " --crc32 -c")
                .assertSuccess("lzop").stdout();
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (LzopOutputStream out = LzopOutputStream.forPipe(bytes)) {
            out.write(Files.readAllBytes(plain));
        }
        byte[] ours = bytes.toByteArray();
        long after = System.currentTimeMillis() / 1000 + 1;

        LzopLayout t = LzopLayout.parse(theirs);
        LzopLayout o = LzopLayout.parse(ours);
        // identical except the mtime (and so the checksum): magic, versions, method, level, flags, mode, name
        assertArrayEquals(Arrays.copyOf(theirs, 9 + 16), Arrays.copyOf(ours, 9 + 16));
        assertArrayEquals(Arrays.copyOfRange(theirs, 9 + 24, 9 + 25), Arrays.copyOfRange(ours, 9 + 24, 9 + 25));
        assertEquals(0, o.mode());
        assertTrue(o.mtime() >= before && o.mtime() <= after, "mtime is now");
        assertTrue(t.mtime() >= before && t.mtime() <= after, "lzop's mtime is now");
        assertEquals(t.blocks().size(), o.blocks().size());
    }
}
