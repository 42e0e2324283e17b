package org.walj.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.concurrent.Callable;
import org.walj.UserException;
import org.walj.archive.Archive;
import org.walj.backup.BackupFetch;
import org.walj.layout.BackupName;
import org.walj.logging.LogEvent;
import org.walj.logging.LoggerNames;
import org.walj.logging.WalELog;
import org.walj.recovery.PointInTimeRestore;
import org.walj.recovery.RecoveryFiles;
import org.walj.recovery.RecoverySettings;
import org.walj.recovery.RecoveryTarget;
import org.walj.recovery.RestoreReport;
import org.walj.recovery.TargetTimeline;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "restore",
        description = {"Point-in-time restore in one command: choose the newest backup that ended before the target, "
                + "check the archived WAL reaches the target, restore the backup (as backup-fetch) into an empty or "
                + "new directory, and write PostgreSQL 12+'s recovery settings and recovery.signal.",
                "Without a target: to the end of the archived WAL. See docs/restore-runbook.md."})
final class RestoreCommand implements Callable<Integer> {
    /** The launcher's path, which packaging/wal-j passes to the JVM: what restore_command runs. */
    static final String LAUNCHER_PROPERTY = "walj.launcher.path";
    private static final WalELog LOG = WalELog.get(LoggerNames.OPERATOR_BACKUP);

    @ParentCommand
    WalJCommand root;

    @Parameters(index = "0", paramLabel = "PG_CLUSTER_DIRECTORY", description = "Data directory to restore into.")
    Path directory;

    @Option(names = "--target-time", paramLabel = "TIME",
            description = "Recover to this time, with its time zone: '2026-11-22 02:41:00+00'.")
    String targetTime;

    @Option(names = "--target-lsn", paramLabel = "LSN", description = "Recover to this WAL location, e.g. 0/5000100.")
    String targetLsn;

    @Option(names = "--target-name", paramLabel = "NAME",
            description = "Recover to this restore point (pg_create_restore_point); the newest backup is used "
                    + "unless --backup names one.")
    String targetName;

    @Option(names = "--target-xid", paramLabel = "XID",
            description = "Recover to this transaction id; the newest backup is used unless --backup names one.")
    String targetXid;

    @Option(names = "--target", paramLabel = "latest",
            description = "latest: recover everything archived (the default).")
    String target;

    @Option(names = "--target-action", paramLabel = "pause|promote|shutdown",
            description = "recovery_target_action at the target (default pause: check the data, then "
                    + "SELECT pg_wal_replay_resume()).")
    String targetAction;

    @Option(names = "--target-inclusive", paramLabel = "true|false", arity = "0..1", fallbackValue = "true",
            description = "recovery_target_inclusive: stop just after (true, PostgreSQL's default) or just before "
                    + "the target.")
    Boolean targetInclusive;

    @Option(names = "--target-timeline", paramLabel = "latest|current|N",
            description = "recovery_target_timeline (default latest).")
    String targetTimeline;

    @Option(names = "--backup", paramLabel = "NAME",
            description = "Restore this backup (a name from backup-list) instead of the one wal-j would choose.")
    String backup;

    @Option(names = "--config-file", paramLabel = "FILE",
            description = "Where the recovery settings go (default postgresql.auto.conf; relative names are in the "
                    + "data directory).")
    String configFile;

    @Option(names = "--env-command", paramLabel = "COMMAND",
            description = "Shell text restore_command runs wal-j under, e.g. 'envdir /etc/wal-e.d/env': how "
                    + "PostgreSQL gets this archive's settings and credentials.")
    String envCommand;

    @Option(names = "--launcher", paramLabel = "PATH",
            description = "The wal-j restore_command runs (default: the wal-j that runs this command).")
    Path launcher;

    @Option(names = "--dry-run", description = "Print the plan and write nothing.")
    boolean dryRun;

    @Mixin
    FetchOptions fetchOptions;

    @Option(names = "--wal-segment-size", paramLabel = "BYTES", description = WalSegmentSizeOption.DESCRIPTION)
    String segmentSize;

    @Override
    public Integer call() throws Exception {
        CommandLine cmd = root.spec.commandLine();
        int pool = fetchOptions.checkedPoolSize(root.spec);
        RecoveryTarget recoveryTarget = recoveryTarget(cmd);
        RecoverySettings.TargetAction action = action(cmd);
        BackupFetch.RestoreSpecOption spec = fetchOptions.spec();
        Optional<BackupName> pinned = Optional.ofNullable(backup).map(b -> BackupName.parse(b)
                .orElseThrow(() -> new UserException("\"" + b + "\" is not a backup name", null,
                        "Give a name as backup-list shows it: base_<24 hex digits>_<8 digits>.")));
        SubcommandStart.log("restore");
        try (Archive archive = root.openArchive()) {
            RecoverySettings settings = new RecoverySettings(restoreCommand(archive), recoveryTarget, action,
                    Optional.ofNullable(targetInclusive),
                    targetTimeline == null ? TargetTimeline.LATEST : TargetTimeline.parse(targetTimeline));
            PointInTimeRestore.Request request = new PointInTimeRestore.Request(directory, recoveryTarget, pinned,
                    settings, Path.of(configFile == null ? PointInTimeRestore.DEFAULT_CONFIG_FILE : configFile),
                    WalSegmentSizeOption.parse(segmentSize, cmd));
            PointInTimeRestore restore = new PointInTimeRestore(archive, root.progressDisplay());
            PointInTimeRestore.Plan plan = restore.plan(request, dryRun);
            if (dryRun) {
                StringBuilder out = new StringBuilder(RestoreReport.plan(plan, true));
                RecoveryFiles.obstacle(directory, fetchOptions.delta()).ifPresent(o -> out.append("  note:     ").append(o)
                        .append('\n'));
                print(out.toString());
                return ExitStatus.OK;
            }
            restore.restore(plan, fetchOptions.options(pool, spec, root.settings()));
            print(RestoreReport.plan(plan, false) + RestoreReport.nextSteps(plan));
        }
        return ExitStatus.OK;
    }

    private RecoveryTarget recoveryTarget(CommandLine cmd) {
        List<String> given = new ArrayList<>();
        for (String[] o : new String[][] {{"--target-time", targetTime}, {"--target-lsn", targetLsn},
                {"--target-name", targetName}, {"--target-xid", targetXid}, {"--target", target}}) {
            if (o[1] != null) {
                given.add(o[0]);
            }
        }
        if (given.size() > 1) {
            throw new CommandLine.ParameterException(cmd, "give one recovery target, not " + String.join(" and ",
                    given));
        }
        if (target != null && !target.equals("latest")) {
            throw new CommandLine.ParameterException(cmd, "--target takes only latest, not \"" + target + "\"");
        }
        return targetTime != null ? RecoveryTarget.time(targetTime)
                : targetLsn != null ? RecoveryTarget.lsn(targetLsn)
                : targetName != null ? RecoveryTarget.name(targetName)
                : targetXid != null ? RecoveryTarget.xid(targetXid)
                : RecoveryTarget.latest();
    }

    private RecoverySettings.TargetAction action(CommandLine cmd) {
        if (targetAction == null) {
            return RecoverySettings.TargetAction.PAUSE;
        }
        for (RecoverySettings.TargetAction a : RecoverySettings.TargetAction.values()) {
            if (a.text().equals(targetAction)) {
                return a;
            }
        }
        throw new CommandLine.ParameterException(cmd,
                "--target-action must be pause, promote or shutdown, not \"" + targetAction + "\"");
    }

    /**
     * {@code restore_command}: the same launcher, the global options this run was given (as wal-prefetch is
     * started), and the archive's prefix pinned as an option when it came from the environment, unless an
     * {@code --env-command} (an envdir) gives PostgreSQL the whole environment. Other settings taken from this
     * environment are named, never written: some are secrets.
     */
    private String restoreCommand(Archive archive) {
        Path walj = Optional.ofNullable(launcher)
                .or(() -> Optional.ofNullable(System.getProperty(LAUNCHER_PROPERTY)).map(Path::of))
                .map(p -> p.toAbsolutePath().normalize())
                .orElseThrow(() -> new UserException("cannot tell which wal-j restore_command should run",
                        "This process was not started by the wal-j launcher.",
                        "Give --launcher /usr/local/bin/wal-j (the path PostgreSQL should run)."));
        List<String> args = root.arguments();
        List<String> globals = new ArrayList<>(args.subList(0, Math.max(0, args.indexOf("restore"))));
        Optional<String> wrapper = Optional.ofNullable(envCommand).filter(w -> !w.isBlank());
        if (wrapper.isEmpty()) {
            if (!root.globals().prefixGiven()) {
                globals.add("--" + archive.prefix().scheme() + "-prefix");
                globals.add(root.globals().prefix(root.settings()).orElseThrow());
            }
            SortedSet<String> fromEnvironment = root.settings().mustMatchDifferences(java.util.Map.of());
            CliVariables.PREFIXES.forEach(p -> fromEnvironment.remove(p.name()));
            fromEnvironment.removeAll(Set.of(CliVariables.DEBUG.name()));
            if (!fromEnvironment.isEmpty()) {
                LOG.warning(LogEvent.msg("restore_command will not see this shell's environment")
                        .detail("Set in this environment and not written into restore_command: "
                                + String.join(", ", fromEnvironment) + ".")
                        .hint("Give them to PostgreSQL's environment, or run restore with --env-command "
                                + "'envdir /etc/wal-e.d/env' (the envdir archive_command uses)."));
            }
        }
        return RecoverySettings.restoreCommand(wrapper, walj, globals);
    }

    private static void print(String text) {
        System.out.print(text);
        System.out.flush();
    }
}
