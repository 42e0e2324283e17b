package org.walj.layout;

/** WAL-E's object names below a prefix (format version 005). */
public final class ArchiveLayout {
    public static final String WAL_DIRECTORY = "wal_005/";
    public static final String BASEBACKUP_DIRECTORY = "basebackups_005/";

    private ArchiveLayout() {
    }

    /** {@code wal_005/<name><suffix>}, e.g. {@code wal_005/000000010000000000000002.lzo}. */
    public static String walObjectKey(WalFileName name, String compressionSuffix) {
        return WAL_DIRECTORY + name.value() + compressionSuffix;
    }
}
