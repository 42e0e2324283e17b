package org.walj.layout;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;
import org.walj.postgres.SegmentName;

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

    /**
     * Reads a sentinel as WAL-E wrote it: any key order, unknown keys ignored (WAL-E's readers copy every key).
     * The spec is read from {@code spec}, or from {@code Spec} as WAL-G writes it; a sentinel without either has an
     * empty spec. Throws with a one-line message naming what is wrong.
     */
    public static BackupSentinel parse(String json) throws IOException {
        Map<String, Object> root = JsonFields.object(parseJson(json), "sentinel");
        String stop = JsonFields.string(root, "wal_segment_backup_stop", "sentinel");
        SegmentName stopSegment = SegmentName.parse(stop)
                .orElseThrow(() -> new IOException("sentinel: wal_segment_backup_stop is not a WAL file name: " + stop));
        String offset = JsonFields.string(root, "wal_segment_offset_backup_stop", "sentinel");
        if (!offset.matches("[0-9A-F]{8}")) {
            throw new IOException("sentinel: wal_segment_offset_backup_stop is not 8 digits: " + offset);
        }
        Object size = root.get("expanded_size_bytes");
        long expanded;
        try {
            expanded = size instanceof BigDecimal d ? d.longValueExact() : -1;
        } catch (ArithmeticException e) {
            expanded = -1;
        }
        if (expanded < 0) {
            throw new IOException("sentinel: expanded_size_bytes is not a non-negative integer: " + size);
        }
        Object spec = root.containsKey("spec") ? root.get("spec") : root.get("Spec");
        RestoreSpec restoreSpec = spec == null || spec == Json.NULL
                ? new RestoreSpec("", java.util.List.of())
                : RestoreSpec.fromMap(JsonFields.object(spec, "sentinel spec"), "sentinel spec");
        return new BackupSentinel(stopSegment, offset, expanded, restoreSpec);
    }

    private static Object parseJson(String json) throws IOException {
        try {
            return Json.parse(json);
        } catch (Json.JsonException e) {
            throw new IOException("sentinel is not valid JSON: " + e.getMessage());
        }
    }
}
