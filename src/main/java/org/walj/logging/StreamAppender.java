package org.walj.logging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Layout;
import ch.qos.logback.core.UnsynchronizedAppenderBase;

/**
 * Writes each record to a stream in one write and flushes it at once: the process may exit right after logging
 * (an {@code archive_command} does), and records from concurrent threads must not interleave. The stream is a
 * {@link ConsoleLine}, which wipes a progress line on a terminal before the record and draws it again after.
 *
 * <p>Unlike Logback's {@code ConsoleAppender} it never closes the stream (it is the process's stderr) and it applies
 * WAL-E's own threshold, which can be CRITICAL, a level Logback does not have.
 */
final class StreamAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

    private final ConsoleLine out;
    private final Layout<ILoggingEvent> layout;
    private final Object lock = new Object();
    private volatile LogLevel threshold = LogLevel.INFO;
    private boolean reportedFailure;

    StreamAppender(ConsoleLine out, Layout<ILoggingEvent> layout) {
        this.out = Objects.requireNonNull(out, "out");
        this.layout = Objects.requireNonNull(layout, "layout");
    }

    void setThreshold(LogLevel threshold) {
        this.threshold = Objects.requireNonNull(threshold, "threshold");
    }

    LogLevel threshold() {
        return threshold;
    }

    @Override
    protected void append(ILoggingEvent event) {
        LogLevel level = WalELayout.levelOf(event);
        LogRoute route = LogRoute.current();
        boolean routed = route != null && level.compareTo(route.threshold()) >= 0;
        boolean own = level.compareTo(threshold) >= 0;
        if (!own && !routed) {
            return;
        }
        byte[] bytes = layout.doLayout(event).getBytes(StandardCharsets.UTF_8);
        if (routed) {
            route.write(bytes);
        }
        if (!own) {
            return;
        }
        synchronized (lock) {
            try {
                out.record(bytes);
            } catch (IOException e) {
                // stderr closed or full: there is nowhere left to say so, and logging must not fail the operation
                if (!reportedFailure) {
                    reportedFailure = true;
                    addError("cannot write log record", e);
                }
            }
        }
    }
}
