package org.walj.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.walj.UserException;
import org.walj.archive.Archive;
import org.walj.backup.BackupFetch;
import org.walj.backup.RecoverySettingsReport;
import org.walj.storage.RetrySettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "backup-fetch",
        description = {"Restore a base backup into an empty or new data directory (PostgreSQL must not be running); "
                + "run again, it continues an interrupted restore; with --delta, over an existing data directory.",
                "Writes no recovery settings: add recovery.signal and restore_command yourself "
                        + "(docs/restore-runbook.md)."})
final class BackupFetchCommand implements Callable<Integer> {
    private static final int MAX_SPEC_BYTES = 1 << 20;

    @ParentCommand
    WalJCommand root;

    @Parameters(index = "0", paramLabel = "PG_CLUSTER_DIRECTORY", description = "Data directory to restore into.")
    Path directory;

    @Parameters(index = "1", paramLabel = "BACKUP_NAME", description = "A name from backup-list, or LATEST.")
    String backupName;

    @Option(names = {"-p", "--pool-size"}, paramLabel = "N",
            description = "Download and extract N partitions at once (default: the number of cores, at least 4).")
    Integer poolSize;

    @Option(names = "--blind-restore",
            description = "Do not recreate tablespace symlinks: tablespaces land in pg_tblspc/<oid>/ directories.")
    boolean blindRestore;

    @Option(names = "--restore-spec", paramLabel = "PATH_OR_SOURCE",
            description = "Needed to restore tablespaces outside the data directory: SOURCE creates them where the "
                    + "backup records them, a JSON file (merged over the recorded spec) gives new \"loc\" values.")
    String restoreSpec;

    @Option(names = "--require-manifest",
            description = "Refuse a backup that has no integrity manifest (made by WAL-E) before writing anything.")
    boolean requireManifest;

    @Option(names = "--delta",
            description = "Restore over an existing data directory: keep files whose size and SHA-256 match the "
                    + "backup's manifest, rewrite the rest, remove what the backup does not have (never "
                    + "postgresql.conf, pg_hba.conf, pg_ident.conf, recovery.conf, recovery.signal, standby.signal).")
    boolean delta;

    @Override
    public Integer call() throws Exception {
        int poolSize = PoolSize.checked(this.poolSize, root.spec);
        SubcommandStart.log("backup-fetch");
        BackupFetch.RestoreSpecOption spec = specOption(restoreSpec);
        try (Archive archive = root.openArchive()) {
            BackupFetch fetch = new BackupFetch(archive,
                    root.progressDisplay());
            fetch.fetch(directory, backupName, new BackupFetch.Options(poolSize, blindRestore, spec, runningAsRoot(),
                    requireManifest, delta, RetrySettings.policy(root.settings())));
        }
        // what the restored copy would do on start is the operator's decision: say what came with the backup
        RecoverySettingsReport.log(directory);
        return ExitStatus.OK;
    }

    /** {@code --restore-spec}: absent, {@code SOURCE}, or a file's JSON (also wal-j restore's option). */
    static BackupFetch.RestoreSpecOption specOption(String restoreSpec) throws IOException {
        return restoreSpec == null ? BackupFetch.RestoreSpecOption.NONE
                : restoreSpec.equals("SOURCE") ? BackupFetch.RestoreSpecOption.SOURCE
                : BackupFetch.RestoreSpecOption.file(readSpec(Path.of(restoreSpec)));
    }

    private static String readSpec(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new UserException("restore spec " + file + " is not a readable file", null,
                    "Give a JSON file such as {\"tablespaces\": [\"16385\"], \"16385\": {\"loc\": \"/new/place/\", "
                            + "\"link\": \"pg_tblspc/16385\"}}, or SOURCE.");
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_SPEC_BYTES + 1);
            if (bytes.length > MAX_SPEC_BYTES) {
                throw new UserException("restore spec " + file + " is larger than 1 MiB", null, null);
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** As WAL-E (Python's tarfile), file owners are restored only when running as root. */
    static boolean runningAsRoot() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
