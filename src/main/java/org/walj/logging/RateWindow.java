package org.walj.logging;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.OptionalDouble;

/**
 * The transfer rate over the last few seconds, from (time, bytes done) samples: recent enough to follow a change of
 * speed (the last big partition alone), long enough not to jump with every buffer. Not thread-safe: its progress
 * line samples it under its own lock.
 */
final class RateWindow {
    private final long windowNanos;
    private final long minimumNanos;
    private final Deque<long[]> samples = new ArrayDeque<>();

    /**
     * @param windowNanos  how far back the rate looks
     * @param minimumNanos no rate until the samples span this long (the first, noisy fraction of a second)
     */
    RateWindow(long windowNanos, long minimumNanos) {
        if (windowNanos <= 0 || minimumNanos <= 0 || minimumNanos > windowNanos) {
            throw new IllegalArgumentException("window " + windowNanos + " ns, minimum " + minimumNanos + " ns");
        }
        this.windowNanos = windowNanos;
        this.minimumNanos = minimumNanos;
    }

    void add(long nanos, long bytesDone) {
        samples.addLast(new long[] {nanos, bytesDone});
        // keep one sample at or beyond the window's start, so the window spans its full length once it can
        while (samples.size() > 2 && nanos - second()[0] >= windowNanos) {
            samples.removeFirst();
        }
    }

    /** Bytes per second between the oldest and newest sample; empty until they span the minimum. */
    OptionalDouble rate() {
        if (samples.size() < 2) {
            return OptionalDouble.empty();
        }
        long[] first = samples.getFirst();
        long[] last = samples.getLast();
        long span = last[0] - first[0];
        if (span < minimumNanos) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of((last[1] - first[1]) * 1e9 / span);
    }

    private long[] second() {
        var it = samples.iterator();
        it.next();
        return it.next();
    }
}
