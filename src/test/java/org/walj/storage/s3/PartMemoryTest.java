package org.walj.storage.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

class PartMemoryTest {
    private static final int MIB = PartMemory.SLAB;
    /** Each waiting request on its own thread (the common pool may have one). */
    private static final Executor THREADS = task -> {
        Thread t = new Thread(task, "part-memory-test");
        t.setDaemon(true);
        t.start();
    };

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void aPartTakesSlabsOnlyAsItsBytesArrive() throws IOException {
        PartMemory memory = new PartMemory(20L * MIB);
        Part part = memory.reserve(20 * MIB);
        assertEquals(20, memory.reservedSlabs());
        assertEquals(0, memory.allocatedSlabs(), "nothing touched before the first byte");
        // a WAL segment that compressed to 3 MiB and a bit
        byte[] data = random(3 * MIB + 17, 1);
        assertEquals(data.length, part.fill(new ByteArrayInputStream(data), new byte[64 * 1024]));
        assertEquals(data.length, part.length());
        assertEquals(4, memory.allocatedSlabs());
        assertArrayEquals(data, part.newStream().readAllBytes());
        part.release();
        assertEquals(0, memory.reservedSlabs());
        assertEquals(4, memory.allocatedSlabs(), "kept for reuse");
        // the next part reuses them before it allocates
        Part next = memory.reserve(5 * MIB);
        next.fill(new ByteArrayInputStream(random(5 * MIB, 2)), new byte[1000]);
        assertEquals(5, memory.allocatedSlabs());
        assertEquals(5, memory.peakSlabs());
        next.release();
    }

    @Test
    void partsOfDifferentSizesNeverTakeMoreThanTheBudget() throws IOException {
        // the shape of a backup at 4 parallel parts: a 20 MiB first part, then 5 MiB parts, partitions in turn
        PartMemory memory = new PartMemory(PartSizes.forParallel(20 * MIB, 4).budget());
        byte[] scratch = new byte[64 * 1024];
        for (int object = 0; object < 3; object++) {
            Part first = memory.reserve(20 * MIB);
            first.fill(new ByteArrayInputStream(random(20 * MIB, object)), scratch);
            first.release();
            Part[] later = new Part[4];
            for (int i = 0; i < later.length; i++) {
                later[i] = memory.reserve(5 * MIB);
                later[i].fill(new ByteArrayInputStream(random(5 * MIB, i)), scratch);
            }
            for (Part p : later) {
                p.release();
            }
        }
        assertEquals(20, memory.peakSlabs(), "20 MiB at 4 parallel parts, whatever the order of sizes");
        assertEquals(20, memory.allocatedSlabs());
        assertEquals(0, memory.reservedSlabs());
    }

    @Test
    void aReservationWaitsForTheBudgetInArrivalOrder() throws Exception {
        PartMemory memory = new PartMemory(4L * MIB);
        Part held = memory.reserve(3 * MIB);
        CompletableFuture<Part> large = CompletableFuture.supplyAsync(() -> reserve(memory, 4 * MIB), THREADS);
        waitUntilWaiting(large);
        // a small one that would fit now still queues behind the larger one that came first
        CompletableFuture<Part> small = CompletableFuture.supplyAsync(() -> reserve(memory, MIB), THREADS);
        waitUntilWaiting(small);
        assertFalse(large.isDone());
        assertFalse(small.isDone());
        held.release();
        Part got = large.get(10, TimeUnit.SECONDS);
        assertEquals(4, memory.reservedSlabs());
        assertFalse(small.isDone());
        got.release();
        small.get(10, TimeUnit.SECONDS).release();
        assertEquals(0, memory.reservedSlabs());
    }

    @Test
    void aPartLargerThanTheBudgetWaitsForAnEmptyPoolAndItsExtraSlabsAreDropped() throws Exception {
        PartMemory memory = new PartMemory(2L * MIB);
        Part small = memory.reserve(MIB);
        CompletableFuture<Part> oversized = CompletableFuture.supplyAsync(() -> reserve(memory, 3 * MIB), THREADS);
        waitUntilWaiting(oversized);
        small.release();
        Part big = oversized.get(10, TimeUnit.SECONDS);
        byte[] data = random(3 * MIB, 3);
        big.fill(new ByteArrayInputStream(data), new byte[4096]);
        assertEquals(3, memory.allocatedSlabs());
        assertArrayEquals(data, big.newStream().readAllBytes());
        big.release();
        assertEquals(2, memory.allocatedSlabs(), "no more than the budget kept");
    }

    @Test
    void aPartReadsBackAcrossSlabsAsOftenAsAsked() throws IOException {
        PartMemory memory = new PartMemory(8L * MIB);
        Part part = memory.reserve(5 * MIB);
        byte[] data = random(5 * MIB, 4);
        part.append(data[0] & 0xff);
        // a stream that hands out odd-sized pieces
        InputStream rest = new ByteArrayInputStream(data, 1, data.length - 1) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 7919));
            }
        };
        assertEquals(data.length - 1, part.fill(rest, new byte[64 * 1024]));
        assertEquals(data.length, part.length());
        assertEquals(0, part.fill(new ByteArrayInputStream(new byte[10]), new byte[16]), "full: nothing more read");
        assertThrows(IllegalStateException.class, () -> part.append(1));
        for (int round = 0; round < 2; round++) {
            assertArrayEquals(data, part.newStream().readAllBytes());
        }
        InputStream in = part.newStream();
        assertEquals(data[0] & 0xff, in.read());
        assertEquals(MIB - 1, in.skip(MIB - 1));
        assertTrue(in.markSupported());
        in.mark(0);
        assertEquals(data[MIB] & 0xff, in.read());
        byte[] piece = new byte[3];
        assertEquals(3, in.read(piece, 0, 3));
        in.reset();
        assertEquals(data[MIB] & 0xff, in.read());
        assertEquals(data.length - MIB - 1, in.available());
        part.release();
        part.release();
        assertEquals(0, memory.reservedSlabs(), "released once");
    }

    @Test
    void anEmptyPartReadsAsEmpty() throws IOException {
        PartMemory memory = new PartMemory(MIB);
        Part part = memory.reserve(20 * MIB);
        assertEquals(0, part.fill(InputStream.nullInputStream(), new byte[16]));
        assertEquals(-1, part.newStream().read());
        assertEquals(0, memory.allocatedSlabs());
        part.release();
    }

    private static Part reserve(PartMemory memory, int size) {
        try {
            return memory.reserve(size);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Gives the request time to reach its wait; it must not complete meanwhile. */
    private static void waitUntilWaiting(CompletableFuture<Part> request) throws Exception {
        assertThrows(TimeoutException.class, () -> request.get(200, TimeUnit.MILLISECONDS));
    }
}
