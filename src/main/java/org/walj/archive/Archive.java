package org.walj.archive;

import java.io.IOException;
import java.util.Optional;
import org.walj.layout.BackupManifest;
import org.walj.layout.BackupName;
import org.walj.layout.StoragePrefix;
import org.walj.logging.LoggerNames;
import org.walj.pipeline.ObjectCodec;
import org.walj.postgres.WalCoverage;
import org.walj.postgres.WalSegmentSize;
import org.walj.storage.Storage;

/**
 * One opened archive, what every use case works on: the prefix it was named by, its opened storage and the codec
 * its objects are written and read with. A {@code shared} one (a {@link #sharedView() shared view}) belongs to the
 * resident daemon and outlives the request that uses it: closing it leaves the storage open.
 */
public record Archive(StoragePrefix prefix, Storage storage, ObjectCodec codec, boolean shared)
        implements AutoCloseable {
    public Archive {
        if (prefix == null || storage == null || codec == null) {
            throw new IllegalArgumentException("an archive needs a prefix, a storage and a codec");
        }
    }

    /** The archive at {@code prefix}, owning {@code storage}: closing the archive closes the storage. */
    public static Archive of(StoragePrefix prefix, Storage storage, ObjectCodec codec) {
        return new Archive(prefix, storage, codec, false);
    }

    /** The same storage and codec for one request of the daemon: closing it leaves them open. */
    public Archive sharedView() {
        return new Archive(prefix, storage, codec, true);
    }

    /** WAL-E's per-backend worker logger, for the per-partition records of backup-fetch and backup-verify. */
    public String workerLoggerName() {
        return switch (prefix.scheme()) {
            case "s3" -> LoggerNames.WORKER_S3;
            case "gs" -> LoggerNames.WORKER_GS;
            case "swift" -> LoggerNames.WORKER_SWIFT;
            default -> LoggerNames.WORKER_FILE;
        };
    }

    /** The complete base backups. */
    public BackupCatalog backups() {
        return new BackupCatalog(storage);
    }

    /** "Is this an archive": asked before writing, and when an object was not found. */
    public ArchivePresence presence() {
        return new ArchivePresence(storage, prefix);
    }

    /** What {@code wal_005/} holds, timeline by timeline, counted in segments of {@code segmentSize}. */
    public WalCoverage walIndex(WalSegmentSize segmentSize) throws IOException {
        return WalIndexLoader.load(storage, HistoryFiles.reader(this), segmentSize);
    }

    /** A backup's manifest; empty for a backup made by WAL-E. */
    public Optional<BackupManifest> manifest(BackupName backup) throws IOException {
        return StoredManifest.load(storage, codec, backup);
    }

    @Override
    public void close() throws IOException {
        if (!shared) {
            storage.close();
        }
    }
}
