package org.walj.storage;

import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * Part buffers shared by every upload of one storage (Azure blocks, Swift segments; S3 keeps its parts outside the
 * heap, in {@code s3.PartMemory}), bounded in bytes: the buffers that exist (being filled, in flight, or free for
 * reuse) never add up to more than the budget, whatever the number or size of the objects, so peak memory is the
 * budget however parts are sized.
 * <p>
 * Buffers are kept for reuse (allocating a part per WAL segment or per part would churn the heap); a free buffer of
 * another size is dropped when its bytes are needed, and a larger free one serves a smaller part rather than
 * allocate. Requests are served in arrival order, so a part larger than what is free (a first part, or a part
 * doubled after 1,000 parts) is not starved by smaller ones; one larger than the whole budget waits until nothing
 * else is held. No deadlock: a holder either fills its buffer (no other wait) or uploads it, and both give it back.
 */
public final class PartBuffers {
    private final long budget;
    private final Deque<byte[]> free = new ArrayDeque<>();
    /** Bytes of the buffers that exist, free or not, plus those being allocated. */
    private long held;
    /** One entry per waiting request, in arrival order: only the first may take. */
    private final Deque<Object> waiting = new ArrayDeque<>();

    /** Room for {@code slots} buffers of {@code partSize}: one being filled per upload plus the parts in flight. */
    public static PartBuffers forSlots(int slots, int partSize) {
        return new PartBuffers((long) slots * partSize);
    }

    public PartBuffers(long budget) {
        if (budget <= 0) {
            throw new IllegalArgumentException("budget must be positive: " + budget);
        }
        this.budget = budget;
    }

    /** A buffer of at least {@code size} bytes; blocks while the budget is taken. */
    public byte[] take(int size) throws InterruptedIOException {
        synchronized (this) {
            Object turn = new Object();
            waiting.addLast(turn);
            try {
                while (true) {
                    if (waiting.peekFirst() == turn) {
                        byte[] reused = reusable(size);
                        if (reused != null) {
                            return reused;
                        }
                        if (held + size <= budget || held == 0) {
                            held += size;
                            break;
                        }
                    }
                    wait();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for an upload buffer");
            } finally {
                // served or given up: the next request in line may go
                waiting.remove(turn);
                notifyAll();
            }
        }
        try {
            return new byte[size];
        } catch (OutOfMemoryError e) {
            synchronized (this) {
                held -= size;
                notifyAll();
            }
            throw e;
        }
    }

    /** Returns a buffer for reuse. */
    public synchronized void give(byte[] buffer) {
        free.push(buffer);
        notifyAll();
    }

    /** Bytes of the buffers that exist (for tests). */
    public synchronized long held() {
        return held;
    }

    /** A free buffer of exactly {@code size}, else a larger one when the budget cannot fit a new one; drops others. */
    private byte[] reusable(int size) {
        byte[] larger = null;
        for (Iterator<byte[]> i = free.iterator(); i.hasNext(); ) {
            byte[] b = i.next();
            if (b.length == size) {
                i.remove();
                return b;
            }
            if (b.length > size && larger == null) {
                larger = b;
            }
        }
        if (held + size <= budget) {
            return null;
        }
        if (larger != null) {
            free.remove(larger);
            return larger;
        }
        // smaller free buffers only: drop them for the garbage collector until the new one fits
        while (!free.isEmpty() && held + size > budget) {
            held -= free.pop().length;
        }
        return null;
    }

}
