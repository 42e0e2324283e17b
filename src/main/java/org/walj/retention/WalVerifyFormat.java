package org.walj.retention;

import java.util.List;
import java.util.stream.Collectors;
import org.walj.layout.PythonJson;
import org.walj.postgres.WalCoverage;

/** wal-verify's output: a few lines for people, or one JSON object for scripts. */
public final class WalVerifyFormat {
    private WalVerifyFormat() {
    }

    public static String text(WalVerify.Report r, boolean sizeAssumed) {
        StringBuilder b = new StringBuilder();
        b.append("segment size: ").append(r.segmentSize().bytes() >> 20).append(" MiB")
                .append(sizeAssumed ? " (assumed: the archive does not record it; see --wal-segment-size)" : "")
                .append('\n');
        if (r.coverage().isEmpty()) {
            return b.append("no WAL segments archived\nresult: nothing to check\n").toString();
        }
        WalCoverage.Span c = r.coverage().get();
        b.append("timeline: ").append(c.timeline()).append('\n');
        b.append("checked: ").append(c.from()).append(" to ").append(c.to())
                .append(r.fromBackup().map(n -> " (from backup " + n + " to the newest archived segment)")
                        .orElse(" (no backup on this timeline's history: from the oldest archived segment)"))
                .append('\n');
        for (WalCoverage.Gap g : c.gaps()) {
            b.append("gap: ").append(g.first());
            if (g.segments() > 1) {
                b.append(" to ").append(g.last());
            }
            b.append(" (").append(g.segments()).append(g.segments() == 1 ? " segment" : " segments")
                    .append(" missing)\n");
        }
        c.replayableUntil().ifPresent(u -> b.append("replayable until: ").append(u).append('\n'));
        for (var n : r.offHistory()) {
            b.append("not on timeline ").append(c.timeline()).append("'s history: ").append(n).append('\n');
        }
        for (String p : c.problems()) {
            b.append("warning: ").append(p).append('\n');
        }
        int n = c.gaps().size();
        b.append("result: ").append(c.complete() ? "complete" : n + (n == 1 ? " gap" : " gaps")).append('\n');
        return b.toString();
    }

    public static String json(WalVerify.Report r, boolean sizeAssumed) {
        StringBuilder b = new StringBuilder("{");
        b.append("\"segment_size_bytes\": ").append(r.segmentSize().bytes());
        b.append(", \"segment_size_assumed\": ").append(sizeAssumed);
        b.append(", \"complete\": ").append(r.complete());
        if (r.coverage().isEmpty()) {
            b.append(", \"timeline\": null, \"from\": null, \"to\": null, \"from_backup\": null, \"gaps\": []"
                    + ", \"replayable_until\": null, \"off_history_backups\": [], \"warnings\": []");
            return b.append("}\n").toString();
        }
        WalCoverage.Span c = r.coverage().get();
        b.append(", \"timeline\": ").append(c.timeline());
        b.append(", \"from\": ").append(PythonJson.string(c.from().toString()));
        b.append(", \"to\": ").append(PythonJson.string(c.to().toString()));
        b.append(", \"from_backup\": ").append(r.fromBackup().map(n -> PythonJson.string(n.toString())).orElse("null"));
        b.append(", \"gaps\": [").append(c.gaps().stream()
                .map(g -> "{\"first\": " + PythonJson.string(g.first().toString()) + ", \"last\": "
                        + PythonJson.string(g.last().toString()) + ", \"segments\": " + g.segments() + "}")
                .collect(Collectors.joining(", "))).append(']');
        b.append(", \"replayable_until\": ")
                .append(c.replayableUntil().map(u -> PythonJson.string(u.toString())).orElse("null"));
        b.append(", \"off_history_backups\": ").append(strings(r.offHistory().stream().map(Object::toString).toList()));
        b.append(", \"warnings\": ").append(strings(c.problems()));
        return b.append("}\n").toString();
    }

    private static String strings(List<String> values) {
        return values.stream().map(PythonJson::string).collect(Collectors.joining(", ", "[", "]"));
    }
}
