package org.walj.logging;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

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
 *
 * <p>Without the helper (the architecture-independent .deb ships none) each record is handed to one {@code logger}
 * run, not waited for either: {@code logger -u SOCKET -p FACILITY.LEVEL -t LOGGER_NAME -- REST}, so the record's
 * logger name becomes the syslog tag (what syslog daemons file WAL-E's datagrams under too) and the rest of the text,
 * newlines included, is one message. One process per record costs more than the helper's one pipe write, so the
 * helper stays the first choice.
 */
final class SyslogAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
    private final SyslogTarget target;
    private final Layout<ILoggingEvent> layout;
    private final Object lock = new Object();
    private volatile LogLevel threshold = LogLevel.INFO;
    private OutputStream pipe;
    private Process lastLogger;
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
        if (target.transport() == SyslogTarget.Transport.LOGGER) {
            viaLogger(event.getLoggerName(), level, text);
            return;
        }
        byte[] record = ("<" + target.priority(level) + ">" + text + "\0").getBytes(StandardCharsets.UTF_8);
        synchronized (lock) {
            if (broken) {
                return;
            }
            try {
                if (pipe == null) {
                    pipe = new ProcessBuilder(List.of(target.program().toString(), target.socket().toString()))
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

    /** One {@code logger} run for the record: its logger name as the tag, the columns after it as the message. */
    private void viaLogger(String name, LogLevel level, String text) {
        String tag = name;
        String message = text;
        if (text.startsWith(name + " ")) {
            message = text.substring(name.length()).stripLeading();
        } else {
            tag = "wal_e";
        }
        synchronized (lock) {
            if (broken) {
                return;
            }
            try {
                // records arrive in order: a record waits for the previous one's logger (the first waits for none)
                if (lastLogger != null && !lastLogger.waitFor(1, TimeUnit.SECONDS)) {
                    lastLogger.destroy();
                }
                lastLogger = new ProcessBuilder(List.of(target.program().toString(), "-u", target.socket().toString(),
                        "-S", "65536", "-p", target.loggerPriority(level), "-t", tag, "--", message))
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start();
            } catch (IOException e) {
                broken = true; // logging must not fail the operation; stderr has the record
                addError("cannot send log records to syslog with " + target.program(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the record is dropped; stderr has it
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
