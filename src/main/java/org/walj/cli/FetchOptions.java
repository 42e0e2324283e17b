package org.walj.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.walj.UserException;
import org.walj.backup.BackupFetch;
import org.walj.settings.Settings;
import org.walj.storage.RetrySettings;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * How a base backup is restored: backup-fetch's options, which restore takes too (a picocli mixin in both), declared
 * once so that both commands' help, man pages and completion say the same thing and cannot drift apart.
 */
final class FetchOptions {
    private static final int MAX_SPEC_BYTES = 1 << 20;

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
            description = "Restore over an existing data directory (a drifted copy or replica): keep files whose "
                    + "size and SHA-256 match the backup's manifest, rewrite the rest, remove what the backup does "
                    + "not have (never postgresql.conf, pg_hba.conf, pg_ident.conf, recovery.conf, recovery.signal, "
                    + "standby.signal).")
    boolean delta;

    /** {@code --pool-size}, checked against the machine (the usage error names {@code rootSpec}'s command line). */
    int checkedPoolSize(CommandSpec rootSpec) {
        return PoolSize.checked(poolSize, rootSpec);
    }

    /** {@code --restore-spec}: absent, {@code SOURCE}, or a file's JSON, read now so a bad file is refused early. */
    BackupFetch.RestoreSpecOption spec() throws IOException {
        return restoreSpec == null ? BackupFetch.RestoreSpecOption.NONE
                : restoreSpec.equals("SOURCE") ? BackupFetch.RestoreSpecOption.SOURCE
                : BackupFetch.RestoreSpecOption.file(readSpec(Path.of(restoreSpec)));
    }

    /** The restore's options, with {@code pool} and {@code spec} as checked and read above. */
    BackupFetch.Options options(int pool, BackupFetch.RestoreSpecOption spec, Settings settings) {
        return new BackupFetch.Options(pool, blindRestore, spec, runningAsRoot(), requireManifest, delta,
                RetrySettings.policy(settings));
    }

    boolean delta() {
        return delta;
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
    private static boolean runningAsRoot() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
