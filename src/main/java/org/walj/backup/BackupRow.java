package org.walj.backup;

import java.time.Instant;
import java.util.OptionalLong;

/**
 * One line of backup-list: WAL-E's seven columns. The sentinel-derived ones ({@code expanded_size_bytes} and the
 * stop position) are null unless the sentinel was read ({@code --detail}).
 */
public record BackupRow(String name, Instant lastModified, OptionalLong expandedSizeBytes, String startSegment,
                        String startOffset, String stopSegment, String stopOffset) {
}
