package org.walj.layout;

import java.util.Objects;

/**
 * The content of {@code base_X_Y_backup_stop_sentinel.json}, whose existence makes a backup complete. The start
 * position is not in it: it is the backup's name.
 *
 * @param stopSegment       WAL file holding the stop LSN
 * @param stopOffset        the stop LSN's offset in it, 8 zero-padded decimal digits
 * @param expandedSizeBytes sum of the sizes of the regular files in the tar partitions, as listed
 */
public record BackupSentinel(SegmentName stopSegment, String stopOffset, long expandedSizeBytes, RestoreSpec spec) {
    public BackupSentinel {
        Objects.requireNonNull(stopSegment, "stopSegment");
        Objects.requireNonNull(stopOffset, "stopOffset");
        Objects.requireNonNull(spec, "spec");
        if (expandedSizeBytes < 0) {
            throw new IllegalArgumentException("negative size");
        }
    }

    /**
     * The JSON WAL-E writes with Python's {@code json.dumps} defaults: {@code ", "} and {@code ": "} separators, keys
     * in insertion order, non-ASCII escaped as {@code \\uXXXX}, no trailing newline.
     */
    public String toJson() {
        StringBuilder b = new StringBuilder();
        b.append("{\"wal_segment_backup_stop\": ").append(PythonJson.string(stopSegment.toString()));
        b.append(", \"wal_segment_offset_backup_stop\": ").append(PythonJson.string(stopOffset));
        b.append(", \"expanded_size_bytes\": ").append(expandedSizeBytes);
        b.append(", \"spec\": {\"base_prefix\": ").append(PythonJson.string(spec.basePrefix()));
        b.append(", \"tablespaces\": [");
        for (int i = 0; i < spec.tablespaces().size(); i++) {
            b.append(i == 0 ? "" : ", ").append(PythonJson.string(spec.tablespaces().get(i).oid()));
        }
        b.append("]");
        for (Tablespace t : spec.tablespaces()) {
            b.append(", ").append(PythonJson.string(t.oid())).append(": {\"loc\": ")
                    .append(PythonJson.string(t.location())).append(", \"link\": ")
                    .append(PythonJson.string(t.link())).append("}");
        }
        b.append("}}");
        return b.toString();
    }
}
