package org.walj.logging;

/**
 * Bytes done of one long operation (backup-push's reads, backup-fetch's and backup-verify's downloads), fed from any
 * thread. Whether and how it is shown is the command line's choice ({@link ProgressDisplay}); the use cases only
 * count. {@link #close()} takes the display away, and must run before the operation's last record.
 */
public interface Progress extends AutoCloseable {
    /** Shows nothing. */
    Progress NONE = new Progress() {
        @Override
        public void add(long bytes) {
        }

        @Override
        public void close() {
        }
    };

    /** {@code bytes} more are done. Cheap: called for every buffer. */
    void add(long bytes);

    @Override
    void close();
}
