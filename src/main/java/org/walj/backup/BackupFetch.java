package org.walj.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.walj.UserException;
import org.walj.archive.Archive;
import org.walj.archive.BackupCatalog;
import org.walj.layout.BackupLayout;
import org.walj.layout.BackupManifest;
import org.walj.layout.ManifestEntry;
import org.walj.layout.BackupSentinel;
import org.walj.layout.RestoreSpec;
import org.walj.logging.LogEvent;
import org.walj.logging.LoggerNames;
import org.walj.logging.Progress;
import org.walj.logging.ProgressDisplay;
import org.walj.logging.WalELog;
import org.walj.pipeline.BlockCompressors;
import org.walj.pipeline.BlockParallelism;
import org.walj.pipeline.ObjectCodec;
import org.walj.storage.ObjectInfo;
import org.walj.storage.RetryPolicy;
import org.walj.storage.Storage;

/**
 * backup-fetch: restores one complete base backup into an empty (or missing) data directory, or over an existing one
 * keeping what matches the backup's manifest (delta, and the rerun of an interrupted fetch). See
 * {@code docs/backup-fetch.md} for what it does and where it differs from WAL-E.
 */
public final class BackupFetch {
    private static final WalELog BASE_LOG = WalELog.get(LoggerNames.WORKER_BASE);
    /** Blocks of one partition decoded at once: lzop's 256 KiB blocks, so ~2 MiB of buffers per partition. */
    private static final int BLOCKS_IN_FLIGHT = 4;

    private final Archive archive;
    private final Storage storage;
    private final ObjectCodec codec;
    private final WalELog workerLog;
    private final ProgressDisplay progress;

    /**
     * Options of one fetch. {@code requireManifest}: refuse a backup without an integrity manifest (one made by
     * WAL-E) before writing anything.
     */
    public record Options(int poolSize, boolean blindRestore, RestoreSpecOption restoreSpec,
                          boolean applyOwnership, boolean requireManifest, boolean delta, RetryPolicy readRetry) {
        public Options {
            if (poolSize < 1) {
                throw new IllegalArgumentException("pool size must be at least 1");
            }
            java.util.Objects.requireNonNull(restoreSpec, "restoreSpec");
            java.util.Objects.requireNonNull(readRetry, "readRetry");
        }

        /**
         * Into an empty or missing directory (or over this fetch's own interrupted restore), with the default retry
         * policy for failed partition reads.
         */
        public Options(int poolSize, boolean blindRestore, RestoreSpecOption restoreSpec, boolean applyOwnership,
                       boolean requireManifest) {
            this(poolSize, blindRestore, restoreSpec, applyOwnership, requireManifest, false, RetryPolicy.DEFAULT);
        }

        /** Without {@code --require-manifest}. */
        public Options(int poolSize, boolean blindRestore, RestoreSpecOption restoreSpec, boolean applyOwnership) {
            this(poolSize, blindRestore, restoreSpec, applyOwnership, false);
        }
    }

    /**
     * {@code --restore-spec}: not given, {@code SOURCE} (the spec the backup recorded, chosen by the operator), or a
     * file's JSON merged over it. Only a given one lets the fetch create tablespace directories (as WAL-E, whose
     * default requires the links to exist already).
     */
    public record RestoreSpecOption(boolean given, Optional<String> json) {
        public static final RestoreSpecOption NONE = new RestoreSpecOption(false, Optional.empty());
        public static final RestoreSpecOption SOURCE = new RestoreSpecOption(true, Optional.empty());

        public RestoreSpecOption {
            if (json.isPresent() && !given) {
                throw new IllegalArgumentException("a restore spec file is a given --restore-spec");
            }
        }

        public static RestoreSpecOption file(String json) {
            return new RestoreSpecOption(true, Optional.of(json));
        }
    }

    public BackupFetch(Archive archive) {
        this(archive, ProgressDisplay.off());
    }

    /** {@code progress}: where the bytes downloaded are shown (a terminal's line, or nowhere). */
    public BackupFetch(Archive archive, ProgressDisplay progress) {
        this.archive = archive;
        this.progress = java.util.Objects.requireNonNull(progress, "progress");
        this.storage = archive.storage();
        this.codec = archive.codec();
        this.workerLog = WalELog.get(archive.workerLoggerName());
    }

    /**
     * Restores the backup {@code query} names into {@code dataDirectory}: an empty or missing directory, one this
     * method left unfinished (it carries the {@link RestoreMarker}: the restore continues), or with
     * {@link Options#delta} any directory PostgreSQL is not running in (docs/backup-fetch.md, "Delta restore").
     */
    public void fetch(Path dataDirectory, String query, Options options) throws IOException {
        Path data = dataDirectory.toAbsolutePath().normalize();
        if (Files.exists(data.resolve("postmaster.pid"), LinkOption.NOFOLLOW_LINKS)) {
            throw new UserException("attempting to overwrite a live data directory",
                    "Found a postmaster.pid lockfile, and aborting",
                    "Shut down postgres. If there is a stale lockfile, then remove it after being very sure "
                            + "postgres is not running.");
        }
        boolean resuming = Files.isDirectory(data) && RestoreMarker.present(data);
        boolean delta = options.delta() || resuming;
        if (!delta) {
            requireEmptyOrMissing(data, "data directory");
        } else if (Files.exists(data) && !Files.isDirectory(data)) {
            throw new UserException("the data directory " + data + " exists and is not a directory", null,
                    "Give the path of a data directory.");
        }

        BackupCatalog catalog = archive.backups();
        BackupCatalog.Entry backup = catalog.resolve(query);
        BackupSentinel sentinel = catalog.sentinel(backup);
        RestoreSpec spec = effectiveSpec(sentinel.spec(), options.restoreSpec().json(), data);
        List<TablespaceRestore.Placement> placements = options.blindRestore() ? List.of()
                : TablespaceRestore.plan(data, spec, options.restoreSpec().given(), delta);
        List<ObjectInfo> partitions = BackupPartitions.list(storage, backup.name());
        Optional<BackupManifest> manifest = archive.manifest(backup.name());
        if (manifest.isEmpty() && options.requireManifest()) {
            throw new UserException("backup " + backup.name() + " has no integrity manifest",
                    "--require-manifest was given; backups made by WAL-E have none. Nothing was written.",
                    "Restore a backup made by wal-j backup-push, or leave out --require-manifest to restore this "
                            + "one unchecked.");
        }

        Files.createDirectories(data);
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
        Path realData = data.toRealPath();
        RestoreMarker.write(realData, backup.name().toString());
        Map<String, Path> tablespaces = TablespaceRestore.locations(placements);
        RestoreTarget target = new RestoreTarget(realData, tablespaces);
        DeltaScan.Result kept = DeltaScan.Result.NOTHING_KEPT;
        if (resuming) {
            BASE_LOG.info(LogEvent.msg("continuing an interrupted backup-fetch")
                    .detail(realData + " holds " + RestoreMarker.NAME + ": what an earlier backup-fetch restored and "
                            + "the manifest confirms is kept, the rest is restored again."));
        }
        if (delta && manifest.isPresent()) {
            kept = DeltaScan.prepare(target, manifest.get(), options.poolSize());
        } else if (delta) {
            long removed = DeltaScan.clear(target);
            BASE_LOG.info(LogEvent.msg("base backup has no integrity manifest: the delta restore rewrites every file")
                    .detail("Backup " + backup.name() + " has no " + BackupLayout.MANIFEST_NAME + " (it was made by "
                            + "WAL-E or another tool), so files in place cannot be compared with it; " + removed
                            + " entries were removed (not postgresql.conf, pg_hba.conf, pg_ident.conf, recovery.conf, "
                            + "recovery.signal, standby.signal) and the backup is restored whole."));
        } else if (manifest.isEmpty()) {
            BASE_LOG.info(LogEvent.msg("base backup has no integrity manifest: restoring without checking files")
                    .detail("Backup " + backup.name() + " has no " + BackupLayout.MANIFEST_NAME + " (it was made by "
                            + "WAL-E or another tool); tar and compression checks still apply."));
        }
        TablespaceRestore.link(realData, placements);

        PartitionExtractor extractor = new PartitionExtractor(target, options.applyOwnership(), kept,
                manifest.orElse(null));
        ManifestCheck check = manifest.map(ManifestCheck::new).orElse(null);
        List<ObjectInfo> toRead = partitions.stream().filter(kept::reads).toList();
        LongAdder downloaded = new LongAdder();
        extractAll(toRead, extractor, options, check, downloaded);
        if (check != null) {
            requireAllSeen(check, kept.skipped());
        }
        // tablespace_map from the archive would have PostgreSQL make pg_tblspc links to wherever it says when it
        // starts: it always lists exactly the tablespaces restored here (none with --blind-restore)
        extractor.finish(TablespaceRestore.tablespaceMap(tablespaces));
        RestoreMarker.remove(realData);
        String verified = check == null ? "" : " " + check.members() + " " + (check.complete() ? "members" : "files")
                + " matched the backup manifest.";
        String moved = (delta ? " Delta restore: kept " + kept.files() + " files (" + kept.keptBytes()
                + " bytes) that matched the manifest, removed " + kept.removed() + " entries." : "")
                + " Wrote " + extractor.bytesWritten() + " bytes of files, read " + toRead.size() + " of "
                + partitions.size() + " partitions (" + downloaded.sum() + " bytes from storage).";
        BASE_LOG.info(LogEvent.msg("base backup fetch complete")
                .detail("Restored " + backup.name() + " (" + partitions.size() + " partitions) into " + realData + "."
                        + verified + moved)
                .hint("Write recovery.signal and restore_command before starting PostgreSQL; see the restore runbook."));
    }

    static void requireEmptyOrMissing(Path dir, String what) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new UserException("the " + what + " " + dir + " exists and is not a directory", null,
                    "Give the path of an empty or not yet existing directory.");
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path first : entries) {
                throw new UserException("refusing to restore into the non-empty " + what + " " + dir,
                        "It contains \"" + first.getFileName() + "\" (and maybe more).",
                        "Move the old directory aside (mv " + dir + " " + dir + ".old) or restore into an empty "
                                + "or new directory.");
            }
        }
    }

    /**
     * The spec the restore follows: the sentinel's, with a {@code --restore-spec} file merged over it. The data
     * directory is always the one given on the command line: a restore spec naming another {@code base_prefix} is
     * refused instead of silently restoring elsewhere, as WAL-E would.
     */
    private static RestoreSpec effectiveSpec(RestoreSpec recorded, Optional<String> override, Path data)
            throws IOException {
        if (override.isEmpty()) {
            return recorded;
        }
        RestoreSpec own = RestoreSpec.parse(override.get());
        if (!own.basePrefix().isEmpty() && !stripSlashes(own.basePrefix()).equals(data.toString())) {
            throw new UserException("the restore spec's base_prefix " + own.basePrefix()
                    + " is not the data directory being restored, " + data,
                    "WAL-E would restore into base_prefix and ignore PG_CLUSTER_DIRECTORY; wal-j refuses.",
                    "Remove base_prefix from the restore spec, or give that directory as PG_CLUSTER_DIRECTORY.");
        }
        return recorded.mergedWith(override.get());
    }

    /** Before pg_control is put in place: a member the manifest lists that no partition held fails the fetch. */
    private static void requireAllSeen(ManifestCheck check, java.util.Set<Integer> notRead) throws IOException {
        List<ManifestEntry> unseen = check.unseen().stream().filter(e -> !notRead.contains(e.partition())).toList();
        if (!unseen.isEmpty()) {
            ManifestEntry first = unseen.get(0);
            throw new IOException("the backup manifest lists " + unseen.size() + " " + check.what() + " no partition "
                    + "contained, the first \"" + first.name() + "\" (partition " + first.partition() + ")");
        }
    }

    private void extractAll(List<ObjectInfo> partitions, PartitionExtractor extractor, Options options,
                            ManifestCheck check, LongAdder downloaded) throws IOException {
        try (Progress shown = progress.start("backup-fetch downloaded", BackupPartitions.storedBytes(partitions));
             BlockCompressors decoders = BlockCompressors.forDecoding()) {
            // one partition often holds the largest relation file alone: its blocks are decoded on every core
            Optional<BlockParallelism> parallelism = decoders.parallelism(BLOCKS_IN_FLIGHT);
            PartitionPool.runAll(partitions, options.poolSize(), "backup-fetch",
                    p -> extractOne(p, extractor, check, shown, options.readRetry(), downloaded, parallelism));
        }
    }

    private void extractOne(ObjectInfo partition, PartitionExtractor extractor, ManifestCheck check,
                            Progress shown, RetryPolicy retry, LongAdder downloaded,
                            Optional<BlockParallelism> parallelism) throws IOException {
        String name = BackupPartitions.fileName(partition);
        int number = BackupPartitions.number(partition);
        FileCheck fileCheck = check == null ? null : new FileCheck() {
            @Override
            public void member(TarArchiveEntry entry, MemberType type) throws IOException {
                fail(check.member(number, entry, type));
            }

            @Override
            public void file(TarArchiveEntry entry, long size, byte[] sha256) throws IOException {
                fail(check.file(number, entry, size, sha256));
            }

            private void fail(Optional<String> problem) throws IOException {
                if (problem.isPresent()) {
                    throw new IOException(problem.get());
                }
            }
        };
        workerLog.info(LogEvent.msg("beginning partition download")
                .detail("The partition being downloaded is " + name + ".")
                .hint("The absolute key is " + storage.url(partition.key()) + "."));
        // download and decrypt on one thread, blocks decompressed on the decoders (lzop, LZ4), tar parsing, hashing and
        // file writes on this one
        // a failed read goes on where it broke off (bounded by the retry policy), never writing anything twice
        try (InputStream stored = new ProgressInputStream(ResumingRead.open(storage, partition.key(), retry,
                downloaded), shown);
             InputStream tar = codec.threadedDecoder(partition.key(), stored, parallelism)) {
            extractor.extract(tar, fileCheck);
        } catch (UnsafeMemberException e) {
            throw new UnsafeMemberException(e, name);
        } catch (IOException | RuntimeException e) {
            // RuntimeException: the tar reader reports some malformed headers that way
            throw new IOException("partition " + name + " could not be restored: " + describe(e), e);
        }
    }

    private static String describe(Exception e) {
        Throwable t = e instanceof UncheckedIOException u ? u.getCause() : e;
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.lines().findFirst().orElse(m); // one line
    }

    private static String stripSlashes(String path) {
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }
}
