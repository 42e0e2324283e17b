package org.walj.cli;

/**
 * The default {@code --pool-size} of backup-push, backup-fetch and backup-verify: partitions in flight, each using about two threads
 * (codec and tar/file I/O) that also wait on storage, so never fewer than WAL-E's 4, and one per core above that.
 */
final class PoolSize {
    static final int MINIMUM_DEFAULT = 4;

    private PoolSize() {
    }

    static int orDefault(Integer given) {
        return given != null ? given : Math.max(MINIMUM_DEFAULT, Runtime.getRuntime().availableProcessors());
    }
}
