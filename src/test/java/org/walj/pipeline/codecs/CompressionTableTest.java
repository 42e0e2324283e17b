package org.walj.pipeline.codecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.walj.pipeline.CompressionCodec;
import org.walj.pipeline.CompressionTable;
import org.walj.pipeline.EncoderOptions;
import org.walj.pipeline.Encryption;
import org.walj.pipeline.ObjectCodec;
import org.walj.pipeline.StreamFormat;

/** The table of compressions as the rest of the program sees it: names, suffixes, the search order. */
class CompressionTableTest {

    /** A third format, as a new package would add one: the table must not need anything else to know it. */
    private static final CompressionCodec ZSTD = passThrough(".zst");

    private static CompressionCodec passThrough(String suffix) {
        return new CompressionCodec(suffix, StreamFormat.ZSTD, 128 * 1024) {
            @Override
            public OutputStream encoder(OutputStream out, EncoderOptions options) {
                return out;
            }

            @Override
            protected InputStream decodeFrom(InputStream in) {
                return in;
            }
        };
    }

    @Test
    void theTableListsLzoThenLz4() {
        List<CompressionCodec> codecs = Compression.table().codecs();
        assertEquals(List.of(Compression.LZO.codec(), Compression.LZ4.codec()), codecs);
        assertEquals(List.of("lzo", "lz4"), codecs.stream().map(CompressionCodec::name).toList());
        assertEquals(Compression.LZ4, Compression.parse("lz4"));
    }

    @Test
    void suffixGroupIsOneCapturingGroupOfLiteralSuffixes() {
        Pattern p = Pattern.compile("(\\d+)" + Compression.table().suffixGroup());
        assertEquals(2, p.matcher("").groupCount(), "one group, so the groups after it keep their numbers");
        Matcher m = p.matcher("0001.lz4");
        assertTrue(m.matches());
        assertEquals(".lz4", m.group(2));
        assertTrue(p.matcher("0001.lzo").matches());
        assertFalse(p.matcher("0001xlzo").matches(), "the dot is literal");
        assertFalse(p.matcher("0001.lzop").matches());
        assertFalse(p.matcher("0001.br").matches());
    }

    @Test
    void aNewFormatIsOneEntry() {
        CompressionTable table = new CompressionTable(List.of(Compression.LZO.codec(), Compression.LZ4.codec(), ZSTD));
        assertEquals(Optional.of(ZSTD), table.forObjectName("wal_005/000000010000000000000002.zst"));
        assertEquals(ZSTD, table.parse(" ZST "));
        assertEquals("unknown compression 'gzip': expected lzo or lz4 or zst",
                assertThrows(IllegalArgumentException.class, () -> table.parse("gzip")).getMessage());
        assertTrue(Pattern.compile("x" + table.suffixGroup()).matcher("x.zst").matches());
    }

    @Test
    void readersTryTheWrittenCompressionFirst() {
        assertEquals(List.of(Compression.LZ4.codec(), Compression.LZO.codec()),
                Compression.LZ4.with(Encryption.NONE).searchOrder());
        assertEquals(List.of(Compression.LZO.codec(), Compression.LZ4.codec()),
                Compression.LZO.with(Encryption.NONE).searchOrder());
    }

    @Test
    void aSuffixIsADotAndAName() {
        for (String bad : new String[] {"zst", ".", ".tar.zst"}) {
            assertThrows(IllegalArgumentException.class, () -> passThrough(bad), bad);
        }
    }

    @Test
    void anObjectCodecWritesOnlyWhatItCanRead() {
        assertThrows(IllegalArgumentException.class,
                () -> new ObjectCodec(ZSTD, Encryption.NONE, Compression.table()));
        assertThrows(IllegalArgumentException.class, () -> new CompressionTable(List.of()));
    }

    @Test
    void encoderOptions() {
        long now = Instant.now().getEpochSecond();
        EncoderOptions pipe = EncoderOptions.pipe();
        assertEquals(0, pipe.mode());
        assertTrue(Math.abs(pipe.mtimeSeconds() - now) <= 2);
        assertEquals(Optional.empty(), pipe.parallelism());
        assertEquals(new EncoderOptions(0100600, 42, Optional.empty()), EncoderOptions.file(0100600, 42));
        assertThrows(NullPointerException.class, () -> new EncoderOptions(0, 0, null));
    }
}
