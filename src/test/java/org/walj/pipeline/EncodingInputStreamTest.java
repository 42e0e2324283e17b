package org.walj.pipeline;

import org.walj.pipeline.codecs.Compression;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EncodingInputStreamTest {

    private static final Duration LIMIT = Duration.ofSeconds(60);

    /** Deterministic bytes (a 4 MiB WAL-like pattern, varied per lap), optionally failing or never ending. */
    static final class Source extends InputStream {
        private static final byte[] PATTERN = TestData.mixed(4 * TestData.MIB, 81);
        private final long length;
        private final long failAt;
        private long position;
        volatile boolean closed;

        Source(long length, long failAt) {
            this.length = length;
            this.failAt = failAt;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (position >= failAt) {
                throw new IOException("read error in source");
            }
            if (position >= length) {
                return -1;
            }
            int p = (int) (position % PATTERN.length);
            int n = (int) Math.min(Math.min(len, PATTERN.length - p), Math.min(length, failAt) - position);
            System.arraycopy(PATTERN, p, b, off, n);
            if (p == 0 && n > 0) {
                b[off] = (byte) (position / PATTERN.length); // each lap differs
            }
            position += n;
            return n;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static byte[] sha256(InputStream in) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) >= 0) {
                md.update(buf, 0, n);
            }
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs tasks on a new thread and remembers it, to check it ends. */
    static final class RecordingExecutor implements Executor {
        final AtomicReference<Thread> thread = new AtomicReference<>();

        @Override
        public void execute(Runnable task) {
            Thread t = new Thread(task, "test-encoder");
            t.setDaemon(true);
            thread.set(t);
            t.start();
        }

        void assertFinishes() throws InterruptedException {
            Thread t = thread.get();
            t.join(10_000);
            assertFalse(t.isAlive(), "the producer thread is still running");
        }
    }

    @Test
    void fiftyMebibytesRoundTrip() {
        long size = 50L * TestData.MIB;
        assertTimeoutPreemptively(LIMIT, () -> {
            byte[] expected = sha256(new Source(size, Long.MAX_VALUE));
            for (Compression c : Compression.values()) {
                Source source = new Source(size, Long.MAX_VALUE);
                RecordingExecutor executor = new RecordingExecutor();
                try (InputStream encoded = EncodingInputStream.encoded(source, c::compress, executor);
                     InputStream decoded = c.decompress(encoded)) {
                    assertArrayEquals(expected, sha256(decoded), c.name());
                }
                assertTrue(source.closed, "source closed by the producer");
                executor.assertFinishes();
            }
            // identity encoder: the bytes themselves
            try (InputStream plain = EncodingInputStream.encoded(new Source(size, Long.MAX_VALUE), out -> out)) {
                assertArrayEquals(expected, sha256(plain));
            }
        });
    }

    @Test
    void sourceFailureSurfacesOnRead() {
        assertTimeoutPreemptively(LIMIT, () -> {
            Source source = new Source(20L * TestData.MIB, 3L * TestData.MIB + 5);
            RecordingExecutor executor = new RecordingExecutor();
            try (InputStream in = EncodingInputStream.encoded(source, Compression.LZO::compress, executor)) {
                byte[] buf = new byte[100_000];
                long total = 0;
                IOException e = null;
                try {
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                        total += n;
                    }
                } catch (IOException failure) {
                    e = failure;
                }
                assertTrue(e != null, "the stream ended normally after " + total + " bytes: silently short");
                assertEquals("read error in source", e.getMessage());
                assertSame(e, assertThrows(IOException.class, in::read), "sticky");
            }
            assertTrue(source.closed);
            executor.assertFinishes();
        });
    }

    @Test
    void encoderFailuresSurfaceOnRead() {
        assertTimeoutPreemptively(LIMIT, () -> {
            IOException cannotStart = new IOException("no encoder today");
            try (InputStream in = EncodingInputStream.encoded(new Source(1000, Long.MAX_VALUE), out -> {
                throw cannotStart;
            })) {
                assertSame(cannotStart, assertThrows(IOException.class, in::read));
            }
            // a runtime failure midway, after some chunks were handed over
            try (InputStream in = EncodingInputStream.encoded(new Source(10L * TestData.MIB, Long.MAX_VALUE),
                    out -> new OutputStream() {
                        long written;

                        @Override
                        public void write(int b) throws IOException {
                            write(new byte[] {(byte) b}, 0, 1);
                        }

                        @Override
                        public void write(byte[] b, int off, int len) throws IOException {
                            written += len;
                            if (written > 5L * TestData.MIB) {
                                throw new IllegalStateException("encoder bug");
                            }
                            out.write(b, off, len);
                        }

                        @Override
                        public void close() throws IOException {
                            out.close();
                        }
                    })) {
                IOException e = assertThrows(IOException.class, () -> in.transferTo(OutputStream.nullOutputStream()));
                assertInstanceOf(IllegalStateException.class, e.getCause());
                assertTrue(e.getMessage().contains("encoder bug"), e.getMessage());
            }
            // a failure while closing the encoder (writing its last block) also counts
            try (InputStream in = EncodingInputStream.encoded(new Source(1000, Long.MAX_VALUE),
                    out -> new java.io.FilterOutputStream(out) {
                        @Override
                        public void close() throws IOException {
                            throw new IOException("cannot finish");
                        }
                    })) {
                assertEquals("cannot finish", assertThrows(IOException.class, in::readAllBytes).getMessage());
            }
        });
    }

    /**
     * Chunks of a closed stream go to the next stream (issue 15: fewer 1 MiB allocations per partition): a stream
     * that takes a chunk full of an earlier stream's bytes shows only its own, whether the earlier one was read to
     * its end or closed early.
     */
    @Test
    void aStreamShowsOnlyItsOwnBytesInChunksAnEarlierStreamUsed() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            byte[] big = new byte[3 * EncodingInputStream.CHUNK_SIZE + 12345];
            java.util.Arrays.fill(big, (byte) 'A');
            try (InputStream first = EncodingInputStream.readAhead(new java.io.ByteArrayInputStream(big))) {
                assertArrayEquals(big, first.readAllBytes());
            }
            InputStream early = EncodingInputStream.readAhead(new java.io.ByteArrayInputStream(big));
            assertEquals('A', early.read());
            early.close();
            for (int round = 0; round < 3 * EncodingInputStream.CHUNKS; round++) {
                byte[] small = ("only these bytes " + round).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                try (InputStream next = EncodingInputStream.readAhead(new java.io.ByteArrayInputStream(small))) {
                    assertArrayEquals(small, next.readAllBytes());
                }
            }
        });
    }

    @Test
    void earlyCloseStopsTheProducer() {
        assertTimeoutPreemptively(LIMIT, () -> {
            // a source that never ends: only close() can stop the producer
            Source endless = new Source(Long.MAX_VALUE, Long.MAX_VALUE);
            RecordingExecutor executor = new RecordingExecutor();
            InputStream in = EncodingInputStream.encoded(endless, Compression.LZO::compress, executor);
            assertEquals(0x89, in.read());
            Thread.sleep(300); // let the producer fill every chunk and block
            in.close();
            executor.assertFinishes();
            assertTrue(endless.closed);
            assertThrows(IOException.class, in::read);
            in.close();

            // closing before reading anything, on the default daemon thread
            int before = encoderThreads();
            Source other = new Source(Long.MAX_VALUE, Long.MAX_VALUE);
            InputStream unread = EncodingInputStream.encoded(other, Compression.LZ4::compress);
            unread.close();
            assertTrue(other.closed);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (encoderThreads() > before && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(before, encoderThreads(), "encoder thread leaked");
        });
    }

    @Test
    void producerThreadEndsAfterTheLastByte() {
        assertTimeoutPreemptively(LIMIT, () -> {
            RecordingExecutor executor = new RecordingExecutor();
            try (InputStream in = EncodingInputStream.encoded(new Source(3 * TestData.MIB, Long.MAX_VALUE),
                    out -> out, executor)) {
                assertEquals(3 * TestData.MIB, in.readAllBytes().length);
                assertEquals(-1, in.read());
                executor.assertFinishes();
            }
        });
    }

    @Test
    void rejectedExecutorFailsAndClosesTheSource() {
        Source source = new Source(10, Long.MAX_VALUE);
        IOException e = assertThrows(IOException.class, () -> EncodingInputStream.encoded(source, out -> out,
                task -> {
                    throw new java.util.concurrent.RejectedExecutionException("pool shut down");
                }));
        assertTrue(e.getMessage().contains("pool shut down"));
        assertTrue(source.closed);
    }

    private static int encoderThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("walj-encoder-") && t.isAlive()).count();
    }

    static {
        // keep the Source pattern's creation out of the timed sections
        try {
            new Source(1, Long.MAX_VALUE).read();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
