package org.walj.settings;

/** Who reads a setting, and so whether the resident daemon must have the same value as its client. */
public enum Scope {
    /** Read by the Java process for its own work (e.g. backup-push's PostgreSQL connection); not compared. */
    PROCESS,
    /** Read by the launcher script (packaging/wal-j) only: which JVM, which jar, which socket; not compared. */
    LAUNCHER,
    /**
     * Changes what wal-push or wal-fetch do: the daemon opened its archive with its own value, so it serves a client
     * only when the client's value is the same (docs/daemon.md).
     */
    MUST_MATCH_DAEMON
}
