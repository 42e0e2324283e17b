package org.walj.pipeline;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reads a block container sequentially and at several degrees of parallelism ({@link ParallelBlockReader}) and
 * compares how each ends: the checks the lzop and LZ4 parallel readers' tests share.
 */
public final class ParallelReads {

    /** What a reader hands out before it ends or fails, and how it ended. */
    public record Outcome(byte[] bytes, IOException failure) {
    }

    private final BiFunction<InputStream, BlockParallelism, InputStream> open;
    private final BlockParallelism[] degrees;

    /** {@code open}: the decoder over a stream, on a parallelism or (null) sequential. */
    public ParallelReads(BiFunction<InputStream, BlockParallelism, InputStream> open, BlockParallelism... degrees) {
        this.open = open;
        this.degrees = degrees.clone();
    }

    /** Every degree hands out {@code expected} and ends without failure. */
    public void decodesTo(byte[] stream, byte[] expected, String what) {
        for (BlockParallelism d : degrees) {
            Outcome o = readAll(stream, d);
            assertEquals(null, o.failure(), what + " degree " + d.blocks());
            assertArrayEquals(expected, o.bytes(), what + " degree " + d.blocks());
        }
    }

    /** The parallel reader at every degree ends as the sequential reader does, having handed out the same bytes. */
    public Outcome sameFailureAsSequential(byte[] stream, String expected) {
        Outcome sequential = readAll(stream, null);
        assertNotNull(sequential.failure(), "the damaged stream must fail");
        assertTrue(sequential.failure() instanceof CorruptObjectException, sequential.failure().toString());
        assertTrue(sequential.failure().getMessage().contains(expected), sequential.failure().getMessage());
        for (BlockParallelism d : degrees) {
            Outcome parallel = readAll(stream, d);
            assertNotNull(parallel.failure(), "degree " + d.blocks() + " must fail too");
            assertEquals(sequential.failure().getClass(), parallel.failure().getClass());
            assertEquals(sequential.failure().getMessage(), parallel.failure().getMessage(), "degree " + d.blocks());
            assertArrayEquals(sequential.bytes(), parallel.bytes(), "bytes before the failure, degree " + d.blocks());
        }
        return sequential;
    }

    /** Cut at each of {@code cuts} and at {@code more} random places: every degree fails as sequentially. */
    public void cutsFailAsSequentially(byte[] stream, List<Integer> cuts, int more, String expected) {
        List<Integer> all = new ArrayList<>(cuts);
        Random random = new Random(stream.length);
        for (int i = 0; i < more; i++) {
            all.add(random.nextInt(stream.length));
        }
        for (int at : all) {
            sameFailureAsSequential(Arrays.copyOf(stream, at), expected);
        }
    }

    /** An executor that refuses every task: the reading thread decodes each block itself. */
    public void refusingExecutorStillDecodes(byte[] stream, byte[] expected) {
        Outcome o = readAll(stream, new BlockParallelism(task -> {
            throw new RejectedExecutionException("pool is shut down");
        }, 4));
        assertEquals(null, o.failure());
        assertArrayEquals(expected, o.bytes());
    }

    /** Closed after one read: no task of the reader runs afterwards, and at most the blocks in flight were sent. */
    public void closingEarlyLeavesNoTaskRunning(byte[] stream) throws IOException, InterruptedException {
        ExecutorService own = Executors.newFixedThreadPool(2, r -> new Thread(r, "own-decode-pool"));
        AtomicInteger tasks = new AtomicInteger();
        try (InputStream in = open.apply(new ByteArrayInputStream(stream), new BlockParallelism(task -> {
            tasks.incrementAndGet();
            own.execute(task);
        }, 8))) {
            assertTrue(in.read(new byte[100]) > 0);
        } finally {
            own.shutdown();
        }
        assertTrue(own.awaitTermination(60, TimeUnit.SECONDS), "the pool's threads ended");
        assertTrue(tasks.get() >= 1 && tasks.get() <= 9, "at most the blocks in flight were submitted: " + tasks);
    }

    /** Reads with varied read sizes (single bytes too) until the end or a failure; a failure stays sticky. */
    public Outcome readAll(byte[] stream, BlockParallelism parallelism) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        Random random = new Random(stream.length);
        InputStream in = open.apply(new ByteArrayInputStream(stream), parallelism);
        byte[] buffer = new byte[300_000];
        try {
            while (true) {
                if (random.nextInt(16) == 0) {
                    int b = in.read();
                    if (b < 0) {
                        return new Outcome(got.toByteArray(), null);
                    }
                    got.write(b);
                } else {
                    int n = in.read(buffer, 0, 1 + random.nextInt(buffer.length));
                    if (n < 0) {
                        return new Outcome(got.toByteArray(), null);
                    }
                    got.write(buffer, 0, n);
                }
            }
        } catch (IOException e) {
            IOException again = assertThrows(IOException.class, () -> in.read(buffer, 0, 10));
            assertEquals(e.getMessage(), again.getMessage(), "failures are sticky");
            return new Outcome(got.toByteArray(), e);
        } finally {
            try {
                in.close();
            } catch (IOException e) {
                throw new AssertionError("close failed", e);
            }
        }
    }
}
