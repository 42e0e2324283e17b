package org.walj.postgres;

import java.util.Optional;

/** A WAL segment file name: timeline, log and segment number, 8 upper-case hex digits each. */
public record SegmentName(long timeline, long log, long segment) implements Comparable<SegmentName> {

    public SegmentName {
        checkRange("timeline", timeline);
        checkRange("log", log);
        checkRange("segment", segment);
    }

    public static Optional<SegmentName> parse(String name) {
        if (name == null || !WalNames.SEGMENT_NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        return Optional.of(new SegmentName(
                Long.parseLong(name, 0, 8, 16), Long.parseLong(name, 8, 16, 16), Long.parseLong(name, 16, 24, 16)));
    }

    /** The segment after this one on the same timeline, for 16 MiB segments (as WAL-E's prefetch computes it). */
    public SegmentName next() {
        return next(WalSegmentSize.DEFAULT);
    }

    /**
     * The segment after this one on the same timeline, for segments of {@code size}. A name whose segment part is
     * already past the log's last (written by a cluster with smaller segments) goes on to the next log, as WAL-E did.
     */
    public SegmentName next(WalSegmentSize size) {
        long s = segment + 1;
        return s >= size.segmentsPerLog() ? new SegmentName(timeline, log + 1, 0) : new SegmentName(timeline, log, s);
    }

    /**
     * A key that orders segments by their place in the WAL whatever their timeline, without knowing the segment size
     * (within one log, the segment part counts up).
     */
    public long placeInWal() {
        return log << 32 | segment;
    }

    @Override
    public int compareTo(SegmentName o) {
        return toString().compareTo(o.toString());
    }

    @Override
    public String toString() {
        return String.format("%08X%08X%08X", timeline, log, segment);
    }

    private static void checkRange(String what, long v) {
        if (v < 0 || v > 0xFFFFFFFFL) {
            throw new IllegalArgumentException(what + " out of range: " + v);
        }
    }
}
