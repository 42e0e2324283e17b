package org.walj.postgres;

import java.io.IOException;

/** The server could not be reached or refused the session; the message is one line and never holds a password. */
public final class PostgresUnavailableException extends IOException {
    public PostgresUnavailableException(String message) {
        super(message);
    }
}
