package org.walj.postgres;

/**
 * The size of a cluster's WAL segments ({@code initdb --wal-segsize}) and the arithmetic that follows from it:
 * PostgreSQL numbers segments consecutively from LSN 0 and names segment {@code n} by splitting {@code n} into a "log"
 * (one per 4 GiB of WAL) and a segment within that log.
 */
public record WalSegmentSize(long bytes) {
    /** PostgreSQL's default, and what WAL-E assumed everywhere. */
    public static final WalSegmentSize DEFAULT = new WalSegmentSize(16L * 1024 * 1024);
    private static final long BYTES_PER_LOG = 0x1_0000_0000L;

    public WalSegmentSize {
        if (!isValid(bytes)) {
            throw new IllegalArgumentException("WAL segment size must be a power of two from 1 MiB to 1 GiB: " + bytes);
        }
    }

    /** PostgreSQL allows powers of two from 1 MiB to 1 GiB. */
    public static boolean isValid(long bytes) {
        return bytes >= 1024 * 1024 && bytes <= 1024L * 1024 * 1024 && Long.bitCount(bytes) == 1;
    }

    public long segmentsPerLog() {
        return BYTES_PER_LOG / bytes;
    }

    /** The segment's position in the WAL, counted from segment 0 of log 0 (its timeline does not count). */
    public long number(SegmentName segment) {
        return segment.log() * segmentsPerLog() + segment.segment();
    }

    /** The segment with position {@code number} on {@code timeline}. */
    public SegmentName name(long timeline, long number) {
        return new SegmentName(timeline, number / segmentsPerLog(), number % segmentsPerLog());
    }

    /** The position of the segment holding WAL location {@code lsn} (PostgreSQL's {@code XLByteToSeg}). */
    public long numberAt(long lsn) {
        return Long.divideUnsigned(lsn, bytes);
    }

    /** Byte offset of WAL location {@code lsn} inside its segment. */
    public long offsetAt(long lsn) {
        return Long.remainderUnsigned(lsn, bytes);
    }

    /** Whether a segment of this name can exist with segments of this size (its segment part fits in a log). */
    public boolean fits(SegmentName segment) {
        return segment.segment() < segmentsPerLog();
    }
}
