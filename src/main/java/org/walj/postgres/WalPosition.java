package org.walj.postgres;

import java.util.Objects;

/**
 * A WAL location as a backup name and sentinel record it: the WAL file holding it and the byte offset inside that
 * file.
 */
public record WalPosition(SegmentName segment, long offset) {
    public WalPosition {
        Objects.requireNonNull(segment, "segment");
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset");
        }
    }

    public static WalPosition of(Lsn lsn, long timeline, WalSegmentSize size) {
        return new WalPosition(lsn.segment(timeline, size), lsn.offsetInSegment(size));
    }
}
