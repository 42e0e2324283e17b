package org.walj.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import org.walj.logging.LogEvent;
import org.walj.logging.LoggerNames;
import org.walj.logging.WalELog;
import org.walj.pipeline.ForwardingInputStream;
import org.walj.storage.ObjectNotFoundException;
import org.walj.storage.RetryPolicy;
import org.walj.storage.Storage;

/**
 * A partition's stored bytes, read again from where they broke off when the read fails: the object is opened anew
 * and the bytes already handed on are skipped, so the decoder and the extractor above never notice and nothing is
 * written twice. Bounded by the shared {@link RetryPolicy} (WALJ_RETRY_ATTEMPTS, WALJ_RETRY_DEADLINE_SECONDS), with
 * its backoff: at most {@code maxAttempts} reads of the object in all, and no new one later than the deadline after
 * the read failed. Only failures of the storage read are retried: a corrupt object fails in the decoder above this
 * stream, and a read that ends early (an object shorter than it was) ends here and is reported there as truncated,
 * so neither is ever retried.
 */
final class ResumingRead extends ForwardingInputStream {
    private static final WalELog LOG = WalELog.get(LoggerNames.RETRIES);

    private final Storage storage;
    private final String key;
    private final RetryPolicy policy;
    private final LongAdder counted;
    private long position;
    private int attempt = 1;

    /** {@code counted}: every byte read from storage, re-read ones too (the bytes a fetch moved). */
    ResumingRead(Storage storage, String key, RetryPolicy policy, LongAdder counted) throws IOException {
        super(storage.get(key));
        this.storage = storage;
        this.key = key;
        this.policy = policy;
        this.counted = counted;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        while (true) {
            try {
                int n = in.read(b, off, len);
                if (n > 0) {
                    position += n;
                    counted.add(n);
                }
                return n;
            } catch (InterruptedIOException | ObjectNotFoundException e) {
                throw e;
            } catch (IOException e) {
                resume(e);
            }
        }
    }

    /** Opens the object again at {@link #position}, or throws the last failure when the policy is spent. */
    private void resume(IOException first) throws IOException {
        IOException failure = first;
        // the deadline counts from this failure: a partition may well take longer than it to download
        long started = System.nanoTime();
        while (true) {
            Duration wait = Duration.ofMillis(ThreadLocalRandom.current().nextLong(
                    policy.backoffCeiling(attempt).toMillis() + 1));
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            if (attempt >= policy.maxAttempts() || elapsed.plus(wait).compareTo(policy.deadline()) > 0) {
                throw failure;
            }
            LOG.warning(LogEvent.msg("retrying after encountering exception")
                    .detail("Read " + attempt + " of " + policy.maxAttempts() + " of " + storage.url(key)
                            + " failed after " + position + " bytes: " + oneLine(failure) + ". Reading on from there in "
                            + wait.toMillis() + " ms.")
                    .hint("Failed reads of a partition are retried up to WALJ_RETRY_ATTEMPTS times within "
                            + "WALJ_RETRY_DEADLINE_SECONDS."));
            attempt++;
            closeQuietly(in);
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                InterruptedIOException stop = new InterruptedIOException("interrupted while retrying "
                        + storage.url(key));
                stop.addSuppressed(failure);
                throw stop;
            }
            try {
                in = storage.get(key);
                skipExactly(in, position);
                return;
            } catch (InterruptedIOException | ObjectNotFoundException | ChangedObjectException e) {
                throw e;
            } catch (IOException e) {
                failure = e;
            }
        }
    }

    /** The object is not what was read before: not a transient failure, never retried. */
    static final class ChangedObjectException extends IOException {
        ChangedObjectException(String message) {
            super(message);
        }
    }

    /** Reads and drops {@code n} bytes (not counted again as progress; counted as moved). */
    private void skipExactly(InputStream again, long n) throws IOException {
        byte[] drop = new byte[64 * 1024];
        long left = n;
        while (left > 0) {
            int r = again.read(drop, 0, (int) Math.min(drop.length, left));
            if (r < 0) {
                throw new ChangedObjectException(storage.url(key) + " is shorter than the " + n
                        + " bytes read before");
            }
            left -= r;
            counted.add(r);
        }
    }

    private static void closeQuietly(InputStream s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // the stream already failed; its close cannot tell more
        }
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
