package org.walj.logging;

import ch.qos.logback.classic.Level;

/**
 * WAL-E's (that is, Python's) log levels, with the names printed in the level column.
 *
 * <p>Logback has no CRITICAL: a CRITICAL record is an ERROR event carrying the {@link WalELog#CRITICAL} marker.
 */
public enum LogLevel {
    DEBUG(Level.DEBUG),
    INFO(Level.INFO),
    WARNING(Level.WARN),
    ERROR(Level.ERROR),
    CRITICAL(Level.ERROR);

    private final Level logback;

    LogLevel(Level logback) {
        this.logback = logback;
    }

    /** The Logback level events of this level are logged at. */
    public Level logbackLevel() {
        return logback;
    }

    /** The name in the level column, e.g. {@code WARNING}. */
    public String walEName() {
        return name();
    }

    /** The level of a Logback event: WARN is WARNING, ERROR with the CRITICAL marker is CRITICAL, TRACE is DEBUG. */
    static LogLevel of(Level level, boolean criticalMarker) {
        switch (level.toInt()) {
            case Level.ERROR_INT:
                return criticalMarker ? CRITICAL : ERROR;
            case Level.WARN_INT:
                return WARNING;
            case Level.INFO_INT:
                return INFO;
            default:
                return DEBUG;
        }
    }
}
