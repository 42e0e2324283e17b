package org.walj.storage.s3;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Set;

import org.walj.storage.Causes;
import org.walj.storage.StorageUnavailableException;
import org.walj.storage.TransientStorageException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Turns the SDK's exceptions into the storage contract's: one line naming the bucket or endpoint and what went wrong.
 * Messages are built from status codes, S3 error codes and exception class names, never from the request, so no
 * credential can end up in them.
 */
final class S3Failures {
    private static final Set<String> TRANSIENT_CODES = Set.of("SlowDown", "Throttling", "ThrottlingException",
            "RequestTimeout", "RequestTimeTooSkewed", "InternalError", "ServiceUnavailable", "RequestLimitExceeded");
    private static final Set<String> CREDENTIAL_CODES = Set.of("InvalidAccessKeyId", "SignatureDoesNotMatch",
            "InvalidToken", "ExpiredToken", "TokenRefreshRequired", "AuthorizationHeaderMalformed");

    private final String bucket;
    private final String endpoint;

    S3Failures(String bucket, String endpoint) {
        this.bucket = bucket;
        this.endpoint = endpoint;
    }

    /**
     * The SDK's message when a credentials provider failed before any request was sent ("Failed to load credentials
     * from IMDS.", "Unable to load credentials from any of the providers ..."), else null. These messages name
     * providers, never keys.
     */
    private static String credentialFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage();
            if (t instanceof SdkClientException && m != null
                    && (m.startsWith("Failed to load credentials") || m.startsWith("Unable to load credentials"))) {
                int end = m.indexOf('\n');
                String line = end < 0 ? m : m.substring(0, end);
                return line.length() <= 200 ? line : line.substring(0, 200) + "…";
            }
        }
        return null;
    }

    /** What to throw for a failed request about {@code what} (an s3:// address, or the bucket). */
    IOException translate(String what, SdkException e) {
        if (e instanceof S3Exception s3) {
            return service(what, s3);
        }
        Throwable cause = rootCause(e);
        String credentials = credentialFailure(e);
        if (credentials != null) {
            // the provider's failure (an unreachable metadata service, say) must not be named as the S3 endpoint's
            return new TransientStorageException("could not load AWS credentials for bucket " + bucket + " ("
                    + credentials + ")", e);
        }
        if (cause instanceof UnknownHostException) {
            return new StorageUnavailableException("cannot resolve the S3 endpoint " + endpoint + " for bucket "
                    + bucket + " (unknown host " + cause.getMessage() + ")", e);
        }
        if (cause instanceof ConnectException) {
            return new TransientStorageException("cannot connect to the S3 endpoint " + endpoint + " for bucket "
                    + bucket + " (" + cause.getMessage() + ")", e);
        }
        if (e instanceof ApiCallAttemptTimeoutException || cause instanceof SocketTimeoutException) {
            return new TransientStorageException("timed out talking to the S3 endpoint " + endpoint + " about "
                    + what, e);
        }
        if (cause instanceof InterruptedIOException || Thread.currentThread().isInterrupted()) {
            return new InterruptedIOException("interrupted while talking to S3 about " + what);
        }
        if (cause instanceof IOException || cause instanceof SocketException) {
            return new TransientStorageException("connection to the S3 endpoint " + endpoint + " failed during "
                    + what + ": " + describe(cause), e);
        }
        if (e instanceof SdkClientException && e.getMessage() != null
                && e.getMessage().startsWith("Unable to load credentials")) {
            return new StorageUnavailableException("no S3 credentials found for bucket " + bucket
                    + ": set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or use --aws-instance-profile", e);
        }
        return new StorageUnavailableException("S3 request about " + what + " failed: " + describe(e), e);
    }

    private IOException service(String what, S3Exception e) {
        int status = e.statusCode();
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        if ("NoSuchBucket".equals(code)) {
            return new StorageUnavailableException("bucket " + bucket + " does not exist at " + endpoint, e);
        }
        if (CREDENTIAL_CODES.contains(code)) {
            return new StorageUnavailableException("S3 at " + endpoint + " rejected the credentials for bucket "
                    + bucket + " (" + code + ")", e);
        }
        if (status == 403) {
            return new StorageUnavailableException("access to bucket " + bucket + " at " + endpoint
                    + " denied for " + what + " (" + (code == null ? "HTTP 403" : code) + ")", e);
        }
        if (status == 301 || "PermanentRedirect".equals(code) || "AuthorizationHeaderMalformed".equals(code)) {
            return new StorageUnavailableException("bucket " + bucket + " is in another region than the one used ("
                    + (code == null ? "HTTP " + status : code) + "); set AWS_REGION to the bucket's region", e);
        }
        String summary = "S3 at " + endpoint + " answered HTTP " + status + (code == null ? "" : " " + code)
                + " to " + what;
        if ((status >= 500 && status != 501) || status == 429 || TRANSIENT_CODES.contains(code)) {
            return new TransientStorageException(summary, e);
        }
        return new StorageUnavailableException(summary, e);
    }

    static Throwable rootCause(Throwable e) {
        return Causes.root(e);
    }

    private static String describe(Throwable e) {
        return Causes.describe(e);
    }
}
