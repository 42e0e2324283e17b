package org.walj.logging;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Layout;
import ch.qos.logback.core.UnsynchronizedAppenderBase;

/**
 * WAL-E's syslog destination: each record, in the same WAL-E text as on stderr, prefixed with {@code <PRI>} and ended
 * with a NUL, as Python's {@code SysLogHandler} sends it. Java 17 cannot send to the {@code /dev/log} datagram socket,
 * so the records go through a pipe to the {@code wal-j-syslog} helper, started at the first record that passes the
 * threshold (a command that logs nothing starts nothing). wal-j never waits for it: the helper sends each record as
 * it arrives and exits when the pipe closes with this process. Best effort, as WAL-E's: when the helper cannot be
 * started or the pipe breaks, syslog records are dropped and stderr still has them.
 */
final class SyslogAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
    private final SyslogTarget target;
    private final Layout<ILoggingEvent> layout;
    private final Object lock = new Object();
    private volatile LogLevel threshold = LogLevel.INFO;
    private OutputStream pipe;
    private boolean broken;

    SyslogAppender(SyslogTarget target, Layout<ILoggingEvent> layout) {
        this.target = Objects.requireNonNull(target, "target");
        this.layout = Objects.requireNonNull(layout, "layout");
    }

    void setThreshold(LogLevel threshold) {
        this.threshold = Objects.requireNonNull(threshold, "threshold");
    }

    @Override
    protected void append(ILoggingEvent event) {
        LogLevel level = WalELayout.levelOf(event);
        if (level.compareTo(threshold) < 0) {
            return;
        }
        String text = layout.doLayout(event);
        if (text.endsWith("\n")) {
            text = text.substring(0, text.length() - 1);
        }
        byte[] record = ("<" + target.priority(level) + ">" + text + "\0").getBytes(StandardCharsets.UTF_8);
        synchronized (lock) {
            if (broken) {
                return;
            }
            try {
                if (pipe == null) {
                    pipe = new ProcessBuilder(List.of(target.helper().toString(), target.socket().toString()))
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .redirectError(ProcessBuilder.Redirect.DISCARD)
                            .start().getOutputStream();
                }
                pipe.write(record);
                pipe.flush();
            } catch (IOException e) {
                broken = true; // logging must not fail the operation; stderr has the record
                addError("cannot send log records to syslog", e);
            }
        }
    }

    @Override
    public void stop() {
        synchronized (lock) {
            if (pipe != null) {
                try {
                    pipe.close(); // the helper sends what it has and exits
                } catch (IOException ignored) {
                    // it is gone already
                }
                pipe = null;
            }
        }
        super.stop();
    }
}
