package org.walj.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.walj.archive.Archive;
import org.walj.resident.WalRequest;
import org.walj.wal.WalArchiver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "wal-push", description = "Archive a WAL file (PostgreSQL's archive_command: wal-j wal-push %%p).")
final class WalPushCommand implements Callable<Integer> {
    @ParentCommand
    WalJCommand root;

    @Parameters(paramLabel = "WAL_SEGMENT", description = "Path of the WAL file to archive.")
    Path segment;

    // the daemon reads the same option (org.walj.resident.WalRequest): one default for both
    @Option(names = {"-p", "--pool-size"}, paramLabel = "N", defaultValue = "" + WalRequest.Push.DEFAULT_POOL_SIZE,
            description = "Also archive up to N-1 other segments already waiting in archive_status/ (default: ${DEFAULT-VALUE}).")
    int poolSize;

    @Override
    public Integer call() throws Exception {
        PoolSize.checked(poolSize, root.spec);
        try (Archive archive = root.openArchive()) {
            return WalUseCases.push(new WalArchiver(archive)::archive,
                    segment, segment, poolSize);
        }
    }
}
