package org.walj.storage.azure;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobStorageException;
import org.walj.storage.Causes;
import org.walj.storage.StorageUnavailableException;
import org.walj.storage.TransientStorageException;

/**
 * Turns the SDK's exceptions into the storage contract's, one line naming the account, container or blob. Built
 * from status codes, Azure error codes and exception class names only: the SDK's own messages and the request URL can
 * carry a SAS token's signature.
 */
final class AzureFailures {
    private static final Set<BlobErrorCode> CREDENTIAL_CODES = Set.of(BlobErrorCode.AUTHENTICATION_FAILED,
            BlobErrorCode.INVALID_AUTHENTICATION_INFO,
            BlobErrorCode.INSUFFICIENT_ACCOUNT_PERMISSIONS);
    private static final Set<BlobErrorCode> TRANSIENT_CODES = Set.of(BlobErrorCode.SERVER_BUSY,
            BlobErrorCode.OPERATION_TIMED_OUT, BlobErrorCode.INTERNAL_ERROR);

    private final String account;
    private final String container;
    private final String endpoint;

    AzureFailures(String account, String container, String endpoint) {
        this.account = account;
        this.container = container;
        this.endpoint = endpoint;
    }

    static boolean blobNotFound(Throwable e) {
        return e instanceof BlobStorageException b && b.getStatusCode() == 404
                && !BlobErrorCode.CONTAINER_NOT_FOUND.equals(b.getErrorCode());
    }

    static boolean conditionFailed(Throwable e) {
        return e instanceof BlobStorageException b && b.getStatusCode() == 412;
    }

    /** What to throw for a failed request about {@code what} ("upload of wabs://c/p/wal_005/X.lzo"). */
    IOException translate(String what, RuntimeException e) {
        if (e instanceof BlobStorageException b) {
            return service(what, b);
        }
        Throwable cause = Causes.root(e);
        // the JDK's HTTP client wraps a refused connection so that the innermost cause is a ClosedChannelException
        Throwable connect = Causes.find(e, ConnectException.class);
        Throwable unknownHost = Causes.find(e, UnknownHostException.class);
        cause = unknownHost != null ? unknownHost : connect != null ? connect : cause;
        if (cause instanceof UnknownHostException) {
            return new StorageUnavailableException("cannot resolve the Azure Blob Storage endpoint " + endpoint
                    + " (unknown host " + cause.getMessage() + ")", e);
        }
        if (cause instanceof ConnectException) {
            return new TransientStorageException("cannot connect to the Azure Blob Storage endpoint " + endpoint
                    + " for the " + what + " (" + (cause.getMessage() == null || cause.getMessage().isBlank()
                    ? "connection refused" : cause.getMessage()) + ")", e);
        }
        if (cause instanceof SocketTimeoutException || cause instanceof HttpTimeoutException
                || cause instanceof TimeoutException) {
            return new TransientStorageException("timed out talking to the Azure Blob Storage endpoint " + endpoint
                    + " during the " + what, e);
        }
        if (cause instanceof InterruptedException || cause instanceof InterruptedIOException
                || Thread.currentThread().isInterrupted()) {
            return new InterruptedIOException("interrupted during the " + what);
        }
        if (cause instanceof IOException) {
            return new TransientStorageException("connection to the Azure Blob Storage endpoint " + endpoint
                    + " failed during the " + what + ": " + Causes.describe(cause), e);
        }
        return new StorageUnavailableException("Azure Blob Storage request failed: the " + what + ": "
                + e.getClass().getSimpleName(), e);
    }

    private IOException service(String what, BlobStorageException e) {
        int status = e.getStatusCode();
        BlobErrorCode code = e.getErrorCode();
        String shownCode = code == null ? "HTTP " + status : code + ", HTTP " + status;
        if (BlobErrorCode.CONTAINER_NOT_FOUND.equals(code)) {
            return new StorageUnavailableException("container " + container + " does not exist in storage account "
                    + account + " at " + endpoint, e);
        }
        if (code != null && CREDENTIAL_CODES.contains(code) || status == 401) {
            return new StorageUnavailableException("Azure Blob Storage at " + endpoint
                    + " rejected the credentials for account " + account + " (" + shownCode + ")", e);
        }
        if (status == 403) {
            return new StorageUnavailableException("access to container " + container + " of account " + account
                    + " denied for the " + what + " (" + shownCode + ")", e);
        }
        String summary = "Azure Blob Storage at " + endpoint + " answered " + shownCode + " to the " + what;
        if (status >= 500 && status != 501 || status == 429 || status == 408
                || code != null && TRANSIENT_CODES.contains(code)) {
            return new TransientStorageException(summary, e);
        }
        return new StorageUnavailableException(summary, e);
    }
}
