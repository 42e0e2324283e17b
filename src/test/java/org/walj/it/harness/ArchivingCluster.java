package org.walj.it.harness;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A PostgreSQL cluster that archives through {@code wal-j wal-push}, the way README tells operators to set one up:
 * the set-up most ITs start from. A test that needs another archive_command (a codec option, a wrapper script)
 * configures its own, so a reader sees at once that it is not the usual one.
 */
public final class ArchivingCluster {

    /**
     * backup-push asks for a spread checkpoint, as WAL-E does; with PostgreSQL's defaults a test would wait minutes
     * for it.
     */
    public static final Map<String, String> SHORT_CHECKPOINTS =
            Map.of("checkpoint_timeout", "30s", "checkpoint_completion_target", "0.1");

    private ArchivingCluster() {
    }

    /**
     * A new cluster (not started) whose archive_command is {@code wal-j wal-push %p}, with {@link WalJ#env()} and
     * {@code walEnv} as its server environment.
     */
    public static PgCluster initdb(Scratch scratch, WalJ walj, String name, Map<String, String> walEnv) {
        return PgCluster.initdb(scratch, name)
                .configure(settings(walj))
                .serverEnv(walj.env())
                .serverEnv(walEnv);
    }

    /** archive_mode and archive_command for postgresql.conf, also for a recovered copy that archives on. */
    public static Map<String, String> settings(WalJ walj) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("archive_mode", "on");
        settings.put("archive_command", walj.shellCommand("wal-push", "%p"));
        return settings;
    }
}
