package org.walj.cli;

/** Every exit status wal-j uses, in one table (documented in README.md). */
public final class ExitStatus {
    /** Success; for wal-fetch: the file was restored. */
    public static final int OK = 0;
    /**
     * An error the operator can fix (bad prefix, missing file, storage refused…), as WAL-E's UserException.
     * For wal-fetch: the file is not in the archive, PostgreSQL's normal end-of-archive signal.
     */
    public static final int ERROR = 1;
    /** Command-line usage error, or an unexpected internal error (WAL-E uses 2 for both). */
    public static final int USAGE = 2;
    /**
     * wal-fetch failed for a reason other than "not in the archive" (unreachable storage, corrupt object, …).
     * PostgreSQL treats an exit status above 125 as fatal and stops recovery instead of taking the failure as the
     * end of the archive and promoting with data missing. Overridable with WALJ_FETCH_ERROR_EXIT_CODE.
     */
    public static final int FETCH_FAILED = 200;

    /**
     * The launcher runs wal-fetch as a child (not exec) and asks for "not in the archive" as a private status that it
     * maps back to 1, so that a 1 from a JVM that never ran wal-j reads as a failure, not as the end of the archive.
     */
    static final String NOT_FOUND_PROPERTY = "walj.fetch.not-found-status";

    private ExitStatus() {
    }

    /** wal-fetch's "not in the archive": 1, or the launcher's private status (1 to 125, else 1). */
    static int fetchNotFound() {
        int status = Integer.getInteger(NOT_FOUND_PROPERTY, ERROR);
        return status >= 1 && status <= 125 ? status : ERROR;
    }
}
