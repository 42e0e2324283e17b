package org.walj.pipeline;

import org.walj.pipeline.lz4.Lz4CodecTest;

import org.walj.pipeline.lzop.LzopInputStream;

import org.walj.pipeline.codecs.Compression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PushbackInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Format sniffing: what a wrong object is said to be, with real gpg, lzop and lz4 output. */
class StreamFormatTest {

    private static final String PGP_MESSAGE =
            "object is PGP-encrypted but no GPG key is configured (set WALE_GPG_KEY_ID)";

    @TempDir
    Path dir;

    private static String lzoError(byte[] object) {
        return assertThrows(CorruptObjectException.class,
                () -> Compression.LZO.decompress(new ByteArrayInputStream(object))).getMessage();
    }

    private static String lz4Error(byte[] object) {
        return assertThrows(CorruptObjectException.class,
                () -> Compression.LZ4.decompress(new ByteArrayInputStream(object))).getMessage();
    }

    private static StreamFormat detect(byte[] b) {
        return StreamFormat.detect(b, Math.min(b.length, StreamFormat.PROBE_LENGTH));
    }

    @Test
    void realGpgOutputIsRecognised() throws IOException {
        Path home = Files.createDirectory(dir.resolve("gnupg"));
        Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Path plain = dir.resolve("segment.lzo");
        Files.write(plain, Codecs.lzop(TestData.compressible(100_000, 61)));
        Map<String, String> env = Map.of("GNUPGHOME", home.toString());
        String gpg = Cli.gpg();
        try {
            byte[] symmetric = Cli.run(dir, null, env, gpg, "--batch", "--symmetric", "--passphrase", "x",
                    "--pinentry-mode", "loopback", "-o", "-", plain.toString()).assertSuccess("gpg -c").stdout();
            Cli.run(dir, null, env, gpg, "--batch", "--passphrase", "", "--quick-gen-key", "walj <t@example.org>",
                    "rsa2048", "sign,encr", "never").assertSuccess("gpg --quick-gen-key");
            // WAL-E's own command line: gpg -e -z 0 -r KEYID
            byte[] publicKey = Cli.run(dir, null, env, gpg, "--batch", "--trust-model", "always", "-e", "-z", "0",
                    "-r", "t@example.org", "-o", "-", plain.toString()).assertSuccess("gpg -e").stdout();
            for (byte[] encrypted : List.of(symmetric, publicKey)) {
                assertEquals(StreamFormat.OPENPGP, detect(encrypted), HexFormat.of().formatHex(encrypted, 0, 8));
                assertEquals(PGP_MESSAGE, lzoError(encrypted));
                assertEquals(PGP_MESSAGE, lz4Error(encrypted));
            }
            assertEquals(0x84, publicKey[0] & 0xFC, "old-format PKESK");
            assertEquals(0x8C, symmetric[0] & 0xFC, "old-format SKESK");
        } finally {
            Cli.run(dir, null, env, "gpgconf", "--kill", "gpg-agent");
        }
    }

    @Test
    void openPgpPacketShapes() {
        HexFormat hex = HexFormat.of();
        // new-format PKESK (RFC 4880 v3) and SKESK v4, v6; old-format compressed and literal packets
        for (String s : List.of("c15e03aabbccddeeff001101", "c30d04090302aabbccddeeff", "c33406", "a3013c",
                "ac0b62046e616d65", "cb0a7500000000", "c8020178", "8501 8c03 fe357069".replace(" ", ""))) {
            assertEquals(StreamFormat.OPENPGP, detect(hex.parseHex(s)), s);
        }
        // right tags, wrong versions / algorithms / lengths: not recognised
        for (String s : List.of("c15e04", "8c0d07", "c30d02", "ac0b7a", "84", "c1", "c1ff", "c1e00300", "a309",
                "8401", "8800", "c2050400")) {
            assertEquals(StreamFormat.UNKNOWN, detect(hex.parseHex(s)), s);
        }
        // conservative: random data is almost never taken for OpenPGP
        Random random = new Random(62);
        int pgp = 0;
        for (int i = 0; i < 100_000; i++) {
            byte[] b = new byte[16];
            random.nextBytes(b);
            if (detect(b) == StreamFormat.OPENPGP) {
                pgp++;
            }
        }
        assertTrue(pgp < 300, pgp + " of 100000 random heads taken for OpenPGP");
    }

    @Test
    void wrongCompressionIsNamed() throws IOException {
        byte[] lz4 = Lz4CodecTest.lz4(TestData.compressible(10_000, 63));
        byte[] lzo = Codecs.lzop(TestData.compressible(10_000, 63));
        assertEquals("not an lzop stream (it looks like an LZ4 frame)", lzoError(lz4));
        assertEquals("not an LZ4 frame (it looks like an lzop stream)", lz4Error(lzo));
        assertEquals("not an LZ4 frame (it looks like an lzop stream)",
                assertThrows(CorruptObjectException.class, () -> Lz4CodecTest.unlz4(lzo))
                        .getMessage());

        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(new byte[1000]);
        }
        assertEquals("not an lzop stream (it looks like gzip data)", lzoError(gz.toByteArray()));
        byte[] zstd = HexFormat.of().parseHex("28b52ffd2400110000");
        assertEquals("not an lzop stream (it looks like a zstd frame)", lzoError(zstd));
        // and LzopInputStream on its own says the same
        assertEquals("not an lzop stream (it looks like an LZ4 frame)",
                assertThrows(CorruptObjectException.class, () -> Codecs.unlzop(lz4)).getMessage());
    }

    @Test
    void emptyAndUnrecognisedObjects() {
        assertEquals("not an lzop stream (empty object)", lzoError(new byte[0]));
        assertEquals("not an LZ4 frame (empty object)", lz4Error(new byte[0]));
        byte[] random = TestData.random(1000, 64);
        assertEquals(StreamFormat.UNKNOWN, detect(random));
        String prefix = HexFormat.ofDelimiter(" ").formatHex(random, 0, 8);
        assertEquals("not an lzop stream (unrecognised leading bytes " + prefix + " ...)", lzoError(random));
        assertEquals("not an LZ4 frame (unrecognised leading bytes " + prefix + " ...)", lz4Error(random));
        assertEquals("not an lzop stream (unrecognised leading bytes 41 42 43)", lzoError("ABC".getBytes()));
        // a prefix of the lzop magic is a truncated lzop stream, not "unrecognised"
        assertEquals("truncated lzop stream: input ends in the header", assertThrows(CorruptObjectException.class,
                () -> Codecs.readAll(Compression.LZO.decompress(new ByteArrayInputStream(new byte[] {(byte) 0x89,
                    'L', 'Z'})))).getMessage());
    }

    @Test
    void peekDoesNotConsume() throws IOException {
        byte[] data = TestData.random(100, 65);
        PushbackInputStream in = new PushbackInputStream(new ByteArrayInputStream(data), StreamFormat.PROBE_LENGTH);
        byte[] head = StreamFormat.peek(in);
        assertArrayEquals(java.util.Arrays.copyOf(data, 16), head);
        assertArrayEquals(data, in.readAllBytes());
        PushbackInputStream shortIn = new PushbackInputStream(new ByteArrayInputStream(new byte[3]), 16);
        assertEquals(3, StreamFormat.peek(shortIn).length);
        assertEquals(3, shortIn.readAllBytes().length);
    }

    @Test
    void decompressClosesTheSourceWhenItRejectsIt() {
        TestStreams.CloseTracking source = new TestStreams.CloseTracking(new byte[] {1, 2, 3});
        assertThrows(CorruptObjectException.class, () -> Compression.LZO.decompress(source));
        assertTrue(source.closed);
    }
}
