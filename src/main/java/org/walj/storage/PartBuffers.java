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
    /** Requests for room, served in arrival order (see {@link BudgetQueue} for why). */
    private final BudgetQueue line = new BudgetQueue(this);
    /** What a request's turn answers when it may allocate a new buffer (compared by identity). */
    private static final byte[] ALLOCATE = new byte[0];

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
        byte[] taken;
        synchronized (this) {
            taken = line.awaitTurn(() -> {
                byte[] reused = reusable(size);
                if (reused != null) {
                    return reused;
                }
                if (held + size <= budget || held == 0) {
                    held += size;
                    return ALLOCATE;
                }
                return null;
            });
        }
        if (taken != ALLOCATE) {
            return taken;
        }
        // allocated outside the monitor: the other uploads give back and take meanwhile
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
