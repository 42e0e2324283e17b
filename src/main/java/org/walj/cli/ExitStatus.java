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

    private ExitStatus() {
    }
}
