package org.walj.logging;

import java.time.Clock;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

/**
 * What use cases log through: WAL-E's {@code WalELogger}. Each call renders a {@link LogEvent} into the
 * {@code MSG:/DETAIL:/HINT:/STRUCTURED:} body (time and pid taken at the call, as WAL-E does) and hands it to SLF4J.
 *
 * <pre>{@code
 * private static final WalELog LOG = WalELog.get(LoggerNames.WORKER_UPLOAD);
 * LOG.info(LogEvent.msg("begin archiving a file").detail("Uploading …").kv("action", "push-wal"));
 * }</pre>
 *
 * <p>Use WAL-E's logger names ({@link LoggerNames}), so that filters operators wrote for WAL-E keep matching.
 */
public final class WalELog {

    /** Name of the marker that turns an ERROR event into a CRITICAL record. */
    public static final String CRITICAL_MARKER_NAME = "CRITICAL";

    /** Put on an ERROR event (from any SLF4J logger) to print it as {@code CRITICAL}. */
    public static final Marker CRITICAL = MarkerFactory.getMarker(CRITICAL_MARKER_NAME);

    private static final long PID = ProcessHandle.current().pid();

    private final Logger logger;
    private final Clock clock;
    private final long pid;

    WalELog(Logger logger, Clock clock, long pid) {
        this.logger = Objects.requireNonNull(logger, "logger");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.pid = pid;
    }

    /** The logger of that name, e.g. {@code wal_e.worker.upload}. */
    public static WalELog get(String name) {
        return new WalELog(LoggerFactory.getLogger(name), Clock.systemUTC(), PID);
    }

    public String name() {
        return logger.getName();
    }

    public boolean isEnabled(LogLevel level) {
        switch (level) {
            case DEBUG:
                return logger.isDebugEnabled();
            case INFO:
                return logger.isInfoEnabled();
            case WARNING:
                return logger.isWarnEnabled();
            case ERROR:
                return logger.isErrorEnabled();
            default:
                return logger.isErrorEnabled(CRITICAL);
        }
    }

    public void debug(LogEvent event) {
        log(LogLevel.DEBUG, event);
    }

    public void info(LogEvent event) {
        log(LogLevel.INFO, event);
    }

    public void warning(LogEvent event) {
        log(LogLevel.WARNING, event);
    }

    public void error(LogEvent event) {
        log(LogLevel.ERROR, event);
    }

    public void critical(LogEvent event) {
        log(LogLevel.CRITICAL, event);
    }

    public void log(LogLevel level, LogEvent event) {
        Objects.requireNonNull(event, "event");
        if (!isEnabled(level)) {
            return; // not even rendered
        }
        String body = event.render(clock.instant(), pid);
        switch (level) {
            case DEBUG:
                logger.debug(body);
                break;
            case INFO:
                logger.info(body);
                break;
            case WARNING:
                logger.warn(body);
                break;
            case ERROR:
                logger.error(body);
                break;
            default:
                logger.error(CRITICAL, body);
                break;
        }
    }
}
