package org.walj.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.walj.UserException;
import org.walj.archive.Archive;
import org.walj.archive.BackupCatalog;
import org.walj.layout.BackupLayout;
import org.walj.layout.BackupManifest;
import org.walj.layout.BackupSentinel;
import org.walj.layout.ManifestEntry;
import org.walj.logging.LogEvent;
import org.walj.logging.LoggerNames;
import org.walj.logging.Progress;
import org.walj.logging.ProgressDisplay;
import org.walj.logging.WalELog;
import org.walj.pipeline.ObjectCodec;
import org.walj.postgres.SegmentName;
import org.walj.postgres.WalCoverage;
import org.walj.postgres.WalSegmentSize;
import org.walj.storage.ObjectInfo;
import org.walj.storage.Storage;

/**
 * backup-verify: reads a whole base backup from storage without writing anything, as backup-fetch would read it
 * (same decoding, same tar checks through {@link PartitionReader}), compares every file with the manifest, and
 * checks that the WAL from the backup's start to its stop is archived. Every problem is logged as found and
 * reading goes on, so one run names them all; then the verification fails with one ERROR. See docs/integrity.md.
 */
public final class BackupVerify {
    private static final WalELog BASE_LOG = WalELog.get(LoggerNames.WORKER_BASE);
    /** A backup spanning more than this many segments (16 TiB of 16 MiB segments) is not a backup's range. */
    private static final int MAX_WAL_SEGMENTS = 1 << 20;

    private final Archive archive;
    private final Storage storage;
    private final ObjectCodec codec;
    private final WalELog workerLog;
    private final ProgressDisplay progress;

    /**
     * @param requireManifest fail a backup that has no manifest (one made by WAL-E) instead of warning
     * @param walSegmentSize  the cluster's, to count the backup's WAL segments with; the archive does not record it
     */
    public record Options(int poolSize, boolean requireManifest, WalSegmentSize walSegmentSize) {
        public Options {
            if (poolSize < 1) {
                throw new IllegalArgumentException("pool size must be at least 1");
            }
            Objects.requireNonNull(walSegmentSize, "walSegmentSize");
        }

        /** With 16 MiB segments, PostgreSQL's default, which WAL-E assumed too. */
        public Options(int poolSize, boolean requireManifest) {
            this(poolSize, requireManifest, WalSegmentSize.DEFAULT);
        }
    }

    /**
     * What a successful verification established; {@code filesChecksummed} counts the members that matched a complete
     * (version 2) manifest, the files that matched a version 1 one.
     */
    public record Report(String backup, int partitions, long filesChecksummed, boolean checksummed,
                         Optional<WalCoverageSummary> wal) {
    }

    /** The WAL range found complete; empty in {@link Report#wal()} when the backup needs none (no backup_label). */
    public record WalCoverageSummary(String start, String stop, int segments) {
    }

    public BackupVerify(Archive archive) {
        this(archive, ProgressDisplay.off());
    }

    /** {@code progress}: where the bytes downloaded are shown (a terminal's line, or nowhere). */
    public BackupVerify(Archive archive, ProgressDisplay progress) {
        this.archive = archive;
        this.progress = java.util.Objects.requireNonNull(progress, "progress");
        this.storage = archive.storage();
        this.codec = archive.codec();
        this.workerLog = WalELog.get(archive.workerLoggerName());
    }

    /** Verifies the backup {@code query} selects; returns only when every check passed, else throws a UserException. */
    public Report verify(String query, Options options) throws IOException {
        BackupCatalog catalog = archive.backups();
        List<BackupCatalog.Entry> found = catalog.select(Optional.of(query));
        if (found.isEmpty()) {
            throw new UserException("no backups found for verifying",
                    query.equals("LATEST") ? "There is no complete backup in the archive."
                            : "There is no complete backup named " + query + ".",
                    "Run backup-list to see the backups this prefix holds.");
        }
        BackupCatalog.Entry backup = found.get(0);
        VerificationProblems problems = new VerificationProblems();
        BackupSentinel sentinel = catalog.sentinel(backup);
        List<ObjectInfo> partitions = BackupPartitions.list(storage, backup.name());
        Optional<BackupManifest> manifest = Optional.empty();
        try {
            manifest = archive.manifest(backup.name());
        } catch (IOException e) {
            problems.add(e.getMessage());
        }
        ManifestCheck check = manifest.map(ManifestCheck::new).orElse(null);
        BASE_LOG.info(LogEvent.msg("verifying base backup")
                .detail("Reading " + backup.name() + " (" + partitions.size() + " partitions"
                        + (check == null ? "" : ", " + check.members() + " " + (check.complete() ? "members"
                                : "files") + " in its manifest")
                        + ") without writing anything."));

        Set<Integer> unreadable = ConcurrentHashMap.newKeySet();
        AtomicBoolean backupLabel = new AtomicBoolean();
        AtomicLong matched = new AtomicLong();
        try (Progress shown = progress.start("backup-verify read", BackupPartitions.storedBytes(partitions))) {
            PartitionPool.runAll(partitions, options.poolSize(), "backup-verify",
                    p -> readOne(p, check, problems, unreadable, backupLabel, matched, shown));
        }

        if (check != null) {
            reportUnseen(check, partitions, unreadable, problems);
        }
        Optional<WalCoverageSummary> wal = Optional.empty();
        if (backupLabel.get()) {
            wal = Optional.of(checkWal(backup.name().startSegment(), sentinel.stopSegment(), options.walSegmentSize(),
                    problems));
        } else {
            BASE_LOG.info(LogEvent.msg("WAL coverage not checked: the backup has no backup_label")
                    .detail("A backup without backup_label was taken from a stopped cluster (--while-offline) and "
                            + "is consistent without WAL."));
        }

        if (!problems.isEmpty()) {
            throw new UserException("base backup " + backup.name() + " failed verification",
                    problems.count() + " problem(s); the first: " + problems.first(),
                    "Do not rely on this backup: restore another one (backup-list), and take a new backup.");
        }
        String walText = wal.map(w -> " WAL " + w.start() + " to " + w.stop() + " (" + w.segments()
                + " segments) is archived.").orElse("");
        if (check == null) {
            LogEvent noManifest = LogEvent.msg("backup has no integrity manifest: files were not checksummed")
                    .detail("Backup " + backup.name() + " has no " + BackupLayout.MANIFEST_NAME + " (made by WAL-E "
                            + "or another tool). Every partition decoded and passed the tar checks; file contents "
                            + "were not compared with checksums taken at backup time.");
            if (options.requireManifest()) {
                throw new UserException("backup " + backup.name() + " has no integrity manifest",
                        "--require-manifest was given; backups made by WAL-E have none.",
                        "Take a new backup with wal-j backup-push.");
            }
            BASE_LOG.warning(noManifest.hint("Take a new backup with wal-j backup-push to get one that can be "
                    + "fully verified."));
        }
        BASE_LOG.info(LogEvent.msg("base backup verified")
                .detail(backup.name() + ": " + partitions.size() + " partitions decoded"
                        + (check == null ? "" : ", " + matched.get() + (check.complete() ? " members" : " files")
                                + " match the manifest") + "." + walText));
        return new Report(backup.name().toString(), partitions.size(), matched.get(), check != null, wal);
    }

    /**
     * Every segment from the backup's start to its stop must be archived, on the timeline recovery reads it from
     * (docs/integrity.md). One listing of {@code wal_005/}; the timeline history files are read too.
     */
    private WalCoverageSummary checkWal(SegmentName start, SegmentName stop, WalSegmentSize size,
                                        VerificationProblems problems) throws IOException {
        if (stop.placeInWal() < start.placeInWal()) {
            throw new IOException("the backup stops (" + stop + ") before it starts (" + start + ")");
        }
        if (!size.fits(start) || !size.fits(stop)) {
            problems.add("the backup's WAL, " + start + " to " + stop + ", cannot be counted with "
                    + (size.bytes() >> 20) + " MiB segments: the cluster's segments are smaller (give their size with "
                    + "--wal-segment-size)");
            return new WalCoverageSummary(start.toString(), stop.toString(), 0);
        }
        long count = size.number(stop) - size.number(start) + 1;
        if (count > MAX_WAL_SEGMENTS) {
            throw new IOException("the backup's WAL range " + start + " to " + stop + " is implausibly long");
        }
        WalCoverageSummary summary = new WalCoverageSummary(start.toString(), stop.toString(), (int) count);
        WalCoverage archived;
        try {
            archived = archive.walIndex(size);
        } catch (IOException e) {
            // a history file that cannot be read would stop recovery too
            problems.add("the WAL the backup needs cannot be checked: " + e.getMessage());
            return summary;
        }
        WalCoverage.Span span = archived.range(start, stop);
        for (String note : span.problems()) {
            BASE_LOG.warning(LogEvent.msg("the backup's WAL crosses a timeline switch the archive does not record")
                    .detail(note + "."));
        }
        for (WalCoverage.Gap gap : span.gaps()) {
            for (SegmentName segment : archived.segmentsOf(span, gap)) {
                problems.add("WAL segment " + segment + " is not in the archive (the backup needs "
                        + start + " to " + stop + " to become consistent)");
            }
        }
        return summary;
    }

    private void readOne(ObjectInfo partition, ManifestCheck check, VerificationProblems problems,
                         Set<Integer> unreadable, AtomicBoolean backupLabel, AtomicLong matched, Progress shown) {
        String name = BackupPartitions.fileName(partition);
        int number = BackupPartitions.number(partition);
        workerLog.info(LogEvent.msg("beginning partition verification")
                .detail("The partition being verified is " + name + ".")
                .hint("The absolute key is " + storage.url(partition.key()) + "."));
        FileCheck fileCheck = check == null ? null : new FileCheck() {
            @Override
            public void member(TarArchiveEntry entry, MemberType type) {
                if (check.complete()) { // a version 1 manifest lists files only
                    note(check.member(number, entry, type));
                }
            }

            @Override
            public void file(TarArchiveEntry entry, long size, byte[] sha256) {
                note(check.file(number, entry, size, sha256));
            }

            private void note(Optional<String> problem) {
                if (problem.isPresent()) {
                    problems.add(name + ": " + problem.get());
                } else {
                    matched.incrementAndGet();
                }
            }
        };
        PartitionReader.Members members = new NullSink(backupLabel, problems, name);
        try (InputStream stored = new ProgressInputStream(storage.get(partition.key()), shown);
             InputStream tar = codec.decoder(partition.key(), stored)) {
            PartitionReader.read(tar, members, fileCheck);
        } catch (IOException | RuntimeException e) {
            // RuntimeException: the tar reader reports some malformed headers that way
            unreadable.add(number);
            problems.add("partition " + name + " cannot be read: " + describe(e));
        }
    }

    /** Files of the manifest nothing contained; those of unreadable partitions are counted, not listed. */
    private static void reportUnseen(ManifestCheck check, List<ObjectInfo> partitions, Set<Integer> unreadable,
                                     VerificationProblems problems) {
        Set<Integer> stored = new java.util.HashSet<>();
        partitions.forEach(p -> stored.add(BackupPartitions.number(p)));
        Set<Integer> absent = new java.util.TreeSet<>();
        int inUnreadable = 0;
        for (ManifestEntry e : check.unseen()) {
            if (!stored.contains(e.partition())) {
                absent.add(e.partition());
            } else if (unreadable.contains(e.partition())) {
                inUnreadable++;
            } else {
                problems.add("\"" + e.name() + "\" (partition " + e.partition() + ") is in the backup manifest but "
                        + "not in its partition");
            }
        }
        for (int p : absent) {
            problems.add("partition " + p + " is in the backup manifest but not stored");
        }
        if (inUnreadable > 0) {
            BASE_LOG.warning(LogEvent.msg(inUnreadable + " " + check.what() + " of unreadable partitions were not "
                    + "checked"));
        }
    }

    private static String describe(Exception e) {
        Throwable t = e instanceof UncheckedIOException u ? u.getCause() : e;
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.lines().findFirst().orElse(m);
    }

    /**
     * The verifier's null sink, noting whether the backup has a {@code backup_label} at its root, and naming any
     * member handed on as a file that is not one (a device, a FIFO: backup-fetch refuses them, so a backup holding
     * one cannot be restored), whether or not the backup has a manifest.
     */
    private static final class NullSink implements PartitionReader.Members {
        private final AtomicBoolean seen;
        private final VerificationProblems problems;
        private final String partition;

        NullSink(AtomicBoolean seen, VerificationProblems problems, String partition) {
            this.seen = seen;
            this.problems = problems;
            this.partition = partition;
        }

        @Override
        public void directory(MemberName name, TarArchiveEntry entry) {
        }

        @Override
        public void file(MemberName name, TarArchiveEntry entry, InputStream content) {
            if (name.relative().equals("backup_label")) {
                seen.set(true);
            }
        }

        @Override
        public void symlink(MemberName name, TarArchiveEntry entry) {
        }

        @Override
        public void hardLink(MemberName name, MemberName target, TarArchiveEntry entry) {
        }
    }
}
