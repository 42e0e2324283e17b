package org.walj.logging;

import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A {@link Progress} drawn on a {@link ConsoleLine}, redrawn at most once per interval: when bytes arrive, and by a
 * ticker (its owner's), so that a stalled transfer shows its rate falling instead of a frozen line.
 */
final class ProgressLine implements Progress {
    private final ConsoleLine console;
    private final String label;
    private final OptionalLong total;
    private final LongSupplier nanoClock;
    private final long intervalNanos;
    private final AtomicLong done = new AtomicLong();
    private final RateWindow rate;
    private final Runnable onClose;
    private volatile long nextDraw;
    private boolean closed;

    ProgressLine(ConsoleLine console, String label, OptionalLong total, LongSupplier nanoClock, long intervalNanos,
                 long windowNanos, Runnable onClose) {
        if (intervalNanos <= 0) {
            throw new IllegalArgumentException("interval " + intervalNanos + " ns");
        }
        this.console = console;
        this.label = label;
        this.total = total;
        this.nanoClock = nanoClock;
        this.intervalNanos = intervalNanos;
        this.rate = new RateWindow(windowNanos, Math.min(windowNanos, Math.max(intervalNanos, 1_000_000_000L)));
        this.onClose = onClose;
        long start = nanoClock.getAsLong();
        nextDraw = start; // nanoTime may be negative: no fixed "never drawn" value
        draw(start);
    }

    @Override
    public void add(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative byte count " + bytes);
        }
        done.addAndGet(bytes);
        refresh();
    }

    /** Draws the line when the interval since the last drawing has passed; a no-op otherwise. */
    void refresh() {
        long now = nanoClock.getAsLong();
        if (now - nextDraw < 0) {
            return; // the common case, without taking the lock
        }
        draw(now);
    }

    private synchronized void draw(long now) {
        if (closed || (now - nextDraw < 0)) {
            return;
        }
        nextDraw = now + intervalNanos;
        long bytes = done.get();
        rate.add(now, bytes);
        console.show(ProgressText.line(label, bytes, total, rate.rate()));
    }

    @Override
    public void close() {
        onClose.run(); // stop the ticker first: it must not draw the line again
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        console.clear();
    }
}
