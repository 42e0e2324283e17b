package org.walj.logging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusListener;

/**
 * Prints Logback's own warnings and errors (a broken appender, say) as one line each on stderr.
 *
 * <p>Having a listener registered also keeps Logback from running its {@code StatusPrinter} after configuration,
 * whose date formatter loads the time-zone database: about 20 ms of every cold start.
 */
final class StatusReporter implements StatusListener {

    private final ConsoleLine err;

    StatusReporter(ConsoleLine err) {
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
        try {
            // through the console line: a progress line on a terminal is wiped first
            err.record((line.toString().replace('\n', ' ') + System.lineSeparator()).getBytes(StandardCharsets.UTF_8));
        } catch (IOException ignored) {
            // stderr is where this would have been reported
        }
    }

    @Override
    public boolean isResetResistant() {
        return true;
    }
}
