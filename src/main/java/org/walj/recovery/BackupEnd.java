package org.walj.recovery;

import java.time.Instant;
import java.util.Objects;
import org.walj.layout.BackupName;
import org.walj.layout.BackupSentinel;
import org.walj.postgres.Lsn;
import org.walj.postgres.SegmentName;
import org.walj.postgres.WalSegmentSize;

/**
 * One complete backup as the planner sees it: where its WAL starts (its name), and where and when it ended. The end
 * time is the sentinel's last-modified time: the sentinel is written after the backup stopped, so it is never
 * earlier than the backup's consistency point.
 *
 * @param stopLsn the stop position from the sentinel; when its offset is not the decimal WAL-E writes, the last byte
 *                of the stop segment (later, never earlier, than the true end)
 */
public record BackupEnd(BackupName name, Instant finishedAt, SegmentName stopSegment, Lsn stopLsn) {
    public BackupEnd {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(stopSegment, "stopSegment");
        Objects.requireNonNull(stopLsn, "stopLsn");
    }

    public static BackupEnd of(BackupName name, Instant finishedAt, BackupSentinel sentinel, WalSegmentSize size) {
        long segmentStart = size.number(sentinel.stopSegment()) * size.bytes();
        long offset = sentinel.stopOffset().matches("[0-9]{8}") ? Long.parseLong(sentinel.stopOffset()) : -1;
        long stop = offset >= 0 && offset < size.bytes() ? segmentStart + offset : segmentStart + size.bytes() - 1;
        return new BackupEnd(name, finishedAt, sentinel.stopSegment(), new Lsn(stop));
    }

    public SegmentName startSegment() {
        return name.startSegment();
    }

    /** For messages: {@code base_… (finished 2026-…Z, stop LSN 0/5000100)}. */
    public String describe() {
        return name + " (finished " + finishedAt + ", stop LSN " + stopLsn + ")";
    }
}
