package org.walj.logging;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * A second destination for the records logged by one thread and the threads it starts: the resident daemon routes
 * each request's records to the client that asked, so PostgreSQL's log shows them as if wal-j had run in-process.
 * Records still go to the process's own stderr as well.
 *
 * <p>Inherited by threads created while the route is open (a wal-push's parallel uploads); once the request ends
 * the route is closed and later records from such threads reach stderr only.
 */
public final class LogRoute implements AutoCloseable {
    private static final InheritableThreadLocal<LogRoute> CURRENT = new InheritableThreadLocal<>();

    private final OutputStream sink;
    private volatile LogLevel threshold = LogLevel.INFO;
    private volatile boolean closed;
    private boolean failed;

    private LogRoute(OutputStream sink) {
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** Routes this thread's records to {@code sink} until {@link #close()}. */
    public static LogRoute open(OutputStream sink) {
        LogRoute route = new LogRoute(sink);
        CURRENT.set(route);
        return route;
    }

    /** The route of the calling thread, if any. */
    public static LogRoute current() {
        LogRoute route = CURRENT.get();
        return route == null || route.closed ? null : route;
    }

    /** The level below which records are not routed ({@code --terse} of one request), without touching stderr's. */
    public void setThreshold(LogLevel threshold) {
        this.threshold = Objects.requireNonNull(threshold, "threshold");
    }

    LogLevel threshold() {
        return threshold;
    }

    /** One rendered record; a client that went away only stops receiving, the work goes on. */
    synchronized void write(byte[] record) {
        if (closed || failed) {
            return;
        }
        try {
            sink.write(record);
            sink.flush();
        } catch (IOException e) {
            failed = true;
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (CURRENT.get() == this) {
            CURRENT.remove();
        }
    }
}
