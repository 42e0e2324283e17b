package org.walj.storage;

import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Semaphore;

/**
 * A fixed number of part buffers shared by every upload of one storage (S3 multipart parts, Azure blocks): at most {@code slots} buffers exist at once,
 * so peak heap is {@code slots × part size} whatever the size or number of objects. An upload holds one buffer while
 * filling it and the ones whose upload is in flight; the filled ones are released when sent, so uploads waiting
 * here cannot deadlock each other. Buffers are kept for reuse (allocating 20 MiB per WAL segment would churn the heap).
 */
public final class PartBuffers {
    private final Semaphore slots;
    private final Deque<byte[]> free = new ArrayDeque<>();

    public PartBuffers(int slots) {
        this.slots = new Semaphore(slots, true);
    }

    /** A buffer of at least {@code size} bytes; blocks while all slots are taken. */
    public byte[] take(int size) throws InterruptedIOException {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for an upload buffer");
        }
        synchronized (free) {
            byte[] b = free.poll();
            if (b != null && b.length >= size) {
                return b;
            }
        }
        // a smaller free buffer (the part size grew) is dropped for the garbage collector
        try {
            return new byte[size];
        } catch (OutOfMemoryError e) {
            slots.release();
            throw e;
        }
    }

    public void give(byte[] buffer) {
        synchronized (free) {
            free.push(buffer);
        }
        slots.release();
    }
}
