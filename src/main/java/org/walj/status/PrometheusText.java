package org.walj.status;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.walj.backup.BackupRow;

/**
 * {@code wal-j status --prometheus}: Prometheus' text exposition format (version 0.0.4), as node_exporter's textfile
 * collector reads it. A value wal-j does not know is left out rather than written as a made-up number, so an alert
 * can tell "no backup" ({@code absent(...)}) from "an old one" (docs/monitoring.md).
 */
public final class PrometheusText {
    private final StringBuilder out = new StringBuilder();

    private PrometheusText() {
    }

    public static String of(HostStatus s) {
        PrometheusText p = new PrometheusText();
        ArchiverState a = s.archiver();
        p.gauge("walj_status_collected_timestamp_seconds", "When wal-j status collected these values.",
                seconds(s.collectedAt()));
        p.gauge("walj_postgres_up", "1 when pg_stat_archiver was read, 0 when PostgreSQL did not answer "
                + "(archiving then read from storage).", a.source() == ArchiverState.Source.POSTGRES ? "1" : "0");
        a.lastArchivedTime().ifPresent(t -> {
            p.gauge("walj_archiver_last_archived_timestamp_seconds", "When the last segment was archived.",
                    seconds(t));
            p.gauge("walj_archiver_last_archived_age_seconds", "Seconds since the last segment was archived.",
                    age(s, t));
        });
        a.lastArchivedWal().ifPresent(w -> p.info("walj_archiver_last_archived_info",
                "The last archived segment and where that was read.", Map.of("segment", w,
                        "source", a.source().label())));
        if (a.failedCount().isPresent()) {
            p.sample("walj_archiver_failed_total", "counter", "Failed archive_command calls (pg_stat_archiver's "
                    + "failed_count, since its statistics were reset).", Map.of(),
                    Long.toString(a.failedCount().getAsLong()));
            a.lastFailedTime().ifPresent(t -> p.gauge("walj_archiver_last_failed_timestamp_seconds",
                    "When archive_command last failed.", seconds(t)));
            p.gauge("walj_archiver_failing", "1 when archive_command's latest attempt failed.",
                    a.failing() ? "1" : "0");
        }
        s.backlog().ifPresent(r -> {
            p.gauge("walj_archive_ready_segments", "Segments waiting to be archived (.ready in "
                    + "pg_wal/archive_status).", Integer.toString(r.segments()));
            r.oldest().ifPresent(t -> p.gauge("walj_archive_ready_oldest_age_seconds",
                    "Seconds since the oldest segment waiting to be archived was made ready.", age(s, t)));
        });
        p.gauge("walj_backups", "Complete base backups in the archive.", Integer.toString(s.backups()));
        if (s.newestBackup().isPresent()) {
            BackupRow n = s.newestBackup().get();
            p.gauge("walj_backup_newest_timestamp_seconds", "When the newest base backup completed (its sentinel).",
                    seconds(n.lastModified()));
            p.gauge("walj_backup_newest_age_seconds", "Seconds since the newest base backup completed.",
                    age(s, n.lastModified()));
            p.gauge("walj_backup_newest_wal_complete", "1 when the archive holds every segment from the newest "
                    + "backup on (backup-list --detail's wal_coverage is complete).",
                    "complete".equals(n.walCoverage()) ? "1" : "0");
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put("backup", n.name());
            labels.put("wal_coverage", n.walCoverage() == null ? "unknown" : n.walCoverage());
            p.info("walj_backup_newest_info", "The newest base backup and its WAL coverage.", labels);
        }
        return p.out.toString();
    }

    private void gauge(String name, String help, String value) {
        sample(name, "gauge", help, Map.of(), value);
    }

    private void info(String name, String help, Map<String, String> labels) {
        sample(name, "gauge", help, labels, "1");
    }

    private void sample(String name, String type, String help, Map<String, String> labels, String value) {
        out.append("# HELP ").append(name).append(' ').append(escapeHelp(help)).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        out.append(name);
        if (!labels.isEmpty()) {
            out.append('{');
            String sep = "";
            for (Map.Entry<String, String> l : new java.util.TreeMap<>(labels).entrySet()) {
                out.append(sep).append(l.getKey()).append("=\"").append(escapeLabel(l.getValue())).append('"');
                sep = ",";
            }
            out.append('}');
        }
        out.append(' ').append(value).append('\n');
    }

    /** Seconds since the epoch with milliseconds, e.g. {@code 1765090000.123}. */
    static String seconds(Instant t) {
        long millis = t.toEpochMilli();
        return Math.floorDiv(millis, 1000) + "." + String.format(java.util.Locale.ROOT, "%03d", Math.floorMod(millis, 1000));
    }

    private static String age(HostStatus s, Instant t) {
        Duration d = s.ageOf(t);
        return seconds(Instant.ofEpochMilli(d.toMillis()));
    }

    /** The format's escapes for a label value: backslash, double quote and line feed. */
    static String escapeLabel(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    /** HELP text escapes backslash and line feed only. */
    private static String escapeHelp(String v) {
        return v.replace("\\", "\\\\").replace("\n", "\\n");
    }
}
