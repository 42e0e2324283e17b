package org.walj.storage;

/**
 * A failure worth retrying: throttling, a 5xx answer, a reset connection, a timeout. What {@link Retrier} retries;
 * once retries are exhausted it reaches the caller as the {@link StorageUnavailableException} it is.
 */
public class TransientStorageException extends StorageUnavailableException {
    public TransientStorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
