package org.walj.backup;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.walj.UserException;
import org.walj.WorkerThreads;
import org.walj.archive.Archive;
import org.walj.layout.BackupLayout;
import org.walj.layout.BackupName;
import org.walj.layout.BackupSentinel;
import org.walj.logging.KibPerSecond;
import org.walj.logging.LogEvent;
import org.walj.logging.LoggerNames;
import org.walj.logging.Progress;
import org.walj.logging.ProgressDisplay;
import org.walj.logging.WalELog;
import org.walj.pipeline.BlockCompressors;
import org.walj.pipeline.BlockParallelism;
import org.walj.pipeline.CountingInputStream;
import org.walj.pipeline.EncoderOptions;
import org.walj.pipeline.EncodingInputStream;
import org.walj.pipeline.ObjectCodec;
import org.walj.pipeline.StreamFormat;
import org.walj.postgres.ConnectionSettings;
import org.walj.postgres.ControlData;
import org.walj.postgres.Lsn;
import org.walj.postgres.PgSession;
import org.walj.postgres.WalPosition;
import org.walj.postgres.WalSegmentSize;
import org.walj.storage.Storage;

/**
 * backup-push: one base backup in WAL-E's layout. Order, as WAL-E: {@code extended_version.txt}, the data partitions
 * (in parallel), the stop call, then (wal-j's addition for the non-exclusive API) one final partition holding the
 * stop call's {@code backup_label} and {@code tablespace_map}, and the sentinel last: until the sentinel exists, no
 * reader takes the backup as complete, so a push that dies at any point leaves nothing that can be restored by
 * mistake.
 */
public final class BackupPusher {
    private static final WalELog OPERATOR = WalELog.get(LoggerNames.OPERATOR_BACKUP);
    private static final WalELog UPLOAD = WalELog.get(LoggerNames.WORKER_UPLOAD);
    /** Largest block a partition's blocks are compressed in parallel for: LZO's 256 KiB. */
    private static final int PARALLEL_BLOCK_LIMIT = 256 * 1024;
    /**
     * WAL-E's own DETAIL, word for word ({@code wal_e/operator/backup.py}), for the WARNING a failed push logs before
     * its stop call. Not a TODO of ours: the README it points to is WAL-E's; kept so that log searches written for
     * WAL-E still match.
     */
    private static final String FAILED_PUSH_DETAIL = "The backup was not completed successfully, but we have to wait "
            + "anyway.  See README: TODO about pg_cancel_backup";
    private static final DateTimeFormatter LABEL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx");

    private final Storage storage;
    private final Archive archive;
    private final ObjectCodec codec;
    private final int poolSize;
    private final ReadRateLimit rateLimit;
    private final ProgressDisplay progress;

    public BackupPusher(Archive archive, int poolSize, ReadRateLimit rateLimit) {
        this(archive, poolSize, rateLimit, ProgressDisplay.off());
    }

    /** {@code progress}: where the bytes read from the cluster are shown (a terminal's line, or nowhere). */
    public BackupPusher(Archive archive, int poolSize, ReadRateLimit rateLimit, ProgressDisplay progress) {
        if (poolSize < 1) {
            throw new IllegalArgumentException("pool size must be at least 1");
        }
        this.archive = archive;
        this.storage = archive.storage();
        this.codec = archive.codec();
        this.poolSize = poolSize;
        this.rateLimit = rateLimit;
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /**
     * Backs up the running cluster in {@code dataDirectory}, reached with {@code settings}, after a spread checkpoint
     * (WAL-E's) or, with {@code fastCheckpoint}, an immediate one.
     */
    public BackupName pushOnline(Path dataDirectory, ConnectionSettings settings, boolean fastCheckpoint)
            throws IOException {
        return pushOnline(dataDirectory, settings, fastCheckpoint, StandbyBackup.Options.defaults());
    }

    /** As above; {@code standbyOptions} apply when the server is a hot standby (docs/backup-push.md). */
    public BackupName pushOnline(Path dataDirectory, ConnectionSettings settings, boolean fastCheckpoint,
                                 StandbyBackup.Options standbyOptions) throws IOException {
        requireDataDirectory(dataDirectory);
        archive.presence().requireWritable();
        try (PgSession session = PgSession.connect(settings)) {
            Optional<StandbyBackup> standby = StandbyBackup.detect(session, archive, standbyOptions);
            String label = "freeze_start_" + OffsetDateTime.now(ZoneOffset.UTC).format(LABEL_TIME);
            Lsn startLsn = startBackup(session, label, fastCheckpoint);
            long timeline = session.checkpointTimeline();
            WalSegmentSize segmentSize = session.walSegmentSize();
            BackupName name = name(WalPosition.of(startLsn, timeline, segmentSize));
            if (standby.isPresent()) {
                standby.get().beforeUpload(name, timeline, segmentSize);
            }
            String version = session.version();

            Uploaded uploaded = null;
            PgSession.StopResult stop;
            try (InterruptedPushCleanup cleanup = InterruptedPushCleanup.register(storage);
                 ManifestSpool manifest = new ManifestSpool(name)) {
                try {
                    uploaded = uploadCluster(name, dataDirectory, version, manifest);
                } finally {
                    if (uploaded == null) {
                        OPERATOR.warning(LogEvent.msg("blocking on sending WAL segments")
                                .detail(FAILED_PUSH_DETAIL));
                    }
                    stop = standby.isPresent() ? standby.get().stop(session, uploaded != null)
                            : stopQuietlyIfFailing(session, uploaded != null);
                }
                if (standby.isPresent()) {
                    standby.get().awaitArchived(session, stop, timeline, segmentSize);
                }
                WalPosition stopPosition = WalPosition.of(stop.lsn(), timeline, segmentSize);
                Map<String, String> stopFiles = new LinkedHashMap<>();
                stopFiles.put("backup_label", stop.labelFile());
                if (stop.tablespaceMap() != null && !stop.tablespaceMap().isEmpty()) {
                    stopFiles.put("tablespace_map", stop.tablespaceMap());
                }
                uploadGenerated(name, uploaded.partitions(), stopFiles, uploaded.listing().root(),
                        manifest);
                storeManifest(manifest);
                writeSentinel(name, stopPosition, uploaded);
            }
            return name;
        }
    }

    /** Backs up a cleanly stopped cluster ({@code --while-offline}), reading its control file. */
    public BackupName pushOffline(Path dataDirectory, Path pgConfig) throws IOException {
        requireDataDirectory(dataDirectory);
        archive.presence().requireWritable();
        if (Files.exists(dataDirectory.resolve("postmaster.pid"))) {
            throw new UserException("while_offline set, but pg looks to be running",
                    "Found a postmaster.pid lockfile, and aborting",
                    "Shut down postgres.  If there is a stale lockfile, then remove it after being very sure "
                            + "postgres is not running.");
        }
        ControlData control = ControlData.read(dataDirectory, pgConfig);
        if (!control.cleanlyShutDown()) {
            throw new UserException("while_offline set, but the cluster was not shut down cleanly",
                    "pg_controldata reports \"Database cluster state: " + control.state() + "\".",
                    "Start PostgreSQL and stop it cleanly (pg_ctl stop -m fast), or back it up online.");
        }
        WalPosition start = control.redoPosition();
        BackupName name = name(start);
        try (InterruptedPushCleanup cleanup = InterruptedPushCleanup.register(storage);
             ManifestSpool manifest = new ManifestSpool(name)) {
            Uploaded uploaded = null;
            try {
                uploaded = uploadCluster(name, dataDirectory, control.version(), manifest);
            } finally {
                if (uploaded == null) {
                    OPERATOR.warning(LogEvent.msg("blocking on sending WAL segments")
                            .detail(FAILED_PUSH_DETAIL));
                }
            }
            storeManifest(manifest);
            writeSentinel(name, start, uploaded);
        }
        return name;
    }

    /**
     * The start call between two INFO lines: its checkpoint, spread by default as WAL-E's, can keep a push silent for
     * many minutes, and the operator should see what it waits for and how to ask for less.
     */
    private static Lsn startBackup(PgSession session, String label, boolean fast) throws IOException {
        String kind = fast ? "fast" : "spread";
        LogEvent waiting = LogEvent.msg("waiting for PostgreSQL's " + kind + " checkpoint").kv("checkpoint", kind);
        if (fast) {
            waiting = waiting.detail("The backup starts after a checkpoint; --start-fast asked PostgreSQL for an "
                    + "immediate one, which writes every dirty buffer at once.");
        } else {
            PgSession.CheckpointPacing pacing = session.checkpointPacing();
            waiting = waiting.detail("The backup starts after a checkpoint, which PostgreSQL spreads over "
                    + "checkpoint_completion_target (" + pacing.completionTarget() + ") of checkpoint_timeout ("
                    + pacing.timeoutSeconds() + " s): up to about " + minutes(pacing.spreadSeconds()) + " here.")
                    .hint("backup-push --start-fast (or WALJ_START_FAST=true) asks for an immediate checkpoint "
                            + "instead, at the cost of a burst of writes on the server.");
        }
        OPERATOR.info(waiting);
        long started = System.nanoTime();
        Lsn start = session.startBackup(label, fast);
        String seconds = String.format(Locale.ROOT, "%.1f", (System.nanoTime() - started) / 1e9);
        OPERATOR.info(LogEvent.msg("PostgreSQL's checkpoint is done")
                .detail("The " + kind + " checkpoint took " + seconds + " s; the backup starts at " + start + ".")
                .kv("checkpoint", kind).kv("seconds", seconds));
        return start;
    }

    /** {@code 45 s}, {@code 4.5 min}, {@code 54 min}. */
    static String minutes(long seconds) {
        if (seconds < 90) {
            return seconds + " s";
        }
        double min = seconds / 60.0;
        return min < 10 ? String.format(Locale.ROOT, "%.1f min", min) : Math.round(min) + " min";
    }

    /** What the data upload produced, for the sentinel. */
    private record Uploaded(ClusterListing.Summary listing, int partitions) {
    }

    /**
     * Walks the cluster and uploads each partition as soon as the walk completes it ({@link Partitioning#streaming},
     * {@link #uploadQueue}): memory stays flat in the number of files (docs/performance.md, many files).
     */
    private Uploaded uploadCluster(BackupName name, Path dataDirectory, String version, ManifestSink manifest)
            throws IOException {
        // the progress line's total: a walk of its own, which only sums sizes, and only when the line is shown
        OptionalLong total = progress.enabled()
                ? OptionalLong.of(ClusterListing.walk(dataDirectory, m -> { }).expandedSizeBytes())
                : OptionalLong.empty();

        String versionKey = BackupLayout.extendedVersionKey(name);
        OPERATOR.info(LogEvent.msg("start upload postgres version metadata")
                .detail("Uploading to " + storage.url(versionKey) + "."));
        storage.put(versionKey, new ByteArrayInputStream(version.getBytes(StandardCharsets.UTF_8)), "text/plain");
        OPERATOR.info(LogEvent.msg("postgres version metadata upload complete"));

        // The largest file is one partition and so one stream: its blocks use the cores the others have left. Small
        // blocks only (LZO's), two at once: partitions run --pool-size at a time, and a codec with large blocks (a
        // slot holds one and its output) would multiply its memory past the heap. LZ4 partitions stay sequential:
        // with parallel blocks they cost 10-25 % more CPU for no measured gain in time (docs/performance.md).
        // closed in reverse: the uploads stop (interrupted when failing) before their compressors and progress close
        try (Progress shown = progress.start("backup-push read", total);
             BlockCompressors compressors = BlockCompressors.forThisMachine();
             WorkQueue uploads = uploadQueue(poolSize)) {
            TarPartitionWriter writer = new TarPartitionWriter(rateLimit, shown::add);
            boolean parallelBlocks = codec.compression().blockSize() <= PARALLEL_BLOCK_LIMIT
                    && codec.compression().format() == StreamFormat.LZOP;
            Optional<BlockParallelism> parallelism = parallelBlocks ? compressors.parallelism(2) : Optional.empty();
            Partitioning partitioning = Partitioning.streaming(p -> uploads.submit(
                    () -> uploadPartition(name, p.number(), parallelism, out -> writer.write(p, out, manifest))));
            ClusterListing.Summary listing = ClusterListing.walk(dataDirectory, partitioning);
            partitioning.finish();
            uploads.awaitAll();
            return new Uploaded(listing, partitioning.count());
        }
    }

    /**
     * At most {@code poolSize} partitions upload and one more waits, so the walk blocks when the uploads are behind and
     * the partitions held in memory stay bounded whatever the number of files. A failed upload stops the walk at its
     * next partition; closing the queue interrupts what still runs and waits for it: nothing may read the cluster
     * after the push returns (the stop call follows).
     */
    private static WorkQueue uploadQueue(int poolSize) {
        return new WorkQueue(poolSize, poolSize + 1, WorkerThreads.numbered("walj-partition-"), "uploading partitions");
    }

    /** The final partition: files that only exist once the backup is stopped. */
    private void uploadGenerated(BackupName name, int number, Map<String, String> members, ClusterMember owner,
                                 ManifestSink manifest) throws IOException {
        long now = System.currentTimeMillis();
        uploadPartition(name, number, Optional.empty(),
                out -> TarPartitionWriter.writeGenerated(out, number, members, now, owner, manifest));
    }

    /** The manifest goes in after every partition and before the sentinel, so a listed backup always has it. */
    private void storeManifest(ManifestSpool manifest) throws IOException {
        String key = manifest.store(storage, codec);
        OPERATOR.info(LogEvent.msg("backup manifest upload complete")
                .detail("Stored the type and mode of " + manifest.members() + " members, and the size and SHA-256 of "
                        + manifest.files() + " files, at " + storage.url(key) + "."));
    }

    /** A tar writer into an encoder's output. */
    @FunctionalInterface
    private interface TarContent {
        void writeTo(OutputStream out) throws IOException;
    }

    /** {@code parallelism}: empty to compress on the producer thread alone. */
    private void uploadPartition(BackupName name, int number, Optional<BlockParallelism> parallelism,
                                 TarContent content)
            throws IOException {
        String key = BackupLayout.partitionKey(name, number, codec.suffix());
        String url = storage.url(key);
        UPLOAD.info(LogEvent.msg("beginning volume compression").detail("Building volume " + number + "."));
        // The tar is written by the encoder's producer thread straight into the compressor (nothing to copy from a
        // source stream), so one partition in flight holds at most EncodingInputStream's few chunks in memory.
        InputStream encoded = EncodingInputStream.encoded(InputStream.nullInputStream(), sink -> {
            OutputStream encoder = codec.encoder(sink, EncoderOptions.pipe().inParallel(parallelism));
            content.writeTo(encoder);
            return encoder;
        });
        UPLOAD.info(LogEvent.msg("begin uploading a base backup volume").detail("Uploading to \"" + url + "\"."));
        long started = System.nanoTime();
        CountingInputStream counted = new CountingInputStream(encoded);
        try (counted) {
            storage.put(key, counted, "application/octet-stream");
        }
        String rate = KibPerSecond.format(counted.count(), (System.nanoTime() - started) / 1e9);
        UPLOAD.info(LogEvent.msg("finish uploading a base backup volume")
                .detail("Uploading to \"" + url + "\" complete at " + rate + "KiB/s. "));
    }

    private void writeSentinel(BackupName name, WalPosition stop, Uploaded uploaded) throws IOException {
        BackupName stopAsName = name(stop);
        BackupSentinel sentinel = new BackupSentinel(stopAsName.startSegment(), stopAsName.startOffset(),
                uploaded.listing().expandedSizeBytes(), uploaded.listing().spec());
        storage.put(BackupLayout.sentinelKey(name),
                new ByteArrayInputStream(sentinel.toJson().getBytes(StandardCharsets.UTF_8)), "application/json");
    }

    /**
     * Stops the backup. When the upload already failed, the stop does not wait for archiving (nothing will use this
     * backup; WAL-E waited anyway, which could hang a failed push behind a broken archive_command), and a failing
     * stop must not hide the first error: it is logged, and the upload's exception propagates from the caller's
     * {@code finally}.
     */
    private static PgSession.StopResult stopQuietlyIfFailing(PgSession session, boolean uploadGood)
            throws IOException {
        if (uploadGood) {
            return session.stopBackup(true);
        }
        try {
            return session.stopBackup(false);
        } catch (IOException e) {
            OPERATOR.warning(LogEvent.msg("could not stop the backup after a failed upload").detail(e.getMessage()));
            return null;
        }
    }

    private static BackupName name(WalPosition position) {
        return BackupName.of(position.segment(), position.offset());
    }

    private static void requireDataDirectory(Path dir) {
        if (!Files.isRegularFile(dir.resolve("PG_VERSION")) || !Files.isRegularFile(dir.resolve("global/pg_control"))) {
            throw new UserException("not a PostgreSQL data directory: \"" + dir + "\"",
                    "It has no PG_VERSION or no global/pg_control.",
                    "Pass the cluster's data directory, e.g. wal-j backup-push /var/lib/postgresql/15/main");
        }
    }
}
