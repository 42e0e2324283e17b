package org.walj.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.walj.logging.LogEvent;
import org.walj.logging.LoggerNames;
import org.walj.logging.WalELog;

/**
 * An object's bytes that survive a broken read: when reading fails, or the body ends before the length its answer
 * announced, the object is opened again at the byte reached, so the reader above never notices and never sees a byte
 * twice. The one resume loop of every backend that streams (S3, Swift) and of backup-fetch's partition reads.
 *
 * <p>Never two versions of an object in one stream: the first answer's version (an ETag) is handed to every later
 * open, which must refuse to answer for another version (HTTP {@code If-Match}), and a later answer that names
 * another version, or announces another length, fails the read with {@link ChangedObjectException}, never retried.
 * Where a backend gives no version, the length is all that can be checked.
 *
 * <p>Bounded by the shared {@link RetryPolicy} with its backoff: at most {@code maxAttempts} reads in a row that bring
 * no new byte, and no new one later than the deadline after the first of them failed; a read that moves on starts the
 * count again, so a long download survives many unrelated drops. Never retried: see {@link #permanent}.
 */
public final class ResumingStream extends InputStream {
    private static final WalELog LOG = WalELog.get(LoggerNames.RETRIES);

    /**
     * One answer: the body, how many bytes it announced ({@code -1}: unknown), the object's version where the backend
     * gives one, and how to drop the body without draining it (a large rest is not read just to reuse a connection).
     */
    public record Body(InputStream in, long remaining, Optional<String> version, Runnable abort) {
        public Body {
            Objects.requireNonNull(in, "in");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(abort, "abort");
        }

        /** A body that is dropped by closing it. */
        public static Body of(InputStream in, long remaining, Optional<String> version) {
            return new Body(in, remaining, version, () -> { });
        }
    }

    /** Opens the object at {@code offset}; {@code version}: empty for the first open, else the one it must be. */
    @FunctionalInterface
    public interface Opener {
        Body open(long offset, Optional<String> version) throws IOException;
    }

    /** The object read was replaced, shortened or deleted since the stream began: not transient, never retried. */
    public static final class ChangedObjectException extends StorageUnavailableException {
        public ChangedObjectException(String message) {
            super(message);
        }
    }

    private final String url;
    private final Opener opener;
    private final RetryPolicy policy;
    private final Optional<String> version;
    private final long end;
    private Body body;
    private long position;
    private boolean ended;
    private long moved;
    private int failedInARow;
    private long firstFailureNanos;
    private int resumes;

    private ResumingStream(String url, Opener opener, RetryPolicy policy, Body first) {
        this.url = url;
        this.opener = opener;
        this.policy = policy;
        this.body = first;
        this.version = first.version();
        this.end = first.remaining();
    }

    /**
     * Opens {@code url}'s object with {@code opener} (whose own failures, a missing object included, are the
     * caller's) and resumes it under {@code policy}. A later open should make one request: this stream's loop is its
     * retry.
     */
    public static ResumingStream open(String url, Opener opener, RetryPolicy policy) throws IOException {
        return new ResumingStream(url, opener, policy, opener.open(0, Optional.empty()));
    }

    /**
     * What is never worth another read: an interrupt, a missing or changed object, and what a backend has already
     * called permanent (a {@link StorageUnavailableException} that is not a {@link TransientStorageException}:
     * refused credentials, a 412 for a replaced version, another stream's spent retries).
     */
    static boolean permanent(IOException e) {
        return e instanceof InterruptedIOException || e instanceof ObjectNotFoundException
                || e instanceof StorageUnavailableException && !(e instanceof TransientStorageException);
    }

    /** Bytes read from storage in all, those read again to reach a resume point included. */
    public long bytesMoved() {
        return moved;
    }

    /** How many times the object was opened again. */
    public int resumes() {
        return resumes;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n;
        do {
            n = read(one, 0, 1);
        } while (n == 0);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        while (true) {
            if (ended || end >= 0 && position >= end) {
                ended = true;
                return -1;
            }
            IOException failure;
            try {
                int n = body.in().read(b, off, end < 0 ? len : (int) Math.min(len, end - position));
                if (n > 0) {
                    position += n;
                    moved += n;
                    failedInARow = 0;
                    return n;
                }
                if (n < 0 && end < 0) {
                    ended = true;
                    return -1;
                }
                failure = n < 0 ? new TransientStorageException("the download of " + url + " ended after "
                        + position + " of " + end + " bytes", null) : null;
            } catch (IOException e) {
                if (permanent(e)) {
                    throw e;
                }
                failure = e;
            }
            if (failure != null) {
                resume(failure);
            }
        }
    }

    /** Opens the object again at {@link #position}, or throws the last failure when the policy is spent. */
    private void resume(IOException first) throws IOException {
        IOException failure = first;
        if (failedInARow == 0) {
            // the deadline counts from this failure: a large object may well take longer than it to download
            firstFailureNanos = System.nanoTime();
        }
        while (true) {
            failedInARow++;
            Duration wait = Duration.ofMillis(ThreadLocalRandom.current().nextLong(
                    policy.backoffCeiling(failedInARow).toMillis() + 1));
            Duration elapsed = Duration.ofNanos(System.nanoTime() - firstFailureNanos);
            abandon();
            if (failedInARow >= policy.maxAttempts() || elapsed.plus(wait).compareTo(policy.deadline()) > 0) {
                throw new StorageUnavailableException("the download of " + url + " failed after " + position
                        + " bytes, " + failedInARow + " reads in a row: " + oneLine(failure), failure);
            }
            LOG.warning(LogEvent.msg("retrying after encountering exception")
                    .detail("Read " + failedInARow + " of " + policy.maxAttempts() + " of " + url + " failed after "
                            + position + " bytes: " + oneLine(failure) + ". Reading on from there in "
                            + wait.toMillis() + " ms.")
                    .hint("Failed reads are retried up to WALJ_RETRY_ATTEMPTS times within "
                            + "WALJ_RETRY_DEADLINE_SECONDS."));
            sleep(wait, failure);
            try {
                body = checked(opener.open(position, version));
                resumes++;
                return;
            } catch (IOException e) {
                if (permanent(e)) {
                    throw e;
                }
                failure = e;
            }
        }
    }

    /** A later answer must be the same version and announce the rest of the same length. */
    private Body checked(Body again) throws ChangedObjectException {
        String changed = null;
        if (version.isPresent() && !version.equals(again.version())) {
            changed = "version " + again.version().orElse("(none)") + " where " + version.get() + " was read";
        } else if (end >= 0 && again.remaining() >= 0 && position + again.remaining() != end) {
            changed = (position + again.remaining()) + " bytes long where " + end + " were announced";
        }
        if (changed == null) {
            return again;
        }
        closeQuietly(again);
        throw new ChangedObjectException(url + " changed while it was being read (" + changed
                + "): the read is not stitched together from two versions");
    }

    private void sleep(Duration wait, IOException failure) throws InterruptedIOException {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException stop = new InterruptedIOException("interrupted while retrying the download of "
                    + url);
            stop.addSuppressed(failure);
            throw stop;
        }
    }

    private void abandon() {
        closeQuietly(body);
    }

    private static void closeQuietly(Body b) {
        try {
            b.abort().run();
            b.in().close();
        } catch (IOException | RuntimeException ignored) {
            // the read already failed: closing it cannot tell more
        }
    }

    @Override
    public void close() throws IOException {
        if (!ended && (end < 0 || position < end)) {
            body.abort().run();
        }
        body.in().close();
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
