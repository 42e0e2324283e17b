package org.walj.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.walj.archive.Archive;
import org.walj.logging.LogLevel;
import org.walj.logging.LogSetup;
import org.walj.logging.ProgressDisplay;
import org.walj.settings.Settings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "wal-j",
        description = "Continuous archiving for PostgreSQL, compatible with WAL-E.",
        usageHelpAutoWidth = true)
public final class WalJCommand implements Callable<Integer> {
    /** In the order the help lists them; registered by {@link Subcommands}, not by the annotation. */
    static final List<Class<?>> SUBCOMMANDS = List.of(
            VersionCommand.class,
            WalPushCommand.class,
            WalFetchCommand.class,
            WalPrefetchCommand.class,
            BackupPushCommand.class,
            BackupFetchCommand.class,
            RestoreCommand.class,
            BackupListCommand.class,
            BackupVerifyCommand.class,
            DeleteCommand.class,
            WalVerifyCommand.class,
            StatusCommand.class,
            DaemonCommand.class,
            CommandLine.HelpCommand.class);

    @Mixin
    GlobalOptions globals;

    @CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Spec
    CommandSpec spec;

    private final Settings settings;
    private final List<String> arguments;
    private LogLevel levelBefore;

    WalJCommand(Settings settings, List<String> arguments) {
        this.settings = settings;
        this.arguments = List.copyOf(arguments);
    }

    /** This process's settings, read once at start-up. */
    Settings settings() {
        return settings;
    }

    /** The arguments this process was started with, for re-running itself as a prefetcher. */
    List<String> arguments() {
        return arguments;
    }

    GlobalOptions globals() {
        return globals;
    }

    Archive openArchive() {
        return ArchiveOptions.open(globals, settings);
    }

    /** backup-push's, backup-fetch's and backup-verify's progress line: WALJ_PROGRESS, after --terse is applied. */
    ProgressDisplay progressDisplay() {
        return ProgressDisplay.choose(settings.value(CliVariables.PROGRESS));
    }

    /** Applies {@code --terse} to the JVM's logging level, remembering the level it replaces. */
    void configureLogging() {
        if (levelBefore == null) {
            levelBefore = LogSetup.level();
        }
        LogSetup.setTerse(globals.terse);
    }

    /**
     * Puts back the level {@link #configureLogging} replaced: the level is the JVM's, and a caller that runs wal-j in
     * its own JVM (a test, one after another in the same fork) must not inherit this run's {@code --terse}.
     */
    void restoreLogging() {
        if (levelBefore != null) {
            LogSetup.setLevel(levelBefore);
            levelBefore = null;
        }
    }

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }
}
