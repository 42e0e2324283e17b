package org.walj.logging;

import java.io.PrintStream;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusManager;

/**
 * Logging set-up, in code: Logback's XML configuration costs a tenth of a second or more at start-up, which every
 * {@code archive_command} run would pay.
 *
 * <p>Logback finds {@link WalJLogbackConfigurator} through {@code META-INF/services} when SLF4J first initialises,
 * and that calls {@link #install}. {@link #configure()} is the explicit entry point for the CLI: it forces that
 * initialisation (or installs the set-up if some other configuration got there first). Then the CLI applies
 * {@code --terse} with {@link #setTerse}.
 *
 * <p>Records go to stderr when {@code WALE_LOG_DESTINATION} (default {@code stderr,syslog}) names {@code stderr}, and
 * to syslog when it names {@code syslog}, a syslog socket exists and the helper or {@code logger(1)} is there
 * ({@link SyslogAppender}, {@code docs/logging.md}).
 */
public final class LogSetup {

    public static final String DESTINATION_ENV = "WALE_LOG_DESTINATION";
    public static final String DEFAULT_DESTINATIONS = "stderr,syslog";

    private static final String APPENDER_NAME = "WALE_STDERR";
    private static final String SYSLOG_APPENDER_NAME = "WALE_SYSLOG";
    private static final String STATE_KEY = LogSetup.class.getName();

    private LogSetup() {
    }

    /** Makes sure logging is set up as WAL-E's; idempotent, cheap after the first call. */
    public static void configure() {
        LoggerContext context = context();
        if (context != null && state(context) == null) {
            install(context, System.getenv(DESTINATION_ENV), System.err);
        }
    }

    /** Sets the threshold, as WAL-E's {@code log_help.set_level}: records below it are neither rendered nor written. */
    public static void setLevel(LogLevel level) {
        Objects.requireNonNull(level, "level");
        configure();
        LoggerContext context = context();
        if (context != null) {
            setLevel(context, level);
        }
    }

    /** {@code --terse}: WARNING and above only; otherwise INFO. */
    public static void setTerse(boolean terse) {
        setLevel(terse ? LogLevel.WARNING : LogLevel.INFO);
    }

    /** The current threshold. */
    public static LogLevel level() {
        configure();
        LoggerContext context = context();
        return context == null ? LogLevel.INFO : level(context);
    }

    /** The destinations in effect (from {@code WALE_LOG_DESTINATION}), including ignored ones such as syslog. */
    public static Set<Destination> destinations() {
        configure();
        LoggerContext context = context();
        State state = context == null ? null : state(context);
        return state == null ? Set.of() : state.destinations;
    }

    /**
     * stderr as the log records use it, for the progress line (docs/logging.md); a console of its own when logging
     * is not ours (then nothing else shares it).
     */
    static ConsoleLine console() {
        configure();
        LoggerContext context = context();
        return context == null ? new ConsoleLine(System.err) : console(context);
    }

    static ConsoleLine console(LoggerContext context) {
        State state = state(context);
        return state == null ? new ConsoleLine(System.err) : state.console;
    }

    static void setLevel(LoggerContext context, LogLevel level) {
        apply(context, state(context), level);
    }

    static LogLevel level(LoggerContext context) {
        State state = state(context);
        return state == null ? LogLevel.INFO : state.level;
    }

    /**
     * Replaces the root logger's appenders with WAL-E's: the WAL-E layout on {@code stderr} when the destinations
     * include it, threshold INFO. {@code destinationEnv} is the raw {@code WALE_LOG_DESTINATION} value ({@code null}
     * when unset).
     */
    static void install(LoggerContext context, String destinationEnv, PrintStream stderr) {
        install(context, destinationEnv, stderr, () -> SyslogTarget.find(System.getenv(SyslogTarget.FACILITY_ENV),
                System.getenv(SyslogTarget.SOCKET_ENV), SyslogTarget.helperBesideTheJar(), SyslogTarget.loggerOnTheSystem(),
                stderr));
    }

    /** As {@link #install(LoggerContext, String, PrintStream)}, with where syslog records go (asked only for syslog). */
    static void install(LoggerContext context, String destinationEnv, PrintStream stderr,
                        Supplier<Optional<SyslogTarget>> syslogTarget) {
        ConsoleLine console = new ConsoleLine(stderr);
        if (state(context) == null) {
            StatusManager statuses = context.getStatusManager();
            StatusReporter reporter = new StatusReporter(console);
            for (Status earlier : statuses.getCopyOfStatusList()) {
                reporter.addStatusEvent(earlier);
            }
            statuses.add(reporter);
        }
        Set<Destination> destinations = Destination.parse(destinationEnv == null ? DEFAULT_DESTINATIONS : destinationEnv);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders(); // e.g. the console appender of Logback's fallback configuration
        // The Azure SDK logs its own warnings and errors (JSON lines, some with request details) for what wal-j
        // reports itself in one line: keep it silent, as WAL-E's output has no such lines.
        context.getLogger("com.azure").setLevel(Level.OFF);
        StreamAppender appender = null;
        if (destinations.contains(Destination.STDERR)) {
            WalELayout layout = new WalELayout();
            layout.setContext(context);
            layout.start();
            appender = new StreamAppender(console, layout);
            appender.setName(APPENDER_NAME);
            appender.setContext(context);
            appender.start();
            root.addAppender(appender);
        }
        SyslogAppender syslog = null;
        Optional<SyslogTarget> target = destinations.contains(Destination.SYSLOG) ? syslogTarget.get()
                : Optional.empty();
        if (target.isPresent()) {
            WalELayout layout = new WalELayout();
            layout.setContext(context);
            layout.start();
            syslog = new SyslogAppender(target.get(), layout);
            syslog.setName(SYSLOG_APPENDER_NAME);
            syslog.setContext(context);
            syslog.start();
            root.addAppender(syslog);
        }
        State state = new State(destinations, appender, syslog, console);
        context.putObject(STATE_KEY, state);
        apply(context, state, LogLevel.INFO);
    }

    private static void apply(LoggerContext context, State state, LogLevel level) {
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        if (state == null) {
            root.setLevel(level.logbackLevel());
            return;
        }
        state.level = level;
        if (state.appender == null && state.syslog == null) {
            root.setLevel(Level.OFF); // nowhere to write: do not even render records
            return;
        }
        if (state.appender != null) {
            state.appender.setThreshold(level);
        }
        if (state.syslog != null) {
            state.syslog.setThreshold(level);
        }
        root.setLevel(level.logbackLevel());
    }

    private static LoggerContext context() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        return factory instanceof LoggerContext ? (LoggerContext) factory : null;
    }

    private static State state(LoggerContext context) {
        Object o = context.getObject(STATE_KEY);
        return o instanceof State ? (State) o : null;
    }

    /** What {@link #install} set up, kept in the context so a reset by anyone else is noticed. */
    private static final class State {
        final Set<Destination> destinations;
        final StreamAppender appender;
        final SyslogAppender syslog;
        final ConsoleLine console;
        volatile LogLevel level = LogLevel.INFO;

        State(Set<Destination> destinations, StreamAppender appender, SyslogAppender syslog, ConsoleLine console) {
            this.destinations = Set.copyOf(destinations);
            this.appender = appender;
            this.syslog = syslog;
            this.console = console;
        }
    }
}
