package org.walj.postgres;

/**
 * A WAL location as a backup name and sentinel record it: the WAL file holding it and the byte offset inside that
 * file.
 */
public record WalPosition(String walFileName, long offset) {
    public WalPosition {
        if (walFileName == null || !WalNames.SEGMENT_NAME.matcher(walFileName).matches()) {
            throw new IllegalArgumentException("not a WAL file name: " + walFileName);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset");
        }
    }

    public static WalPosition of(Lsn lsn, long timeline, long segmentSize) {
        return new WalPosition(lsn.walFileName(timeline, segmentSize), lsn.offsetInSegment(segmentSize));
    }
}
