package org.walj.cli;

import org.walj.UserException;

/** The exit status wal-fetch uses for failures other than "not in the archive". */
record FailureExit(int status) {
    static final String VARIABLE = "WALJ_FETCH_ERROR_EXIT_CODE";

    static FailureExit from(Environment env) {
        String value = env.get(VARIABLE).orElse(null);
        if (value == null) {
            return new FailureExit(ExitStatus.FETCH_FAILED);
        }
        try {
            int status = Integer.parseInt(value.trim());
            if (status >= 1 && status <= 255) {
                return new FailureExit(status);
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UserException(VARIABLE + " must be a number from 1 to 255, not \"" + value + "\"");
    }

    /** Carries the cause to the error reporter together with the status it must end with. */
    static final class Failed extends RuntimeException {
        private final int status;

        Failed(int status, Exception cause) {
            super(cause.getMessage(), cause);
            this.status = status;
        }

        int status() {
            return status;
        }
    }
}
