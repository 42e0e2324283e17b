package org.walj.storage;

import java.io.IOException;

/**
 * The storage could not be reached or refused to work (missing root directory, network down, permission denied),
 * after any retries. Never to be confused with {@link ObjectNotFoundException}: a wal-fetch that mistakes one for
 * the other ends recovery early.
 */
public class StorageUnavailableException extends IOException {
    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public StorageUnavailableException(String message) {
        super(message);
    }
}
