package org.walj.cli;

import java.util.concurrent.Callable;
import org.walj.UserException;
import org.walj.archive.Archive;
import org.walj.logging.LogEvent;
import org.walj.logging.LoggerNames;
import org.walj.logging.WalELog;
import org.walj.retention.DeleteRequest;
import org.walj.retention.Deleter;
import org.walj.retention.DeletionPlan;
import org.walj.retention.RetentionPlanner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * WAL-E's {@code delete [--dry-run|--confirm] before NAME | retain N | old-versions | everything}. Only
 * {@code --confirm} without {@code --dry-run} deletes; anything else lists what would go.
 */
@Command(name = "delete",
        description = {"Delete old backups and WAL, as WAL-E does. A dry run unless --confirm is given "
                + "(and --dry-run is not): it only logs what it would delete.",
                "Timeline history files are never deleted; see docs/retention.md."},
        subcommands = {DeleteCommand.Before.class, DeleteCommand.Retain.class, DeleteCommand.OldVersions.class,
                DeleteCommand.Everything.class})
final class DeleteCommand implements Callable<Integer> {
    private static final WalELog MAIN = WalELog.get(LoggerNames.MAIN);

    @ParentCommand
    WalJCommand root;

    @Option(names = {"-n", "--dry-run"},
            description = "Only list what would be deleted (the default; wins over --confirm).")
    boolean dryRun;

    @Option(names = "--confirm", description = "Actually delete.")
    boolean confirm;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(),
                "a delete operator is required: before, retain, old-versions or everything");
    }

    int run(String operator, DeleteRequestSupplier request) throws Exception {
        SubcommandStart.log("delete " + operator);
        DeleteRequest parsed;
        try {
            parsed = request.get();
        } catch (UserException e) {
            // WAL-E's argparse rejects these with status 2; one log line instead of a usage dump
            throw new FailureExit.Failed(ExitStatus.USAGE, e);
        }
        boolean really = confirm && !dryRun;
        MAIN.info(LogEvent.msg(really ? "deleting data in the store" : "performing dry run of data deletion"));
        try (Archive archive = root.openArchive()) {
            DeletionPlan plan = new RetentionPlanner(archive).plan(parsed);
            int n = new Deleter(archive, !really).execute(plan);
            MAIN.info(LogEvent.msg(really ? "deleted " + n + " objects" : "dry run: " + n + " objects would be deleted")
                    .kv("action", "delete").kv("objects", n).kv("state", really ? "complete" : "dry-run"));
        }
        return ExitStatus.OK;
    }

    @FunctionalInterface
    interface DeleteRequestSupplier {
        DeleteRequest get();
    }

    @Command(name = "before", description = "Delete backups starting before NAME's WAL segment, and the WAL before "
            + "it (on every timeline). NAME itself is kept and need not exist.")
    static final class Before implements Callable<Integer> {
        @ParentCommand
        DeleteCommand delete;

        @Parameters(paramLabel = "BEFORE_SEGMENT_EXCLUSIVE",
                description = "A base backup name (base_<24 hex>_<8 digits>) or a 24-hex-digit WAL segment name.")
        String name;

        @Override
        public Integer call() throws Exception {
            return delete.run("before", () -> DeleteRequest.before(name));
        }
    }

    @Command(name = "retain", description = "Keep the NUM_TO_RETAIN newest complete backups (by start position) "
            + "and the WAL they need; delete older backups and WAL.")
    static final class Retain implements Callable<Integer> {
        @ParentCommand
        DeleteCommand delete;

        @Parameters(paramLabel = "NUM_TO_RETAIN", description = "How many backups to keep: 1 or more.")
        String count;

        @Override
        public Integer call() throws Exception {
            return delete.run("retain", () -> DeleteRequest.retain(count));
        }
    }

    @Command(name = "old-versions", description = "Delete everything of WAL-E's obsolete layouts: basebackups_000/ "
            + "to basebackups_004/ and wal_000/ to wal_004/ (what WAL-E meant; its own crashes).")
    static final class OldVersions implements Callable<Integer> {
        @ParentCommand
        DeleteCommand delete;

        @Override
        public Integer call() throws Exception {
            return delete.run("old-versions", DeleteRequest.OldVersions::new);
        }
    }

    @Command(name = "everything", description = "Delete everything under basebackups_005/ and wal_005/ "
            + "(decommissioning an archive).")
    static final class Everything implements Callable<Integer> {
        @ParentCommand
        DeleteCommand delete;

        @Override
        public Integer call() throws Exception {
            return delete.run("everything", DeleteRequest.Everything::new);
        }
    }
}
