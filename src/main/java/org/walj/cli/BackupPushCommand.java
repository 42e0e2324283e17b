package org.walj.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.walj.archive.Archive;
import org.walj.backup.BackupPusher;
import org.walj.backup.ReadRateLimit;
import org.walj.layout.BackupName;
import org.walj.logging.LogEvent;
import org.walj.logging.LoggerNames;
import org.walj.logging.WalELog;
import org.walj.postgres.ControlData;
import org.walj.settings.Settings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "backup-push",
        description = "Take a base backup of a PostgreSQL cluster (online through the non-exclusive backup API, "
                + "or --while-offline from a cleanly stopped cluster).")
final class BackupPushCommand implements Callable<Integer> {
    private static final WalELog OPERATOR = WalELog.get(LoggerNames.OPERATOR_BACKUP);

    @ParentCommand
    WalJCommand root;

    @Parameters(paramLabel = "PG_CLUSTER_DIRECTORY", description = "The cluster's data directory.")
    Path dataDirectory;

    @Option(names = {"-p", "--pool-size"}, paramLabel = "N",
            description = "Partitions written and uploaded at once (default: the number of cores, at least 4).")
    Integer poolSize;

    @Option(names = "--cluster-read-rate-limit", paramLabel = "BYTES_PER_SECOND",
            description = "Cap on the bytes per second read from the cluster, all partitions together.")
    Long rateLimit;

    @Option(names = "--start-fast", negatable = true,
            description = "Start after an immediate checkpoint instead of a spread one (pgBackRest's name; default: "
                    + "WALJ_START_FAST, else spread, as WAL-E).")
    Boolean startFast;

    @Option(names = "--while-offline",
            description = "Back up a cleanly stopped cluster (reads pg_controldata; runs no SQL).")
    boolean whileOffline;

    /** {@code --start-fast} / {@code --no-start-fast} when given, else {@code WALJ_START_FAST}, else spread. */
    boolean fastCheckpoint(Settings env) {
        return startFast != null ? startFast : env.value(CliVariables.START_FAST);
    }

    @Override
    public Integer call() throws Exception {
        SubcommandStart.log("backup-push");
        int poolSize = PoolSize.checked(this.poolSize, root.spec);
        if (rateLimit != null && rateLimit < 1) {
            throw new CommandLine.ParameterException(root.spec.commandLine(),
                    "--cluster-read-rate-limit must be at least 1");
        }
        ReadRateLimit limit = rateLimit == null ? ReadRateLimit.unlimited() : ReadRateLimit.of(rateLimit);
        Settings env = root.settings();
        try (Archive archive = root.openArchive()) {
            BackupPusher pusher = new BackupPusher(archive, poolSize, limit,
                    root.progressDisplay());
            BackupName name;
            if (whileOffline) {
                String path = env.get(CliVariables.PATH).orElse("");
                name = pusher.pushOffline(dataDirectory, ControlData.findPgConfig(path));
            } else {
                name = pusher.pushOnline(dataDirectory, PostgresConnection.of(env), fastCheckpoint(env));
            }
            OPERATOR.info(LogEvent.msg("base backup complete").detail("The backup is " + name + ".")
                    .kv("backup", name.toString()));
        }
        return ExitStatus.OK;
    }
}
