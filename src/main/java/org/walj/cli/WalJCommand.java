package org.walj.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.walj.logging.LogLevel;
import org.walj.logging.LogRoute;
import org.walj.logging.LogSetup;
import org.walj.settings.Settings;
import org.walj.wal.PrefetchSpawner;
import org.walj.wal.PushAhead;
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
            BackupListCommand.class,
            BackupVerifyCommand.class,
            DeleteCommand.class,
            WalVerifyCommand.class,
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
    /** Set when the resident daemon runs this command for a client; null for a normal process. */
    private final Resident resident;

    WalJCommand(Settings settings, List<String> arguments) {
        this(settings, arguments, null);
    }

    WalJCommand(Settings settings, List<String> arguments, Resident resident) {
        this.settings = settings;
        this.arguments = List.copyOf(arguments);
        this.resident = resident;
    }

    /** This process's settings, or in the daemon the client's. */
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

    ArchiveAccess openArchive() {
        return resident != null ? resident.archive().sharedView() : ArchiveAccess.open(globals, settings);
    }

    /** A path from the command line: relative ones are relative to the client's directory, not the daemon's. */
    Path resolve(Path path) {
        return resident != null ? resident.workingDirectory().resolve(path) : path;
    }

    /** Prefetching: a detached copy of this process, or in the daemon a background task. */
    PrefetchSpawner prefetchSpawner(String subcommand) {
        return resident != null ? resident.prefetch() : new PrefetchProcess(arguments, subcommand);
    }

    /** wal-push's background push-ahead of the daemon; empty in a normal process. */
    Optional<PushAhead> pushAhead() {
        return resident != null ? resident.pushAhead() : Optional.empty();
    }

    void configureLogging() {
        if (resident == null) {
            LogSetup.setTerse(globals.terse);
            return;
        }
        // the daemon serves concurrent requests: --terse applies to this client's copy of the records only
        LogRoute route = LogRoute.current();
        if (route != null) {
            route.setThreshold(globals.terse ? LogLevel.WARNING : LogLevel.INFO);
        }
    }

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }
}
