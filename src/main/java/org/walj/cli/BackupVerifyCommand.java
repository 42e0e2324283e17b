package org.walj.cli;

import java.util.concurrent.Callable;
import org.walj.archive.Archive;
import org.walj.backup.BackupVerify;
import org.walj.postgres.WalSegmentSize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "backup-verify",
        description = {"Read a whole base backup from storage without writing anything: every partition must decode "
                + "and pass backup-fetch's tar checks, every file must match the backup's manifest (size and "
                + "SHA-256), and the WAL from the backup's start to its stop must be archived.",
                "Exit 0 only when all of that holds. A backup made by WAL-E has no manifest: its files are not "
                        + "checksummed (a WARNING says so) unless --require-manifest makes that a failure."})
final class BackupVerifyCommand implements Callable<Integer> {
    @ParentCommand
    WalJCommand root;

    @Parameters(index = "0", paramLabel = "BACKUP_NAME", description = "A name from backup-list, or LATEST.")
    String backupName;

    @Option(names = {"-p", "--pool-size"}, paramLabel = "N",
            description = "Download and check N partitions at once (default: the number of cores, at least 4).")
    Integer poolSize;

    @Option(names = "--require-manifest",
            description = "Fail a backup that has no integrity manifest (made by WAL-E) instead of warning.")
    boolean requireManifest;

    @Option(names = "--wal-segment-size", paramLabel = "BYTES", description = WalSegmentSizeOption.DESCRIPTION)
    String segmentSize;

    @Override
    public Integer call() throws Exception {
        int poolSize = PoolSize.checked(this.poolSize, root.spec);
        WalSegmentSize size = WalSegmentSizeOption.parse(segmentSize, root.spec.commandLine());
        SubcommandStart.log("backup-verify");
        try (Archive archive = root.openArchive()) {
            new BackupVerify(archive, root.progressDisplay())
                    .verify(backupName, new BackupVerify.Options(poolSize, requireManifest, size));
        }
        return ExitStatus.OK;
    }
}
