package org.walj;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thread factories for wal-j's worker pools (not the resident daemon, which is org.walj.resident). The threads are
 * JVM daemon threads: a command that has finished (or failed) exits without waiting for a pool someone forgot to
 * shut down.
 */
public final class WorkerThreads {
    private WorkerThreads() {
    }

    /** Every thread named {@code name}. */
    public static ThreadFactory named(String name) {
        return r -> daemon(new Thread(r, name));
    }

    /** Threads named {@code prefix} followed by 1, 2, … in the order this factory makes them. */
    public static ThreadFactory numbered(String prefix) {
        return numbered(prefix, true);
    }

    /**
     * As {@link #numbered(String)}; with {@code inheritThreadLocals} false a thread does not take over the inheritable
     * thread-locals (such as a daemon request's log route) of whichever thread happened to make it.
     */
    public static ThreadFactory numbered(String prefix, boolean inheritThreadLocals) {
        AtomicInteger n = new AtomicInteger();
        return r -> daemon(new Thread(null, r, prefix + n.incrementAndGet(), 0, inheritThreadLocals));
    }

    private static Thread daemon(Thread t) {
        t.setDaemon(true);
        return t;
    }
}
