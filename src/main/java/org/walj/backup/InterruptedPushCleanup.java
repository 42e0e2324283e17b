package org.walj.backup;

import org.walj.logging.LogEvent;
import org.walj.logging.LoggerNames;
import org.walj.logging.WalELog;
import org.walj.storage.Storage;

/**
 * While a push runs, a JVM shutdown hook: SIGTERM or SIGINT (PostgreSQL's shutdown, a service manager, Ctrl-C) ends
 * the JVM without unwinding the threads that write partitions, so their {@code finally} blocks never run. The hook
 * makes the storage drop its unfinished uploads ({@link Storage#abandonUploads}) so that no temporary object outlives
 * the push; the manifest spool needs nothing (it is unlinked while open). The sentinel is never written, so what
 * stays (finished partitions) is a backup no reader takes as complete, as after any failed push. SIGKILL runs no
 * hook: {@code delete everything} removes what it leaves.
 */
final class InterruptedPushCleanup implements AutoCloseable {
    private static final WalELog LOG = WalELog.get(LoggerNames.OPERATOR_BACKUP);

    private final Thread hook;

    private InterruptedPushCleanup(Thread hook) {
        this.hook = hook;
    }

    static InterruptedPushCleanup register(Storage storage) {
        Thread hook = new Thread(() -> {
            LOG.warning(LogEvent.msg("backup-push stopped by a signal")
                    .detail("Unfinished uploads are removed; the backup has no sentinel and is not restorable.")
                    .hint("Run backup-push again."));
            storage.abandonUploads();
        }, "walj-push-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        return new InterruptedPushCleanup(hook);
    }

    /** The push ended by itself: nothing left to clean up at exit. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs (or ran) already
        }
    }
}
