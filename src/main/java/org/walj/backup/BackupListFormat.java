package org.walj.backup;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.walj.layout.PythonJson;

/**
 * backup-list's output. The table is what WAL-E prints with Python's {@code csv.writer(dialect='excel-tab')}: header
 * always, tab-separated, {@code \r\n} after every row, a field quoted only when it holds a tab, a quote, CR or LF.
 * {@code last_modified} is S3's form ({@code 2017-03-01T20:20:37.000Z}, UTC, milliseconds) on every backend.
 */
public final class BackupListFormat {
    static final List<String> COLUMNS = List.of("name", "last_modified", "expanded_size_bytes",
            "wal_segment_backup_start", "wal_segment_offset_backup_start", "wal_segment_backup_stop",
            "wal_segment_offset_backup_stop");
    private static final DateTimeFormatter S3_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private BackupListFormat() {
    }

    public static String lastModified(Instant t) {
        return S3_TIME.format(t.truncatedTo(ChronoUnit.MILLIS));
    }

    /** wal-j's columns after WAL-E's seven, present when rows carry WAL coverage ({@code --detail}). */
    static final List<String> COVERAGE_COLUMNS = List.of("wal_coverage", "wal_replayable_until");

    public static String table(List<BackupRow> rows) {
        return table(rows, rows.stream().anyMatch(r -> r.walCoverage() != null));
    }

    /** With {@code coverage}, the two WAL coverage columns follow WAL-E's seven, also in the header of no rows. */
    public static String table(List<BackupRow> rows, boolean coverage) {
        StringBuilder b = new StringBuilder();
        List<String> header = new ArrayList<>(COLUMNS);
        if (coverage) {
            header.addAll(COVERAGE_COLUMNS);
        }
        line(b, header);
        for (BackupRow r : rows) {
            List<String> f = new ArrayList<>(7);
            f.add(r.name());
            f.add(lastModified(r.lastModified()));
            f.add(r.expandedSizeBytes().isPresent() ? Long.toString(r.expandedSizeBytes().getAsLong()) : "");
            f.add(r.startSegment());
            f.add(r.startOffset());
            f.add(r.stopSegment() == null ? "" : r.stopSegment());
            f.add(r.stopOffset() == null ? "" : r.stopOffset());
            if (coverage) {
                f.add(r.walCoverage() == null ? "" : r.walCoverage());
                f.add(r.walReplayableUntil() == null ? "" : r.walReplayableUntil());
            }
            line(b, f);
        }
        return b.toString();
    }

    /** An array of objects with the table's keys; the size is a number, missing values are null. */
    public static String json(List<BackupRow> rows) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < rows.size(); i++) {
            BackupRow r = rows.get(i);
            b.append(i == 0 ? "" : ", ").append('{');
            b.append("\"name\": ").append(PythonJson.string(r.name()));
            b.append(", \"last_modified\": ").append(PythonJson.string(lastModified(r.lastModified())));
            b.append(", \"expanded_size_bytes\": ").append(r.expandedSizeBytes().isPresent()
                    ? Long.toString(r.expandedSizeBytes().getAsLong()) : "null");
            b.append(", \"wal_segment_backup_start\": ").append(PythonJson.string(r.startSegment()));
            b.append(", \"wal_segment_offset_backup_start\": ").append(PythonJson.string(r.startOffset()));
            b.append(", \"wal_segment_backup_stop\": ").append(nullable(r.stopSegment()));
            b.append(", \"wal_segment_offset_backup_stop\": ").append(nullable(r.stopOffset()));
            if (r.walCoverage() != null) {
                b.append(", \"wal_coverage\": ").append(nullable(r.walCoverage()));
                b.append(", \"wal_replayable_until\": ").append(nullable(r.walReplayableUntil()));
            }
            b.append('}');
        }
        return b.append("]\n").toString();
    }

    private static String nullable(String s) {
        return s == null ? "null" : PythonJson.string(s);
    }

    private static void line(StringBuilder b, List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                b.append('\t');
            }
            b.append(quoted(fields.get(i)));
        }
        b.append("\r\n");
    }

    static String quoted(String field) {
        if (field.indexOf('\t') < 0 && field.indexOf('"') < 0 && field.indexOf('\r') < 0 && field.indexOf('\n') < 0) {
            return field;
        }
        return '"' + field.replace("\"", "\"\"") + '"';
    }
}
