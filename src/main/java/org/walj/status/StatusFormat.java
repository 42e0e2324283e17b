package org.walj.status;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.walj.backup.BackupListFormat;
import org.walj.backup.BackupRow;
import org.walj.layout.PythonJson;

/** {@code wal-j status}'s text and JSON; the Prometheus form is {@link PrometheusText}. */
public final class StatusFormat {
    private StatusFormat() {
    }

    /** One line per fact, for a person. */
    public static String text(HostStatus s) {
        StringBuilder b = new StringBuilder();
        ArchiverState a = s.archiver();
        b.append("archiving read from: ").append(a.source().label());
        s.postgresProblem().ifPresent(p -> b.append(" (PostgreSQL did not answer: ").append(p).append(')'));
        b.append('\n');
        b.append("last archived WAL file: ").append(a.lastArchivedWal().orElse("none"))
                .append(when(s, a.lastArchivedTime())).append('\n');
        if (a.failedCount().isPresent()) {
            b.append("archive_command failures: ").append(a.failedCount().getAsLong());
            a.lastFailedWal().ifPresent(w -> b.append(", last on ").append(w).append(when(s, a.lastFailedTime())));
            b.append(a.failing() ? "; FAILING: the latest attempt failed" : "").append('\n');
        }
        if (s.backlog().isPresent()) {
            ReadyBacklog r = s.backlog().get();
            b.append("segments waiting to be archived (.ready): ").append(r.segments());
            r.oldest().ifPresent(t -> b.append(", oldest made").append(when(s, Optional.of(t))));
            b.append('\n');
        }
        b.append("backups: ").append(s.backups()).append('\n');
        s.newestBackup().ifPresent(n -> b.append("newest backup: ").append(n.name())
                .append(when(s, Optional.of(n.lastModified())))
                .append(", WAL coverage ").append(orNone(n.walCoverage()))
                .append(", replayable until ").append(orNone(n.walReplayableUntil())).append('\n'));
        return b.toString();
    }

    /** One JSON object; absent values are null, ages are whole seconds. */
    public static String json(HostStatus s) {
        ArchiverState a = s.archiver();
        StringBuilder b = new StringBuilder("{");
        b.append("\"collected_at\": ").append(time(Optional.of(s.collectedAt())));
        b.append(", \"archiver\": {\"source\": ").append(PythonJson.string(a.source().label()));
        b.append(", \"last_archived_wal\": ").append(string(a.lastArchivedWal()));
        b.append(", \"last_archived_time\": ").append(time(a.lastArchivedTime()));
        b.append(", \"last_archived_age_seconds\": ").append(age(s, a.lastArchivedTime()));
        b.append(", \"failed_count\": ").append(a.failedCount().isPresent()
                ? Long.toString(a.failedCount().getAsLong()) : "null");
        b.append(", \"last_failed_wal\": ").append(string(a.lastFailedWal()));
        b.append(", \"last_failed_time\": ").append(time(a.lastFailedTime()));
        b.append(", \"failing\": ").append(a.source() == ArchiverState.Source.POSTGRES ? a.failing() : "null");
        b.append("}, \"postgres_error\": ").append(string(s.postgresProblem()));
        b.append(", \"ready\": ");
        if (s.backlog().isPresent()) {
            ReadyBacklog r = s.backlog().get();
            b.append("{\"segments\": ").append(r.segments()).append(", \"oldest_age_seconds\": ")
                    .append(age(s, r.oldest())).append('}');
        } else {
            b.append("null");
        }
        b.append(", \"backups\": ").append(s.backups());
        b.append(", \"newest_backup\": ");
        if (s.newestBackup().isPresent()) {
            BackupRow n = s.newestBackup().get();
            b.append("{\"name\": ").append(PythonJson.string(n.name()));
            b.append(", \"last_modified\": ").append(time(Optional.of(n.lastModified())));
            b.append(", \"age_seconds\": ").append(age(s, Optional.of(n.lastModified())));
            b.append(", \"wal_coverage\": ").append(string(Optional.ofNullable(n.walCoverage())));
            b.append(", \"wal_replayable_until\": ").append(string(Optional.ofNullable(n.walReplayableUntil())));
            b.append('}');
        } else {
            b.append("null");
        }
        return b.append("}\n").toString();
    }

    private static String when(HostStatus s, Optional<Instant> t) {
        return t.map(i -> " at " + BackupListFormat.lastModified(i) + " (" + s.ageOf(i).toSeconds() + " s ago)")
                .orElse("");
    }

    private static String orNone(String value) {
        return value == null ? "unknown" : value;
    }

    private static String string(Optional<String> value) {
        return value.map(PythonJson::string).orElse("null");
    }

    private static String time(Optional<Instant> t) {
        return t.map(i -> PythonJson.string(BackupListFormat.lastModified(i))).orElse("null");
    }

    private static String age(HostStatus s, Optional<Instant> t) {
        return t.map(s::ageOf).map(Duration::toSeconds).map(String::valueOf).orElse("null");
    }
}
