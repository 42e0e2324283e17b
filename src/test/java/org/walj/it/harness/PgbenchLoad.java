package org.walj.it.harness;

import org.walj.testsupport.Orphans;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * pgbench as a checked background job, for the "under load" integration tests. A load run in a bare thread fails
 * unseen: a pgbench that dies at once leaves a quiet cluster and the test still passes. This one fails the test
 * when pgbench exits non-zero or processed no transaction ({@link #finish}), and proves the load overlapped the
 * operation it was meant to disturb ({@link #awaitProgress} before it starts, {@link #assertOverlapped} after).
 *
 * <p>pgbench runs with {@code -P 1}, so its stderr has a {@code progress:} line each second once it writes.
 */
public final class PgbenchLoad implements AutoCloseable {
    private static final Pattern PROCESSED = Pattern.compile("number of transactions actually processed: (\\d+)");
    private static final Pattern PROGRESS = Pattern.compile("(?m)^progress: ");

    private final String name;
    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final Duration timeout;
    private final AtomicLong endedAt = new AtomicLong(Long.MAX_VALUE);

    private PgbenchLoad(String name, Process process, Path stdout, Path stderr, Duration timeout) {
        this.name = name;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.timeout = timeout;
        process.onExit().thenRun(() -> endedAt.set(System.nanoTime()));
    }

    static PgbenchLoad start(String name, Exec pgbench, Path stdout, Path stderr, Duration timeout) {
        Process p = pgbench.start(stdout, stderr);
        Orphans.child(p.toHandle());
        return new PgbenchLoad(name, p, stdout, stderr, timeout);
    }

    /** Waits until pgbench reports progress (it connected and writes); fails if it exits or stays silent. */
    public PgbenchLoad awaitProgress(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (PROGRESS.matcher(read(stderr)).find()) {
                return this;
            }
            if (!process.isAlive()) {
                throw new AssertionError("the load " + name + " ended before it made progress\n" + describe());
            }
            PgCluster.sleep(100);
        }
        throw new AssertionError("the load " + name + " made no progress within " + limit.toSeconds() + " s\n"
                + describe());
    }

    /** The value to pass to {@link #assertOverlapped}: call it right before the operation under load starts. */
    public long operationStarts() {
        if (!process.isAlive()) {
            throw new AssertionError("the load " + name + " had ended before the operation started\n" + describe());
        }
        return System.nanoTime();
    }

    /**
     * Fails unless pgbench kept running at least {@code minimum} after the operation started at
     * {@code operationStart} (from {@link #operationStarts}), or still runs now.
     */
    public void assertOverlapped(long operationStart, Duration minimum, String operation) {
        long ended = endedAt.get();
        if (ended == Long.MAX_VALUE && process.isAlive()) {
            return;
        }
        process.onExit().join();
        long overlap = endedAt.get() - operationStart;
        if (overlap < minimum.toNanos()) {
            throw new AssertionError("the load " + name + " ran only " + TimeUnit.NANOSECONDS.toMillis(overlap)
                    + " ms of " + operation + " (wanted " + minimum.toMillis() + " ms)\n" + describe());
        }
    }

    /** Waits for pgbench to end; fails unless it exited 0 having processed at least one transaction. */
    public long finish() {
        boolean ended;
        try {
            ended = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for the load " + name, e);
        }
        if (!ended) {
            close();
            throw new AssertionError("the load " + name + " did not end within " + timeout.toSeconds() + " s\n"
                    + describe());
        }
        if (process.exitValue() != 0) {
            throw new AssertionError("the load " + name + " failed\n" + describe());
        }
        Matcher m = PROCESSED.matcher(read(stdout));
        long processed = m.find() ? Long.parseLong(m.group(1)) : 0;
        if (processed < 1) {
            throw new AssertionError("the load " + name + " processed no transaction\n" + describe());
        }
        return processed;
    }

    /** Stops pgbench if it still runs (a test that failed midway). */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private String describe() {
        String exit = process.isAlive() ? "still running" : "exit code " + process.exitValue();
        return "pgbench " + name + ": " + exit + "\nstdout:\n" + ProcessResult.tail(read(stdout), 20)
                + "\nstderr:\n" + ProcessResult.tail(read(stderr), 20);
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> progressArguments() {
        return List.of("-P", "1");
    }
}
