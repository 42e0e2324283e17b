package org.walj.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.walj.archive.Archive;
import org.walj.backup.BackupPusher;
import org.walj.backup.ReadRateLimit;
import org.walj.backup.StandbyBackup;
import org.walj.layout.BackupName;
import org.walj.logging.LogEvent;
import org.walj.logging.LoggerNames;
import org.walj.logging.WalELog;
import org.walj.postgres.ConnectionSettings;
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

    /** A standby's wait, and its primary when WALJ_PRIMARY_PGHOST is set (libpq's variables behind the prefix). */
    static StandbyBackup.Options standbyOptions(Settings env, String home, String user) {
        Duration wait = Duration.ofSeconds(env.value(CliVariables.STANDBY_ARCHIVE_WAIT));
        Map<String, String> primary = new HashMap<>();
        env.texts(CliVariables.PRIMARY_POSTGRES).forEach((name, value) ->
                primary.put(name.substring(CliVariables.PRIMARY_PREFIX.length()), value));
        if (primary.getOrDefault("PGHOST", "").isEmpty()) {
            return new StandbyBackup.Options(wait, Optional.empty());
        }
        return new StandbyBackup.Options(wait, Optional.of(connection(primary, home, user,
                CliVariables.PRIMARY_PREFIX)));
    }

    /** {@code prefix}: how the variables were named, for the message about a bad one. */
    private static ConnectionSettings connection(Map<String, String> libpq, String home, String user, String prefix) {
        try {
            return ConnectionSettings.fromEnvironment(libpq, Path.of(home), user);
        } catch (IllegalArgumentException e) {
            throw new org.walj.UserException(prefix.isEmpty() ? e.getMessage()
                    : e.getMessage().replace("PG", prefix + "PG"));
        }
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
                String home = env.get(CliVariables.HOME).orElse(System.getProperty("user.home"));
                String user = env.get(CliVariables.USER).orElse(System.getProperty("user.name"));
                ConnectionSettings settings = connection(env.texts(CliVariables.POSTGRES), home, user, "");
                name = pusher.pushOnline(dataDirectory, settings, fastCheckpoint(env), standbyOptions(env, home,
                        user));
            }
            OPERATOR.info(LogEvent.msg("base backup complete").detail("The backup is " + name + ".")
                    .kv("backup", name.toString()));
        }
        return ExitStatus.OK;
    }
}
