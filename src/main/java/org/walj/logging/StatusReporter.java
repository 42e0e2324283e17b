package org.walj.logging;

import java.io.PrintStream;

import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusListener;

/**
 * Prints Logback's own warnings and errors (a broken appender, say) as one line each on stderr.
 *
 * <p>Having a listener registered also keeps Logback from running its {@code StatusPrinter} after configuration,
 * whose date formatter loads the time-zone database: about 20 ms of every cold start.
 */
final class StatusReporter implements StatusListener {

    private final PrintStream err;

    StatusReporter(PrintStream err) {
        this.err = err;
    }

    @Override
    public void addStatusEvent(Status status) {
        if (status.getEffectiveLevel() < Status.WARN) {
            return;
        }
        StringBuilder line = new StringBuilder("wal-j: logging ");
        line.append(status.getLevel() >= Status.ERROR ? "error: " : "warning: ").append(status.getMessage());
        Throwable t = status.getThrowable();
        if (t != null) {
            line.append(": ").append(t);
        }
        err.println(line.toString().replace('\n', ' '));
        err.flush();
    }

    @Override
    public boolean isResetResistant() {
        return true;
    }
}
