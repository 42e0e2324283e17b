package org.walj.backup;

import java.time.Instant;
import java.util.OptionalLong;

/**
 * One line of backup-list: WAL-E's seven columns. The sentinel-derived ones ({@code expanded_size_bytes} and the
 * stop position) are null unless the sentinel was read ({@code --detail}); so are wal-j's two WAL coverage columns
 * ({@code complete}, {@code gap}, {@code missing} or {@code unknown}, and the last segment replay reaches).
 */
public record BackupRow(String name, Instant lastModified, OptionalLong expandedSizeBytes, String startSegment,
                        String startOffset, String stopSegment, String stopOffset, String walCoverage,
                        String walReplayableUntil) {

    /** A row without the WAL coverage columns. */
    public BackupRow(String name, Instant lastModified, OptionalLong expandedSizeBytes, String startSegment,
                     String startOffset, String stopSegment, String stopOffset) {
        this(name, lastModified, expandedSizeBytes, startSegment, startOffset, stopSegment, stopOffset, null, null);
    }
}
