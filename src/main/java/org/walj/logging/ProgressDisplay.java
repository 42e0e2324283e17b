package org.walj.logging;

import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.walj.WorkerThreads;

/**
 * Where progress goes: nowhere ({@link #off()}, the default everywhere logs are read by programs), or one line on
 * stderr shared with the log records ({@link #onStderr()}), redrawn at most four times a second. The command line
 * picks one with {@link #choose}; the use cases {@link #start} one {@link Progress} per transfer.
 */
public final class ProgressDisplay {
    /** At most four drawings a second: readable, and no cost worth measuring. */
    static final long INTERVAL_NANOS = 250_000_000L;
    /** The rate is that of the last five seconds. */
    static final long WINDOW_NANOS = 5_000_000_000L;

    private static final ProgressDisplay OFF = new ProgressDisplay(null, System::nanoTime, false);

    private final ConsoleLine console;
    private final LongSupplier nanoClock;
    private final boolean ticker;

    private ProgressDisplay(ConsoleLine console, LongSupplier nanoClock, boolean ticker) {
        this.console = console;
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.ticker = ticker;
    }

    public static ProgressDisplay off() {
        return OFF;
    }

    /** A line on stderr, wiped before each log record and drawn again after it. */
    public static ProgressDisplay onStderr() {
        return new ProgressDisplay(LogSetup.console(), System::nanoTime, true);
    }

    /** For tests: a console and a clock of the caller's, redrawn only when bytes arrive. */
    static ProgressDisplay on(ConsoleLine console, LongSupplier nanoClock) {
        return new ProgressDisplay(Objects.requireNonNull(console, "console"), nanoClock, false);
    }

    /**
     * {@code WALJ_PROGRESS}: {@code never}; {@code always}; {@code auto} when stderr is a terminal and INFO records
     * are logged (with {@code --terse} the operator asked for quiet).
     */
    public static ProgressDisplay choose(ProgressMode mode) {
        return choose(mode, Terminal.stderrIsTerminal(), LogSetup.level().compareTo(LogLevel.INFO) <= 0);
    }

    static ProgressDisplay choose(ProgressMode mode, boolean stderrIsTerminal, boolean infoLogged) {
        return switch (mode) {
            case NEVER -> off();
            case ALWAYS -> onStderr();
            case AUTO -> stderrIsTerminal && infoLogged ? onStderr() : off();
        };
    }

    public boolean enabled() {
        return console != null;
    }

    /** Starts showing {@code label} and the bytes done (of {@code totalBytes}, when known) until it is closed. */
    public Progress start(String label, OptionalLong totalBytes) {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(totalBytes, "totalBytes");
        if (console == null) {
            return Progress.NONE;
        }
        if (!ticker) {
            return new ProgressLine(console, label, totalBytes, nanoClock, INTERVAL_NANOS, WINDOW_NANOS, () -> { });
        }
        ScheduledExecutorService tick = Executors.newSingleThreadScheduledExecutor(
                WorkerThreads.named("walj-progress"));
        // a signal (Ctrl-C) ends the JVM without unwinding: the hook wipes the line, so the shell's prompt does not
        // follow a stale progress text
        AtomicReference<Thread> hook = new AtomicReference<>();
        ProgressLine line = new ProgressLine(console, label, totalBytes, nanoClock, INTERVAL_NANOS, WINDOW_NANOS,
                () -> stop(tick, hook.get()));
        hook.set(new Thread(line::close, "walj-progress-wipe"));
        Runtime.getRuntime().addShutdownHook(hook.get());
        tick.scheduleAtFixedRate(line::refresh, INTERVAL_NANOS, INTERVAL_NANOS, TimeUnit.NANOSECONDS);
        return line;
    }

    private static void stop(ScheduledExecutorService tick, Thread hook) {
        if (hook != null && Thread.currentThread() != hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs (or ran) anyway; closing twice is harmless
            }
        }
        tick.shutdownNow();
        try {
            tick.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
