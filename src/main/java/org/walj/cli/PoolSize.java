package org.walj.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * The default {@code --pool-size} of backup-push, backup-fetch and backup-verify (and the
 * check every {@code --pool-size} gets): partitions in flight, each using about two threads
 * (codec and tar/file I/O) that also wait on storage, so never fewer than WAL-E's 4, and one per core above that.
 */
final class PoolSize {
    static final int MINIMUM_DEFAULT = 4;

    private PoolSize() {
    }

    static int orDefault(Integer given) {
        return given != null ? given : Math.max(MINIMUM_DEFAULT, Runtime.getRuntime().availableProcessors());
    }

    /** {@code given}, or the default when it was not given; a usage error below 1. */
    static int checked(Integer given, CommandSpec command) {
        int size = orDefault(given);
        if (size < 1) {
            throw new ParameterException(command.commandLine(), "--pool-size must be at least 1");
        }
        return size;
    }
}
