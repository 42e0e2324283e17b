package org.walj.storage;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.function.LongSupplier;

import org.walj.logging.LogEvent;
import org.walj.logging.LoggerNames;
import org.walj.logging.WalELog;

/**
 * Runs one storage request under a {@link RetryPolicy}: transient failures (as the backend's classifier says:
 * throttling, 5xx, connection resets, timeouts) are retried after a jittered exponential backoff, each retry logged at
 * WARNING as WAL-E does ("retrying after encountering exception"), naming the object and the attempt. Messages come
 * from the backend's exceptions, which never carry credentials.
 */
public final class Retrier {
    private static final WalELog LOG = WalELog.get(LoggerNames.RETRIES);

    private final RetryPolicy policy;
    private final Predicate<IOException> isTransient;
    private final LongSupplier nanoClock;
    private final Sleeper sleeper;

    /** A request that may be attempted more than once. */
    @FunctionalInterface
    public interface Request<T> {
        T attempt() throws IOException;
    }

    /** Waits between attempts; replaceable in tests. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    /** Retries {@link TransientStorageException}s only. */
    public Retrier(RetryPolicy policy) {
        this(policy, e -> e instanceof TransientStorageException, System::nanoTime, d -> Thread.sleep(d.toMillis()));
    }

    public Retrier(RetryPolicy policy, Predicate<IOException> isTransient, LongSupplier nanoClock, Sleeper sleeper) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.isTransient = Objects.requireNonNull(isTransient, "isTransient");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    public RetryPolicy policy() {
        return policy;
    }

    /**
     * Attempts {@code request} until it succeeds, fails permanently, or the policy is exhausted; then the last
     * failure is thrown.
     *
     * @param what the object's address and the operation, for the log ("upload of s3://b/p/wal_005/X.lzo")
     */
    public <T> T run(String what, Request<T> request) throws IOException {
        long start = nanoClock.getAsLong();
        for (int attempt = 1; ; attempt++) {
            try {
                return request.attempt();
            } catch (IOException e) {
                if (!isTransient.test(e) || attempt >= policy.maxAttempts()) {
                    throw e;
                }
                Duration wait = jitter(policy.backoffCeiling(attempt));
                Duration elapsed = Duration.ofNanos(nanoClock.getAsLong() - start);
                if (elapsed.plus(wait).compareTo(policy.deadline()) > 0) {
                    throw e;
                }
                LOG.warning(LogEvent.msg("retrying after encountering exception")
                        .detail("Attempt " + attempt + " of " + policy.maxAttempts() + " of the " + what
                                + " failed: " + oneLine(e) + ". Retrying in " + wait.toMillis() + " ms.")
                        .hint("Transient storage failures are retried up to WALJ_RETRY_ATTEMPTS times within "
                                + "WALJ_RETRY_DEADLINE_SECONDS."));
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    InterruptedIOException stop = new InterruptedIOException("interrupted while retrying the " + what);
                    stop.addSuppressed(e);
                    throw stop;
                }
            }
        }
    }

    private static Duration jitter(Duration ceiling) {
        long max = ceiling.toMillis();
        return Duration.ofMillis(max <= 0 ? 0 : ThreadLocalRandom.current().nextLong(max + 1));
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
