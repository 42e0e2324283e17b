package org.walj.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** The stream bases: read() and skip() go through read(byte[], int, int), so a subclass sees every byte. */
class CountingInputStreamTest {

    /** Keeps a copy of every byte it is shown, to prove skipped bytes pass through read(byte[], int, int). */
    private static final class Recording extends CountingInputStream {
        final ByteArrayOutputStream seen = new ByteArrayOutputStream();

        Recording(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                seen.write(b, off, n);
            }
            return n;
        }
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 7);
        }
        return b;
    }

    @Test
    void countsSingleBytesArraysAndSkips() throws IOException {
        byte[] data = bytes(20_000);
        try (Recording in = new Recording(new ByteArrayInputStream(data))) {
            assertEquals(0, in.read());
            assertEquals(7, in.read());
            assertEquals(2, in.count());
            assertEquals(100, in.read(new byte[100]));
            assertEquals(102, in.count());
            assertEquals(10_000, in.skip(10_000), "skips as much as asked, past one scratch buffer");
            assertEquals(10_102, in.count());
            assertEquals(9_898, in.skip(50_000), "stops at the end");
            assertEquals(0, in.skip(1));
            assertEquals(0, in.skip(-5));
            assertEquals(-1, in.read());
            assertEquals(-1, in.read(new byte[10], 0, 10));
            assertEquals(data.length, in.count());
            assertArrayEquals(data, in.seen.toByteArray(), "skipped bytes were read through the subclass");
        }
    }

    @Test
    void readOfOneByteIsUnsigned() throws IOException {
        try (CountingInputStream in = new CountingInputStream(new ByteArrayInputStream(new byte[] {(byte) 0xFF}))) {
            assertEquals(255, in.read());
            assertEquals(1, in.count());
        }
    }

    @Test
    void markAndResetAreRefused() throws IOException {
        try (CountingInputStream in = new CountingInputStream(new ByteArrayInputStream(bytes(10)))) {
            assertFalse(in.markSupported(), "a reset would count bytes twice");
            in.mark(5);
            in.read();
            assertThrows(IOException.class, in::reset);
            assertEquals(1, in.count());
        }
    }

    @Test
    void failuresOfTheSourcePassThroughUncounted() {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }
        };
        CountingInputStream in = new CountingInputStream(broken);
        assertEquals("connection reset", assertThrows(IOException.class, in::read).getMessage());
        assertEquals("connection reset", assertThrows(IOException.class, () -> in.skip(3)).getMessage());
        assertEquals(0, in.count());
    }
}
