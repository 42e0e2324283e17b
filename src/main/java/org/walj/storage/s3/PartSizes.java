package org.walj.storage.s3;

/**
 * Part sizes of a multipart upload of unknown length, and the memory their buffers may take.
 * <p>
 * Part 1 has the configured part size ({@code WALJ_S3_PART_SIZE_MIB}, 20 MiB by default): an object that fits in it
 * is sent with one PUT, so a 16 MiB WAL segment, even incompressible, costs one request. The later parts are smaller
 * when the upload runs parts in parallel: all the parts in flight plus the one being filled share one
 * {@link #budget() budget}, the configured part size, instead of {@code (parallel + 1) ×} the part size each. Where
 * S3's 5 MiB minimum part makes {@code parallel + 1} parts more than that, the budget is {@code parallel × 5 MiB}:
 * the parts in flight, the next one being filled as soon as one of them is done (filling a part from the encoder's
 * read-ahead takes milliseconds, sending it much longer). S3 lets parts of one upload differ in size (every part but
 * the last at least 5 MiB).
 * <p>
 * S3 allows at most 10,000 parts; the length is unknown when the upload starts (compressed, encrypted streams), so
 * the size of the later parts doubles after every 1,000 parts, capped at {@link #MAX_PART_SIZE} (Java arrays hold
 * at most 2 GiB; S3 allows 5 GiB): with 5 MiB later parts 10,000 parts still reach ~3.2 TiB.
 */
final class PartSizes {
    static final int MAX_PARTS = 10_000;
    static final int PARTS_PER_STEP = 1_000;
    static final int MAX_PART_SIZE = 1 << 30;
    static final int MIN_PART_SIZE = S3Settings.MIN_PART_SIZE;
    private static final int MIB = 1024 * 1024;

    private final int first;
    private final int rest;
    private final long budget;

    /** All parts of {@code partSize}, one in flight. */
    PartSizes(int partSize) {
        this(partSize, partSize, 2L * partSize);
    }

    private PartSizes(int first, int rest, long budget) {
        if (first <= 0 || first > MAX_PART_SIZE || rest <= 0 || rest > first) {
            throw new IllegalArgumentException("part sizes out of range: " + first + ", " + rest);
        }
        this.first = first;
        this.rest = rest;
        this.budget = budget;
    }

    /**
     * Part 1 of {@code partSize}, the later parts as large as {@code parallel + 1} of them fit in {@code partSize}
     * (whole MiB), but at least S3's 5 MiB and at most {@code partSize}; the budget is {@code partSize}, or
     * {@code parallel} later parts when they are more.
     */
    static PartSizes forParallel(int partSize, int parallel) {
        if (parallel < 1) {
            throw new IllegalArgumentException("parallel parts must be at least 1, not " + parallel);
        }
        long share = (long) partSize / (parallel + 1) / MIB * MIB;
        int rest = (int) Math.min(partSize, Math.max(Math.min(MIN_PART_SIZE, partSize), share));
        return new PartSizes(partSize, rest, Math.max(partSize, (long) parallel * rest));
    }

    /** The size of part {@code number} (1-based). */
    int sizeOf(int number) {
        if (number < 1 || number > MAX_PARTS) {
            throw new IllegalArgumentException("part number out of range: " + number);
        }
        if (number == 1) {
            return first;
        }
        int doublings = (number - 1) / PARTS_PER_STEP;
        long size = (long) rest << Math.min(doublings, 31);
        return (int) Math.min(size, MAX_PART_SIZE);
    }

    /** The bytes of parts the uploads of one storage may hold at once: the parts in flight and one filling. */
    long budget() {
        return budget;
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
