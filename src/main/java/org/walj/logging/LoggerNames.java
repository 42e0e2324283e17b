package org.walj.logging;

/**
 * WAL-E's logger names (its Python module names). wal-j logs under the same names so that operators' log filters,
 * alerts and grep patterns written for WAL-E keep matching; see {@code docs/logging.md}.
 */
public final class LoggerNames {
    /** Start-up, command dispatch, user errors, unexpected exceptions ({@code wal_e/cmd.py}). */
    public static final String MAIN = "wal_e.main";
    /** backup-push/fetch/list, wal-push/fetch orchestration ({@code wal_e/operator/backup.py}). */
    public static final String OPERATOR_BACKUP = "wal_e.operator.backup";
    /** WAL segment and tar partition uploads ({@code wal_e/worker/upload.py}). */
    public static final String WORKER_UPLOAD = "wal_e.worker.upload";
    /** Listing and deleting backups ({@code wal_e/worker/base.py}). */
    public static final String WORKER_BASE = "wal_e.worker.base";
    /** WAL prefetch ({@code wal_e/worker/prefetch.py}). */
    public static final String WORKER_PREFETCH = "wal_e.worker.prefetch";
    /** Retry loops ({@code wal_e/retries.py}). */
    public static final String RETRIES = "wal_e.retries";
    /** Tar partitioning and extraction ({@code wal_e/tar_partition.py}). */
    public static final String TAR_PARTITION = "wal_e.tar_partition";
    /** File backend transfers ({@code wal_e/blobstore/file/file_util.py}). */
    public static final String BLOBSTORE_FILE = "wal_e.blobstore.file.file_util";
    /** File backend backup fetch ({@code wal_e/worker/file/file_worker.py}). */
    public static final String WORKER_FILE = "wal_e.worker.file.file_worker";
    /** S3 transfers ({@code wal_e/blobstore/s3/s3_util.py}). */
    public static final String BLOBSTORE_S3 = "wal_e.blobstore.s3.s3_util";
    /** S3 endpoint and region selection ({@code wal_e/blobstore/s3/calling_format.py}). */
    public static final String S3_CALLING_FORMAT = "wal_e.blobstore.s3.calling_format";
    /** S3 backup fetch ({@code wal_e/worker/s3/s3_worker.py}). */
    public static final String WORKER_S3 = "wal_e.worker.s3.s3_worker";
    /** GCS transfers ({@code wal_e/blobstore/gs/utils.py}). */
    public static final String BLOBSTORE_GS = "wal_e.blobstore.gs.utils";
    /** GCS backup fetch ({@code wal_e/worker/gs/gs_worker.py}). */
    public static final String WORKER_GS = "wal_e.worker.gs.gs_worker";
    /** Swift transfers ({@code wal_e/blobstore/swift/utils.py}). */
    public static final String BLOBSTORE_SWIFT = "wal_e.blobstore.swift.utils";
    /** Swift backup fetch ({@code wal_e/worker/swift/swift_worker.py}). */
    public static final String WORKER_SWIFT = "wal_e.worker.swift.swift_worker";

    /**
     * S3 multipart uploads (abort failures). WAL-E uploaded with one PUT and had no such logger; the name is its S3
     * package's. Unlike the S3 transfers' {@link #BLOBSTORE_S3}, and kept as it is: log filters may match it.
     */
    public static final String BLOBSTORE_S3_MULTIPART = "wal_e.blobstore.s3";
    /** Notices of the OpenPGP layer, e.g. decryption handed to the gpg binary ({@code wal_e/pipeline.py}). */
    public static final String PIPELINE = "wal_e.pipeline";

    /** wal-j's resident daemon (no WAL-E counterpart): start, stop, each request served or refused. */
    public static final String DAEMON = "wal_j.daemon";

    private LoggerNames() {
    }
}
