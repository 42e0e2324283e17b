package org.walj.storage;

import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The line of requests waiting for room in a byte budget of upload buffers ({@link PartBuffers}, S3's
 * {@code PartMemory}): the budget's owner keeps the accounting, this class only decides whose turn it is.
 * <p>
 * Why first come, first served: parts are not all one size (a first part is larger than the later ones, parts double
 * after 1,000 of them), and with everyone trying whenever memory came back, smaller requests could pass a large one
 * for ever, since each takes what it needs before enough is free for the large one. In arrival order, only the
 * request at the head may take, so the large one is served once the memory before it comes back.
 * <p>
 * All of it runs under the owner's monitor, the one its releases {@code notifyAll} on: the conditions a request waits
 * for are the owner's state, guarded by that monitor.
 */
public final class BudgetQueue {
    private final Object monitor;
    /** One entry per waiting request, in arrival order: only the first may take. */
    private final Deque<Object> waiting = new ArrayDeque<>();

    /** A line whose requests wait on {@code monitor}, the budget owner's lock. */
    public BudgetQueue(Object monitor) {
        this.monitor = Objects.requireNonNull(monitor, "monitor");
    }

    /**
     * Waits, holding the monitor, until this request is first in line and {@code attempt} (run at each turn, also
     * holding the monitor, and free to take from the budget) returns what it took; returns that. {@code attempt}
     * returns null while there is not room yet: the request then waits for the owner's next {@code notifyAll}.
     * Whether served or interrupted, the request leaves the line and the next one is woken.
     */
    public <T> T awaitTurn(Supplier<T> attempt) throws InterruptedIOException {
        if (!Thread.holdsLock(monitor)) {
            throw new IllegalStateException("a request must hold the budget's monitor");
        }
        Object turn = new Object();
        waiting.addLast(turn);
        try {
            while (true) {
                if (waiting.peekFirst() == turn) {
                    T taken = attempt.get();
                    if (taken != null) {
                        return taken;
                    }
                }
                monitor.wait();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for an upload buffer");
        } finally {
            // served or given up: the next request in line may go
            waiting.remove(turn);
            monitor.notifyAll();
        }
    }
}
