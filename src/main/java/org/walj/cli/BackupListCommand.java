package org.walj.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.walj.archive.Archive;
import org.walj.backup.BackupList;
import org.walj.backup.BackupListFormat;
import org.walj.backup.BackupRow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "backup-list",
        description = {"List the complete base backups, as WAL-E does: a tab-separated table with a header, "
                + "rows ending in CR LF, in storage order.",
                "QUERY: a backup name, or LATEST (the backup whose sentinel was written last)."})
final class BackupListCommand implements Callable<Integer> {
    @ParentCommand
    WalJCommand root;

    @Parameters(index = "0", arity = "0..1", paramLabel = "QUERY", description = "A backup name or LATEST.")
    String query;

    @Option(names = "--detail", description = "Also read each backup's sentinel (size, stop position) and add "
            + "wal-j's columns wal_coverage (complete, gap, missing or unknown) and wal_replayable_until.")
    boolean detail;

    @Option(names = "--json", description = "Print a JSON array of objects with the same fields instead "
            + "(numbers as numbers; without --detail the sentinel fields are null).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        SubcommandStart.log("backup-list");
        try (Archive archive = root.openArchive()) {
            List<BackupRow> rows = new BackupList(archive)
                    .rows(Optional.ofNullable(query), detail);
            String out = json ? BackupListFormat.json(rows) : BackupListFormat.table(rows, detail);
            PrintStream stdout = System.out;
            stdout.write(out.getBytes(StandardCharsets.UTF_8));
            stdout.flush();
        }
        return ExitStatus.OK;
    }
}
