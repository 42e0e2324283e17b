package org.walj;

import java.util.Optional;

/**
 * A failure the operator can understand and fix: shown as WAL-E shows its UserException
 * (MSG, DETAIL, HINT lines, no stack trace) and mapped to exit status 1.
 */
public class UserException extends RuntimeException {
    private final String detail;
    private final String hint;

    public UserException(String message) {
        this(message, null, null, null);
    }

    public UserException(String message, String detail, String hint) {
        this(message, detail, hint, null);
    }

    public UserException(String message, String detail, String hint, Throwable cause) {
        super(message, cause);
        this.detail = detail;
        this.hint = hint;
    }

    public Optional<String> detail() {
        return Optional.ofNullable(detail);
    }

    public Optional<String> hint() {
        return Optional.ofNullable(hint);
    }
}
