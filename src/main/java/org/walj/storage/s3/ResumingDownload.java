package org.walj.storage.s3;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

import org.walj.logging.LogEvent;
import org.walj.logging.LoggerNames;
import org.walj.logging.WalELog;
import org.walj.storage.ObjectNotFoundException;
import org.walj.storage.StorageUnavailableException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * An object's body that survives a dropped connection: when reading fails (or the body ends before its announced
 * length) the rest is requested again from the byte reached, with {@code If-Match} on the first answer's ETag so a
 * replaced object is never stitched onto the old one. At most the retry policy's attempts in all.
 */
final class ResumingDownload extends InputStream {
    private static final WalELog LOG = WalELog.get(LoggerNames.RETRIES);

    /** Where to continue: the offset, and the ETag the continuation must match (null for the first request). */
    record Position(long offset, String eTag) {
    }

    @FunctionalInterface
    interface Opener {
        ResponseInputStream<GetObjectResponse> open(Position position) throws IOException;
    }

    private final String url;
    private final Opener opener;
    private final int maxAttempts;
    private final long length;
    private final String eTag;
    private ResponseInputStream<GetObjectResponse> current;
    private long position;
    private int attempts = 1;

    private ResumingDownload(String url, Opener opener, int maxAttempts, ResponseInputStream<GetObjectResponse> first) {
        this.url = url;
        this.opener = opener;
        this.maxAttempts = maxAttempts;
        this.current = first;
        Long announced = first.response().contentLength();
        this.length = announced == null ? -1 : announced;
        this.eTag = first.response().eTag();
    }

    static InputStream open(S3Storage storage, String key, String url, Opener opener) throws IOException {
        return new ResumingDownload(url, opener, storage.retrier().policy().maxAttempts(),
                opener.open(new Position(0, null)));
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (true) {
            try {
                int n = current.read(b, off, len);
                if (n < 0 && length >= 0 && position < length) {
                    throw new EOFException("the body ended after " + position + " of " + length + " bytes");
                }
                if (n > 0) {
                    position += n;
                }
                return n;
            } catch (ObjectNotFoundException e) {
                throw e;
            } catch (IOException e) {
                resume(e);
            }
        }
    }

    private void resume(IOException failure) throws IOException {
        closeQuietly();
        if (attempts >= maxAttempts || eTag == null) {
            throw new StorageUnavailableException("download of " + url + " failed after " + position + " bytes: "
                    + failure.getMessage(), failure);
        }
        attempts++;
        LOG.warning(LogEvent.msg("retrying after encountering exception")
                .detail("Attempt " + (attempts - 1) + " of " + maxAttempts + " of the download of " + url
                        + " failed after " + position + " bytes: " + failure.getMessage()
                        + ". Continuing from there."));
        current = opener.open(new Position(position, eTag));
    }

    private void closeQuietly() {
        try {
            current.abort();
            current.close();
        } catch (IOException | RuntimeException ignored) {
            // the connection is already broken
        }
    }

    @Override
    public void close() throws IOException {
        if (length >= 0 && position < length) {
            // do not drain the rest of a large body just to reuse the connection
            current.abort();
        }
        current.close();
    }
}
