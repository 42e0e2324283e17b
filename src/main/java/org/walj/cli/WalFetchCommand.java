package org.walj.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.walj.UserException;
import org.walj.layout.WalFileName;
import org.walj.wal.WalFetch;
import org.walj.wal.WalRestorer;
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
    @ParentCommand
    WalJCommand root;

    @Parameters(index = "0", paramLabel = "WAL_SEGMENT", description = "Name of the WAL file (%%f).")
    String segment;

    @Parameters(index = "1", paramLabel = "WAL_DESTINATION", description = "Where to write it (%%p).")
    Path destination;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = {"-p", "--prefetch"}, paramLabel = "N", defaultValue = "8",
            description = "Download the next N segments in the background (default: ${DEFAULT-VALUE}; 0 disables).")
    int prefetch;

    @Override
    public Integer call() throws Exception {
        // first, before anything that can fail: a bad setting must stop recovery whatever the segment
        FailureExit failureExit = FailureExit.from(root.settings());
        try (ArchiveAccess archive = root.openArchive()) {
            if (!WalFileName.isSafe(segment)) {
                throw new UserException("invalid WAL file name \"" + segment + "\"",
                        "A WAL file name is a plain file name such as 000000010000000000000002 or 00000002.history.",
                        "restore_command should read: wal-j wal-fetch \"%f\" \"%p\"");
            }
            WalRestorer restorer = new WalRestorer(archive.storage(), archive.prefix(), archive.codec());
            WalRestorer.Outcome outcome = new WalFetch(restorer, archive.prefix(), root.prefetchSpawner("wal-fetch"))
                    .fetch(new WalFileName(segment), root.resolve(destination), Math.max(0, prefetch));
            return outcome == WalRestorer.Outcome.RESTORED ? ExitStatus.OK : ExitStatus.fetchNotFound();
        } catch (Exception | Error e) { // an Error too: the JVM would end with 1, "not in the archive"
            throw new FailureExit.Failed(failureExit.status(), e);
        }
    }
}
