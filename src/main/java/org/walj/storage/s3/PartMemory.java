package org.walj.storage.s3;

import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;

import org.walj.storage.BudgetQueue;

/**
 * The memory of S3's part buffers: slabs of {@link #SLAB} bytes outside the Java heap, shared by every upload of one
 * storage under one byte budget ({@link PartSizes#budget()}).
 * <p>
 * A part {@linkplain #reserve reserves} its whole size in the budget before it is filled, so fillers never wait for
 * each other halfway (no deadlock: a holder either fills its part, or uploads it, and both end by releasing it), but
 * it takes slabs only as its bytes arrive: a 16 MiB WAL segment that compresses to 3 MiB touches 3 MiB, not the first
 * part's 20. Slabs are kept for reuse up to the budget and never change size, so nothing is dropped and allocated
 * again when parts of different sizes follow each other.
 * <p>
 * Why outside the heap: in the heap, the budget was live data that the serial collector's free-ratio bounds and early
 * promotion turned into about twice its size of resident heap, growing with the length of a backup (docs/performance.md,
 * "S3 push memory: part buffers outside the heap"). Here the budget costs its size, at most.
 * <p>
 * Requests are served in arrival order, so a large part (a first part) is not starved by smaller ones; one larger than
 * the whole budget (parts doubled after 1,000 parts) waits until nothing else is reserved, and its slabs beyond the
 * budget are dropped when it is released.
 */
final class PartMemory {
    static final int SLAB = 1024 * 1024;

    private final int budgetSlabs;
    private final Deque<ByteBuffer> free = new ArrayDeque<>();
    /** Slabs reserved by parts that exist. */
    private int reserved;
    /** Slabs that exist: in parts or free. */
    private int allocated;
    /** The most slabs that existed at once (for tests and figures). */
    private int peak;
    /** Requests for room, served in arrival order (see {@link BudgetQueue} for why). */
    private final BudgetQueue line = new BudgetQueue(this);

    PartMemory(long budget) {
        if (budget <= 0) {
            throw new IllegalArgumentException("budget must be positive: " + budget);
        }
        this.budgetSlabs = (int) Math.min(Integer.MAX_VALUE, (budget + SLAB - 1) / SLAB);
    }

    static int slabsFor(int size) {
        return (int) (((long) size + SLAB - 1) / SLAB);
    }

    /** A part of up to {@code size} bytes; blocks while the budget is taken. */
    Part reserve(int size) throws InterruptedIOException {
        if (size <= 0) {
            throw new IllegalArgumentException("part size must be positive: " + size);
        }
        int slabs = slabsFor(size);
        synchronized (this) {
            line.awaitTurn(() -> {
                if (reserved + slabs <= budgetSlabs || reserved == 0) {
                    reserved += slabs;
                    return Boolean.TRUE;
                }
                return null;
            });
        }
        return new Part(this, size, slabs);
    }

    /** A slab for a part being filled: a free one, else a new one. */
    ByteBuffer slab() {
        synchronized (this) {
            ByteBuffer reused = free.poll();
            if (reused != null) {
                return reused.clear();
            }
            allocated++;
            peak = Math.max(peak, allocated);
        }
        try {
            return ByteBuffer.allocateDirect(SLAB);
        } catch (OutOfMemoryError e) {
            synchronized (this) {
                allocated--;
            }
            throw e;
        }
    }

    /** Gives back a part's reservation and its slabs. */
    synchronized void release(int reservation, ByteBuffer[] slabs, int count) {
        for (int i = 0; i < count; i++) {
            if (allocated <= budgetSlabs) {
                free.push(slabs[i]);
            } else {
                // beyond the budget (an oversized part): left to the collector, which frees its memory
                allocated--;
            }
        }
        reserved -= reservation;
        notifyAll();
    }

    /** Slabs reserved by parts that exist (for tests). */
    synchronized int reservedSlabs() {
        return reserved;
    }

    /** Slabs that exist, in parts or free (for tests). */
    synchronized int allocatedSlabs() {
        return allocated;
    }

    /** The most slabs that existed at once (for tests). */
    synchronized int peakSlabs() {
        return peak;
    }
}
