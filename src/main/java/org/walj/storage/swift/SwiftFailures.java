package org.walj.storage.swift;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;

import org.walj.storage.Causes;
import org.walj.storage.StorageUnavailableException;
import org.walj.storage.TransientStorageException;

/**
 * Turns what the HTTP client throws and what Swift or keystone answers into the storage contract's exceptions, one
 * line naming the server and the operation. Built from status codes and exception classes only: a URL with a query
 * or a server's answer body could carry what must not be logged.
 */
final class SwiftFailures {
    private SwiftFailures() {
    }

    /** A request to {@code server} (shown as is: an address without user info) that did not get an answer. */
    static IOException network(String server, String what, IOException e) {
        if (e instanceof InterruptedIOException || Thread.currentThread().isInterrupted()) {
            InterruptedIOException stop = new InterruptedIOException("interrupted during the " + what);
            stop.initCause(e);
            return stop;
        }
        UnknownHostException unknown = Causes.find(e, UnknownHostException.class);
        if (unknown != null) {
            return new StorageUnavailableException("cannot resolve " + server + " (unknown host "
                    + unknown.getMessage() + ")", e);
        }
        if (Causes.find(e, ConnectException.class) != null) {
            return new TransientStorageException("cannot connect to " + server + " for the " + what
                    + " (connection refused)", e);
        }
        if (Causes.find(e, HttpTimeoutException.class) != null) {
            return new TransientStorageException("timed out talking to " + server + " during the " + what, e);
        }
        return new TransientStorageException("connection to " + server + " failed during the " + what + ": "
                + Causes.describe(Causes.root(e)), e);
    }

    /**
     * An answer that is not a success. 404 and 401 are handled by the callers first (not found; a token to renew).
     *
     * @param server "Swift at http://host:port" or "keystone at URL"
     */
    static IOException status(String server, String what, int status) {
        String summary = server + " answered HTTP " + status + " to the " + what;
        if (status >= 500 && status != 501 || status == 429 || status == 408 || status == 498) {
            // 498: Swift's ratelimit middleware
            return new TransientStorageException(summary, null);
        }
        if (status == 403) {
            return new StorageUnavailableException(server + " denied access (HTTP 403) for the " + what, null);
        }
        return new StorageUnavailableException(summary, null);
    }
}
