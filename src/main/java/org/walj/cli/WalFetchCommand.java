package org.walj.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.walj.resident.WalRequest;
import org.walj.wal.PrefetchSpawner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "wal-fetch",
        description = {"Restore a WAL file (PostgreSQL's restore_command: wal-j wal-fetch %%f %%p).",
                "Exit 0: restored. Exit 1: not in the archive (PostgreSQL's end of archive).",
                "Exit 200 (WALJ_FETCH_ERROR_EXIT_CODE): any other failure; PostgreSQL stops recovery instead of "
                        + "promoting with data missing."})
final class WalFetchCommand implements Callable<Integer> {
    /** Set by the launcher when a daemon is starting for this configuration: it will prefetch, this call does not. */
    static final String PREFETCH_BY_DAEMON_PROPERTY = "walj.fetch.prefetch-by-daemon";

    @ParentCommand
    WalJCommand root;

    @Parameters(index = "0", paramLabel = "WAL_SEGMENT", description = "Name of the WAL file (%%f).")
    String segment;

    @Parameters(index = "1", paramLabel = "WAL_DESTINATION", description = "Where to write it (%%p).")
    Path destination;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    // the daemon reads the same option (org.walj.resident.WalRequest): one default for both
    @Option(names = {"-p", "--prefetch"}, paramLabel = "N", defaultValue = "" + WalRequest.Fetch.DEFAULT_PREFETCH,
            description = "Download the next N segments in the background (default: ${DEFAULT-VALUE}; 0 disables).")
    int prefetch;

    @Override
    public Integer call() {
        return WalUseCases.fetch(root.settings(), root::openArchive, segment, destination, prefetch,
                Boolean.getBoolean(PREFETCH_BY_DAEMON_PROPERTY) ? PrefetchSpawner.LEFT_TO_DAEMON
                        : new PrefetchProcess(root.arguments(), "wal-fetch"));
    }
}
