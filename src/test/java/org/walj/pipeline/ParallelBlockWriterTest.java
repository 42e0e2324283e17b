package org.walj.pipeline;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ordering, memory bound, failure and shutdown contract of {@link ParallelBlockWriter}, with a stand-in encoder
 * (copies each block behind its length and can fail or dawdle on a chosen block) on a real thread pool.
 */
class ParallelBlockWriterTest {

    private static final int BLOCK = 1000;
    private static ExecutorService pool;

    @BeforeAll
    static void startPool() {
        pool = Executors.newFixedThreadPool(4);
    }

    @AfterAll
    static void stopPool() throws InterruptedException {
        pool.shutdown();
        assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
    }

    /** Stand-in encoder: output is a 4-byte length and the block's bytes; counts encodes in progress. */
    static final class StandInEncoders {
        final AtomicInteger created = new AtomicInteger();
        final AtomicInteger encoding = new AtomicInteger();
        final AtomicInteger maxEncoding = new AtomicInteger();
        final AtomicInteger encoded = new AtomicInteger();
        final int failAt;
        final int slowAt;

        StandInEncoders(int failAt, int slowAt) {
            this.failAt = failAt;
            this.slowAt = slowAt;
        }

        ParallelBlockWriter.BlockEncoder create() {
            created.incrementAndGet();
            return new ParallelBlockWriter.BlockEncoder() {
                private byte[] out;

                @Override
                public void encode(byte[] src, int off, int len) throws IOException {
                    int now = encoding.incrementAndGet();
                    maxEncoding.accumulateAndGet(now, Math::max);
                    try {
                        int index = src[off] & 0xFF; // the test data starts each block with its index
                        if (index == slowAt) {
                            try {
                                Thread.sleep(200); // makes "close waits" observable, never asserted as time
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                        if (index == failAt) {
                            throw new IllegalStateException("stand-in failure in block " + index);
                        }
                        out = ByteBuffer.allocate(4 + len).putInt(len).put(src, off, len).array();
                        encoded.incrementAndGet();
                    } finally {
                        encoding.decrementAndGet();
                    }
                }

                @Override
                public void writeTo(OutputStream sink) throws IOException {
                    sink.write(out);
                }
            };
        }
    }

    private static byte[] blocksData(int blocks, int tail) {
        byte[] data = new byte[blocks * BLOCK + tail];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i % BLOCK == 0 ? i / BLOCK : i * 31);
        }
        return data;
    }

    private static byte[] expected(byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(data.length + 4 * (data.length / BLOCK + 1));
        for (int off = 0; off < data.length; off += BLOCK) {
            int n = Math.min(BLOCK, data.length - off);
            b.putInt(n).put(data, off, n);
        }
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    @Test
    void blocksComeOutInOrderWithAtMostDegreePlusOneSlots() throws IOException {
        for (int degree = 1; degree <= 4; degree++) {
            StandInEncoders encoders = new StandInEncoders(-1, 3);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ParallelBlockWriter w = new ParallelBlockWriter(out, new BlockParallelism(pool, degree), BLOCK,
                    encoders::create);
            byte[] data = blocksData(40, 17);
            for (int off = 0; off < data.length; off += 333) {
                w.write(data, off, Math.min(333, data.length - off));
            }
            w.finish();
            assertArrayEquals(expected(data), out.toByteArray(), "degree " + degree);
            assertTrue(encoders.created.get() <= degree + 1, "slots " + encoders.created + " for degree " + degree);
            assertTrue(encoders.maxEncoding.get() <= degree + 1, "concurrent encodes " + encoders.maxEncoding);
            assertEquals(41, encoders.encoded.get());
        }
    }

    /**
     * An executor whose threads never get a core (a stand-in that only queues the tasks): the writing thread encodes
     * every block itself while it waits, and the tasks, run afterwards, find nothing left to do.
     */
    @Test
    void theWriterEncodesBlocksNoTaskStartedAndTheLateTasksDoNothing() throws IOException {
        java.util.List<Runnable> queued = new java.util.ArrayList<>();
        StandInEncoders encoders = new StandInEncoders(-1, -1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ParallelBlockWriter w = new ParallelBlockWriter(out, new BlockParallelism(queued::add, 2), BLOCK,
                encoders::create);
        byte[] data = blocksData(9, 5);
        w.write(data, 0, data.length);
        w.finish();
        assertArrayEquals(expected(data), out.toByteArray());
        assertEquals(10, encoders.encoded.get());
        assertEquals(10, queued.size());
        queued.forEach(Runnable::run);
        assertEquals(10, encoders.encoded.get(), "no block encoded twice");
    }

    @Test
    void emptyAndExactMultiplesWriteNoEmptyBlock() throws IOException {
        for (byte[] data : new byte[][] {new byte[0], blocksData(3, 0)}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ParallelBlockWriter w = new ParallelBlockWriter(out, new BlockParallelism(pool, 2), BLOCK,
                    new StandInEncoders(-1, -1)::create);
            w.write(data, 0, data.length);
            w.finish();
            assertArrayEquals(expected(data), out.toByteArray());
        }
    }

    @Test
    void anEncoderFailureIsThrownAndNoEncodeRunsAfterwards() throws IOException {
        StandInEncoders encoders = new StandInEncoders(5, 6); // block 6 is still encoding when 5 fails
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ParallelBlockWriter w = new ParallelBlockWriter(out, new BlockParallelism(pool, 3), BLOCK, encoders::create);
        byte[] data = blocksData(30, 0);
        IOException e = assertThrows(IOException.class, () -> {
            w.write(data, 0, data.length);
            w.finish();
        });
        assertTrue(e.getMessage().contains("stand-in failure in block 5"), e.getMessage());
        assertEquals(0, encoders.encoding.get(), "every started encode has returned");
        int encodedAtFailure = encoders.encoded.get();
        byte[] written = out.toByteArray();
        assertArrayEquals(expected(java.util.Arrays.copyOf(data, 5 * BLOCK)), written, "blocks 0-4 only, in order");
        assertThrows(IOException.class, () -> w.write(data, 0, 1));
        assertThrows(IOException.class, w::finish);
        w.abandon();
        assertEquals(encodedAtFailure, encoders.encoded.get(), "abandoned blocks are never encoded");
        assertEquals(written.length, out.size());
    }

    @Test
    void abandonWaitsForRunningEncodes() throws IOException {
        StandInEncoders encoders = new StandInEncoders(-1, 0); // block 0 dawdles
        ParallelBlockWriter w = new ParallelBlockWriter(new ByteArrayOutputStream(), new BlockParallelism(pool, 2),
                BLOCK, encoders::create);
        byte[] data = blocksData(2, 0);
        w.write(data, 0, data.length);
        w.abandon();
        assertEquals(0, encoders.encoding.get(), "abandon returned only after the running encodes");
        assertThrows(IOException.class, w::finish);
    }

    @Test
    void aSinkFailureIsThrownAsItIs() {
        TestStreams.FailingSink sink = new TestStreams.FailingSink(BLOCK * 2);
        StandInEncoders encoders = new StandInEncoders(-1, -1);
        ParallelBlockWriter w = new ParallelBlockWriter(sink, new BlockParallelism(pool, 2), BLOCK, encoders::create);
        byte[] data = blocksData(10, 0);
        IOException e = assertThrows(IOException.class, () -> {
            w.write(data, 0, data.length);
            w.finish();
        });
        assertEquals("disk full", e.getMessage());
        assertEquals(0, encoders.encoding.get());
    }
}
