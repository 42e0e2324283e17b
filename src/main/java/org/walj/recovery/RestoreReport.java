package org.walj.recovery;

import java.nio.file.Path;

/** What wal-j restore prints on stdout: the plan (all a dry run does) and what to run next. */
public final class RestoreReport {
    private RestoreReport() {
    }

    public static String plan(PointInTimeRestore.Plan plan, boolean dryRun) {
        PointInTimeRestore.Request r = plan.request();
        StringBuilder b = new StringBuilder();
        b.append(dryRun ? "Dry run: nothing was written. The restore would:\n" : "Restore plan:\n");
        b.append("  backup:   ").append(plan.choice().backup().describe()).append('\n');
        b.append("            ").append(plan.choice().why()).append('\n');
        b.append("  WAL:      ").append(plan.wal().describe()).append('\n');
        plan.wal().notes().forEach(n -> b.append("  warning:  ").append(n).append('\n'));
        b.append("  into:     ").append(r.data()).append('\n');
        b.append("  settings: ").append(r.config()).append(", and recovery.signal\n");
        r.settings().values().forEach((k, v) -> b.append("    ").append(k).append(" = ")
                .append(RecoverySettings.confString(v)).append('\n'));
        return b.toString();
    }

    public static String nextSteps(PointInTimeRestore.Plan plan) {
        PointInTimeRestore.Request r = plan.request();
        Path data = r.data();
        String q = RecoverySettings.shellWord(data.toString());
        RecoverySettings.TargetAction action = r.settings().action();
        boolean latest = r.target().kind() == RecoveryTarget.Kind.LATEST;
        StringBuilder b = new StringBuilder("Next:\n");
        b.append("  1. Put back the configuration backups do not hold (postgresql.conf, pg_hba.conf, pg_ident.conf) "
                + "if it lives in the data directory; consider archive_mode = off while you verify.");
        if (!r.config().equals(data.resolve(PointInTimeRestore.DEFAULT_CONFIG_FILE))) {
            b.append(" If you replace ").append(r.config()).append(", keep the recovery settings written into it"
                    + " (and make sure PostgreSQL reads it).");
        }
        b.append('\n');
        b.append("  2. Start PostgreSQL as its OS user: pg_ctl -D ").append(q).append(" -l ").append(q)
                .append("/recovery.log start   (or: systemctl start postgresql@15-main)\n");
        b.append("  3. Watch the log for \"restored log file\", then ")
                .append(latest ? "\"archive recovery complete\"" : "\"recovery stopping before/after ...\"")
                .append(" and \"").append(latest || action == RecoverySettings.TargetAction.PROMOTE
                        ? "database system is ready to accept connections"
                        : action == RecoverySettings.TargetAction.PAUSE ? "pausing at the end of recovery"
                        : "shutdown at recovery target").append("\".\n");
        b.append("  4. Check: psql -c \"SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn(), "
                + "pg_last_xact_replay_timestamp()\"");
        if (!latest && action == RecoverySettings.TargetAction.PAUSE) {
            b.append("; while paused, query your data, then promote with psql -c \"SELECT pg_wal_replay_resume()\"");
        } else if (!latest && action == RecoverySettings.TargetAction.SHUTDOWN) {
            b.append(" (after the shutdown at the target: change recovery_target_action or the target, start again)");
        }
        b.append('\n');
        b.append("  5. After promotion: remove restore_command and recovery_target_* from ").append(r.config())
                .append(", turn archiving back on and take a new base backup (backup-push).\n");
        return b.toString();
    }
}
