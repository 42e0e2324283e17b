package org.walj.backup;

import java.io.InterruptedIOException;

/**
 * {@code --cluster-read-rate-limit}: an aggregate cap on the bytes read from the cluster per second, shared by every
 * partition being written (WAL-E split the figure evenly over its per-partition {@code pv} processes; one shared
 * budget gives the same total and lets a lone last partition use all of it).
 */
public final class ReadRateLimit {
    private final long bytesPerSecond;
    private long nextFreeNanos;

    private ReadRateLimit(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
        this.nextFreeNanos = System.nanoTime();
    }

    public static ReadRateLimit unlimited() {
        return new ReadRateLimit(0);
    }

    public static ReadRateLimit of(long bytesPerSecond) {
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("rate limit must be positive");
        }
        return new ReadRateLimit(bytesPerSecond);
    }

    /** Waits until {@code bytes} more may be read. */
    public void acquire(int bytes) throws InterruptedIOException {
        if (bytesPerSecond == 0 || bytes <= 0) {
            return;
        }
        long waitUntil;
        synchronized (this) {
            long now = System.nanoTime();
            long start = Math.max(now, nextFreeNanos);
            nextFreeNanos = start + bytes * 1_000_000_000L / bytesPerSecond;
            waitUntil = start;
        }
        long sleep = waitUntil - System.nanoTime();
        if (sleep > 0) {
            try {
                Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while rate limiting");
            }
        }
    }
}
