package org.walj.pipeline.lzop;

import org.walj.pipeline.TestStreams.FailingSink;

import org.walj.pipeline.Codecs;
import org.walj.pipeline.TestData;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Writer contract: exact header bytes, lifecycle, failure propagation. */
class LzopOutputStreamTest {

    @Test
    void helloFromAPipeIsTheSpecsWorkedExample() throws IOException {
        // wal-e-compat 5.2: "hello" from a pipe as plain lzop -c writes it (Adler-32), with lzop's mtime 0x6B02453D
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new LzopOutputStream(bytes, 0, 0x6B02453DL, LzopOutputStream.ADLER32_FLAGS)) {
            out.write("hello".getBytes());
        }
        byte[] expected = java.util.HexFormat.of().parseHex("894C5A4F000D0A1A0A104020A009400105" + "0300000D00000000"
                + "6B02453D000000000026" + "80025F" + "00000005000000050" + "62C021568656C6C6F00000000");
        assertArrayEquals(expected, bytes.toByteArray());
    }

    @Test
    void emptyInputIs42Bytes() throws IOException {
        assertEquals(42, Codecs.lzop(new byte[0]).length);
    }

    @Test
    void mtimeAbove32BitsGoesToMtimeHigh() throws IOException {
        LzopLayout l = LzopLayout.parse(Codecs.lzop(new byte[10], 0100644, 0x1_2345_6789L,
                LzopOutputStream.DEFAULT_FLAGS));
        assertEquals(0x1_2345_6789L, l.mtime());
        assertEquals(0100644, l.mode());
    }

    @Test
    void closeClosesTheTargetOnceAndWriteAfterCloseFails() throws IOException {
        FailingSink sink = new FailingSink(Integer.MAX_VALUE);
        OutputStream out = new LzopOutputStream(sink, 0, 0);
        out.write(new byte[1000]);
        out.close();
        assertTrue(sink.closed);
        int written = sink.written;
        out.close();
        assertEquals(written, sink.written);
        assertThrows(IOException.class, () -> out.write(1));
        assertThrows(IOException.class, () -> out.write(new byte[3], 0, 3));
        assertThrows(IOException.class, out::flush);
    }

    @Test
    void writeFailurePropagatesAndCloseStillClosesWithoutEndMarker() throws IOException {
        FailingSink sink = new FailingSink(100_000);
        OutputStream out = new LzopOutputStream(sink, 0, 0);
        byte[] random = TestData.random(600_000, 51);
        IOException e = assertThrows(IOException.class, () -> out.write(random));
        assertEquals("disk full", e.getMessage());
        int written = sink.written;
        IOException onClose = assertThrows(IOException.class, out::close);
        assertTrue(onClose.getMessage().contains("earlier write failed"), onClose.getMessage());
        assertTrue(sink.closed);
        assertEquals(written, sink.written, "no end marker after a failure");
    }

    @Test
    void failureWhileFinishingPropagatesAndCloses() throws IOException {
        FailingSink sink = new FailingSink(50);
        OutputStream out = new LzopOutputStream(sink, 0, 0);
        out.write(new byte[100]);
        assertEquals("disk full", assertThrows(IOException.class, out::close).getMessage());
        assertTrue(sink.closed);
    }

    @Test
    void headerWriteFailurePropagates() {
        assertThrows(IOException.class, () -> new LzopOutputStream(new FailingSink(10), 0, 0));
    }
}
