package org.walj.pipeline.codecs;

import org.walj.pipeline.lzop.LzopLayout;

import org.walj.pipeline.Codecs;
import org.walj.pipeline.TestData;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompressionTest {

    @Test
    void suffixesAndObjectNames() {
        assertEquals(".lzo", Compression.LZO.suffix());
        assertEquals(".lz4", Compression.LZ4.suffix());
        assertEquals(Optional.of(Compression.LZO), Compression.forObjectName("wal_005/000000010000000000000002.lzo"));
        assertEquals(Optional.of(Compression.LZO), Compression.forObjectName("wal_005/00000002.history.lzo"));
        assertEquals(Optional.of(Compression.LZO),
                Compression.forObjectName("basebackups_005/base_000000010000000000000002_00000040/tar_partitions/"
                        + "part_00000000.tar.lzo"));
        assertEquals(Optional.of(Compression.LZ4), Compression.forObjectName("wal_005/000000010000000000000002.lz4"));
        assertEquals(Optional.empty(), Compression.forObjectName("wal_005/000000010000000000000002.br"));
        assertEquals(Optional.empty(), Compression.forObjectName("basebackups_005/x_backup_stop_sentinel.json"));
        assertEquals(Optional.empty(), Compression.forObjectName("x.LZO"));
        assertEquals(Optional.empty(), Compression.forObjectName(".lzo"));
    }

    @Test
    void parseOptionValue() {
        assertEquals(Compression.LZO, Compression.parse("lzo"));
        assertEquals(Compression.LZ4, Compression.parse("LZ4"));
        assertEquals(Compression.LZ4, Compression.parse(" lz4 "));
        for (String bad : new String[] {"gzip", "", ".lzo", "lzop", null}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Compression.parse(bad));
            assertEquals("unknown compression '" + bad + "': expected lzo or lz4", e.getMessage());
        }
    }

    @Test
    void roundTripsThroughBothCompressions() throws IOException {
        byte[] data = TestData.mixed(900 * TestData.KIB, 71);
        for (Compression c : Compression.values()) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (OutputStream out = c.compress(bytes)) {
                Codecs.writeInPieces(out, data);
            }
            try (InputStream in = c.decompress(new ByteArrayInputStream(bytes.toByteArray()))) {
                assertArrayEquals(data, Codecs.readAll(in), c.name());
            }
        }
    }

    @Test
    void lzoFromCompressHasThePipeHeader() throws IOException {
        long now = Instant.now().getEpochSecond();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Compression.LZO.compress(bytes).close();
        LzopLayout l = LzopLayout.parse(bytes.toByteArray());
        assertEquals(0, l.mode());
        assertTrue(Math.abs(l.mtime() - now) <= 2, "mtime is now");
        assertEquals(0x0300110C, l.flags()); // lzop --crc32 -c
        assertEquals(1, l.method());
        assertEquals(5, l.level());
    }
}
