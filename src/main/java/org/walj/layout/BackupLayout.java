package org.walj.layout;

/** WAL-E's object names of one base backup, below {@code basebackups_005/}. */
public final class BackupLayout {
    public static final String SENTINEL_SUFFIX = "_backup_stop_sentinel.json";
    /** The manifest object's name inside a backup's directory, before the compression suffix. */
    public static final String MANIFEST_NAME = "walj_manifest.jsonl";

    private BackupLayout() {
    }

    /** {@code basebackups_005/base_X_Y/}: the backup's directory. */
    public static String directory(BackupName name) {
        return ArchiveLayout.BASEBACKUP_DIRECTORY + name + "/";
    }

    /** {@code basebackups_005/base_X_Y/tar_partitions/part_00000003.tar.lzo} (decimal, 8 digits, from 0). */
    public static String partitionKey(BackupName name, int number, String compressionSuffix) {
        if (number < 0) {
            throw new IllegalArgumentException("negative partition number " + number);
        }
        return directory(name) + "tar_partitions/" + String.format("part_%08d.tar", number) + compressionSuffix;
    }

    /** The prefix under which a backup's partitions are listed. */
    public static String partitionsPrefix(BackupName name) {
        return directory(name) + "tar_partitions/";
    }

    /** {@code basebackups_005/base_X_Y/extended_version.txt}: plain text, uploaded first. */
    public static String extendedVersionKey(BackupName name) {
        return directory(name) + "extended_version.txt";
    }

    /**
     * {@code basebackups_005/base_X_Y/walj_manifest.jsonl.lzo}: wal-j's integrity manifest, encoded like the
     * partitions. Beside {@code extended_version.txt}, not in {@code tar_partitions/}: WAL-E's backup-list and
     * backup-fetch never look there, and WAL-G's backup-fetch would try to extract anything in {@code tar_partitions/}
     * (docs/integrity.md).
     */
    public static String manifestKey(BackupName name, String compressionSuffix) {
        return manifestPrefix(name) + compressionSuffix;
    }

    /** The manifest's key without its compression suffix, to find it whatever compression wrote it. */
    public static String manifestPrefix(BackupName name) {
        return directory(name) + MANIFEST_NAME;
    }

    /** {@code basebackups_005/base_X_Y_backup_stop_sentinel.json}, a sibling of the directory, written last. */
    public static String sentinelKey(BackupName name) {
        return ArchiveLayout.BASEBACKUP_DIRECTORY + name + SENTINEL_SUFFIX;
    }
}
