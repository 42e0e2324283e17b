package org.walj.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.walj.archive.Archive;
import org.walj.backup.BackupFetch;
import org.walj.backup.RecoverySettingsReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "backup-fetch",
        description = {"Restore a base backup into an empty or new data directory (PostgreSQL must not be running); "
                + "run again, it continues an interrupted restore; with --delta, over an existing data directory.",
                "Writes no recovery settings: add recovery.signal and restore_command yourself "
                        + "(docs/restore-runbook.md)."})
final class BackupFetchCommand implements Callable<Integer> {
    @ParentCommand
    WalJCommand root;

    @Parameters(index = "0", paramLabel = "PG_CLUSTER_DIRECTORY", description = "Data directory to restore into.")
    Path directory;

    @Parameters(index = "1", paramLabel = "BACKUP_NAME", description = "A name from backup-list, or LATEST.")
    String backupName;

    @Mixin
    FetchOptions options;

    @Override
    public Integer call() throws Exception {
        int poolSize = options.checkedPoolSize(root.spec);
        SubcommandStart.log("backup-fetch");
        BackupFetch.RestoreSpecOption spec = options.spec();
        try (Archive archive = root.openArchive()) {
            BackupFetch fetch = new BackupFetch(archive,
                    root.progressDisplay());
            fetch.fetch(directory, backupName, options.options(poolSize, spec, root.settings()));
        }
        // what the restored copy would do on start is the operator's decision: say what came with the backup
        RecoverySettingsReport.log(directory);
        return ExitStatus.OK;
    }
}
