package org.walj.layout;

/** WAL-E's object names of one base backup, below {@code basebackups_005/}. */
public final class BackupLayout {
    public static final String SENTINEL_SUFFIX = "_backup_stop_sentinel.json";

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

    /** {@code basebackups_005/base_X_Y_backup_stop_sentinel.json}, a sibling of the directory, written last. */
    public static String sentinelKey(BackupName name) {
        return ArchiveLayout.BASEBACKUP_DIRECTORY + name + SENTINEL_SUFFIX;
    }
}
