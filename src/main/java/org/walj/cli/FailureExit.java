package org.walj.cli;

import org.walj.UserException;
import org.walj.settings.Settings;

/** The exit status wal-fetch uses for failures other than "not in the archive". */
record FailureExit(int status) {
    static final String VARIABLE = "WALJ_FETCH_ERROR_EXIT_CODE";

    /**
     * The configured status. A value that is set but is not a whole number from 1 to 255 (0, 256, -1, "abc", the
     * empty string) is the operator's error, thrown as {@link Failed} with the default status: falling back to
     * "not found" (exit 1) would let PostgreSQL end recovery and promote with WAL missing.
     */
    static FailureExit from(Settings settings) {
        try {
            // the setting keeps an empty value: here it is a mistake to report, not "unset"
            return new FailureExit(settings.value(CliVariables.FETCH_ERROR_EXIT_CODE));
        } catch (UserException bad) {
            throw new Failed(ExitStatus.FETCH_FAILED, new UserException(bad.getMessage(),
                    "wal-fetch stops with exit " + ExitStatus.FETCH_FAILED + " whatever the segment, so that "
                            + "PostgreSQL stops recovery instead of taking the failure for the end of the archive.",
                    "Unset it (the default is " + ExitStatus.FETCH_FAILED + ") or set it to 1-255, then start the "
                            + "server again; recovery resumes where it stopped."));
        }
    }

    /** Carries the cause to the error reporter together with the status it must end with. */
    static final class Failed extends RuntimeException {
        private final int status;

        Failed(int status, Throwable cause) {
            super(cause.getMessage(), cause);
            this.status = status;
        }

        int status() {
            return status;
        }
    }
}
