package org.walj.storage.s3;

/**
 * Part sizes of a multipart upload of unknown length. S3 allows at most 10,000 parts; the length is unknown when the
 * upload starts (compressed, encrypted streams), so the part size doubles after every 1,000 parts: with 20 MiB
 * parts, an object keeps the first part size up to ~20 GB, and 10,000 parts reach ~5 TiB (S3's object limit),
 * since a part is at most {@link #MAX_PART_SIZE} (Java arrays hold at most 2 GiB; S3 allows 5 GiB).
 */
final class PartSizes {
    static final int MAX_PARTS = 10_000;
    static final int PARTS_PER_STEP = 1_000;
    static final int MAX_PART_SIZE = 1 << 30;

    private final int first;

    PartSizes(int first) {
        if (first <= 0 || first > MAX_PART_SIZE) {
            throw new IllegalArgumentException("part size out of range: " + first);
        }
        this.first = first;
    }

    /** The size of part {@code number} (1-based). */
    int sizeOf(int number) {
        if (number < 1 || number > MAX_PARTS) {
            throw new IllegalArgumentException("part number out of range: " + number);
        }
        int doublings = (number - 1) / PARTS_PER_STEP;
        long size = (long) first << Math.min(doublings, 31);
        return (int) Math.min(size, MAX_PART_SIZE);
    }

    /** The most bytes an object can have. */
    long maxObjectSize() {
        long total = 0;
        for (int n = 1; n <= MAX_PARTS; n++) {
            total += sizeOf(n);
        }
        return total;
    }
}
