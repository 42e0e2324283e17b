package org.walj.resident;

import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.walj.daemon.DaemonClient;
import org.walj.daemon.DaemonServer;
import org.walj.daemon.Protocol;
import org.walj.logging.LogEvent;
import org.walj.logging.LogLevel;
import org.walj.logging.LogRoute;
import org.walj.logging.LoggerNames;
import org.walj.logging.WalELog;
import org.walj.settings.Settings;
import org.walj.wal.WalArchiver;
import org.walj.wal.WalRestorer;

/**
 * Serves a client's {@code wal-push} or {@code wal-fetch} inside the daemon: reads the request's arguments itself
 * ({@link WalRequest}) and calls the commands' own entry points ({@link WalCommands}) with the archive opened once.
 * Refuses (the client then works in-process) whatever the daemon was not configured for, and any argument form it
 * does not read exactly as picocli does: it never reloads its configuration silently, nor guesses.
 */
public final class ResidentRequests implements DaemonServer.Handler {
    private static final WalELog LOG = WalELog.get(LoggerNames.DAEMON);
    private static final List<String> SERVED = List.of(WalRequest.Push.NAME, WalRequest.Fetch.NAME);
    private static final String TERSE = "--terse";
    private static final int PREFETCH_PARALLELISM = 4;
    /** Segments queued for prefetching at most: several recoveries' windows (8 by default) at once. */
    private static final int PREFETCH_QUEUE = 64;

    private final WalCommands commands;
    private final WalArchiver archiver;
    private final Settings settings;
    private final List<String> globalArguments;
    private final String build;
    private final DaemonPrefetch prefetches;
    private final Optional<PushAhead> pushAhead;
    /** Requests being served, and when the last one ended: what the idle exit watches (refusals do not count). */
    private final AtomicInteger serving = new AtomicInteger();
    private volatile long lastServed = System.nanoTime();

    /**
     * @param daemonGlobalArguments the daemon's options before its subcommand: a client's must be the same
     * @param pushAheadLimit        background uploads queued or running at once; 0 turns push-ahead off
     * @param prefetchDeadline      how long a wal-fetch waits at most for its segment's prefetch task before it
     *                              downloads the segment itself (the storage's retry deadline)
     */
    public ResidentRequests(WalCommands commands, WalArchiver archiver, WalRestorer restorer,
                            Settings daemonSettings, List<String> daemonGlobalArguments,
                            int pushAheadLimit, Duration prefetchDeadline) {
        this(commands, archiver, restorer, daemonSettings, daemonGlobalArguments, pushAheadLimit, false,
                prefetchDeadline);
    }

    /** @param compressEarly with push-ahead, compress the segment PostgreSQL is writing while it writes it */
    public ResidentRequests(WalCommands commands, WalArchiver archiver, WalRestorer restorer,
                            Settings daemonSettings, List<String> daemonGlobalArguments,
                            int pushAheadLimit, boolean compressEarly, Duration prefetchDeadline) {
        this.commands = commands;
        this.archiver = archiver;
        this.pushAhead = pushAhead(archiver, pushAheadLimit, compressEarly);
        this.settings = daemonSettings;
        this.globalArguments = withoutTerse(daemonGlobalArguments);
        this.build = DaemonClient.build();
        this.prefetches = new DaemonPrefetch(restorer, PREFETCH_PARALLELISM, PREFETCH_QUEUE, prefetchDeadline);
    }

    /** Uploads run at once: compressing is CPU work, so as many as wal-push's own parallel mode runs. */
    private static Optional<PushAhead> pushAhead(WalArchiver archiver, int limit, boolean compressEarly) {
        if (limit == 0) {
            return Optional.empty();
        }
        int uploads = Math.min(limit, Math.max(2, Runtime.getRuntime().availableProcessors()));
        return Optional.of(new PushAhead(archiver, limit, uploads, compressEarly));
    }

    @Override
    public int handle(Protocol.Request request, OutputStream stdout, OutputStream stderr) throws DaemonServer.Refusal {
        List<String> args = request.args();
        int sub = subcommandIndex(args);
        WalRequest command = check(request, args, sub);
        boolean terse = args.subList(0, sub).contains(TERSE);
        Path cwd = Path.of(request.cwd());
        long started = System.nanoTime();
        int status;
        serving.incrementAndGet();
        try (LogRoute route = LogRoute.open(stderr);
             PrintWriter err = new PrintWriter(new OutputStreamWriter(stderr, StandardCharsets.UTF_8), true)) {
            // the daemon serves concurrent requests: --terse applies to this client's copy of the records only
            route.setThreshold(terse ? LogLevel.WARNING : LogLevel.INFO);
            status = run(command, cwd, request.env(), err);
        } finally {
            lastServed = System.nanoTime();
            serving.decrementAndGet();
        }
        // after the route is closed: this record is the daemon's own, not the client's
        LOG.info(LogEvent.msg("served a request")
                .detail(String.join(" ", args.subList(sub, args.size())) + " (in " + request.cwd() + "): exit "
                        + status + " after " + (System.nanoTime() - started) / 1_000_000 + " ms.")
                .kv("action", args.get(sub)).kv("status", status));
        return status;
    }

    /** Relative paths are the client's: PostgreSQL passes them relative to its data directory. */
    private int run(WalRequest command, Path cwd, Map<String, String> env, PrintWriter err) {
        if (command instanceof WalRequest.Push push) {
            // with push-ahead the other ready segments are pushed in the background, not while the client waits
            WalCommands.Pusher pusher = pushAhead.isPresent() ? pushAhead.get()::archive : archiver::archive;
            return commands.push(push.segment(), cwd.resolve(push.segment()), push.poolSize(), pusher, err);
        }
        WalRequest.Fetch fetch = (WalRequest.Fetch) command;
        return commands.fetch(env, fetch.segment(), cwd.resolve(fetch.destination()), fetch.prefetch(),
                prefetches, err);
    }

    private WalRequest check(Protocol.Request request, List<String> args, int sub) throws DaemonServer.Refusal {
        if (!build.equals(request.build())) {
            throw refusal("the client runs another wal-j build than the daemon (restart the daemon after an upgrade)");
        }
        if (sub < 0) {
            throw refusal("the daemon serves " + String.join(" and ", SERVED) + " only");
        }
        List<String> globals = args.subList(0, sub);
        if (!globalArguments.equals(withoutTerse(globals)) || Collections.frequency(globals, TERSE) > 1) {
            // values are not shown: they may hold an access key
            throw refusal("the options before the subcommand differ from the daemon's");
        }
        SortedSet<String> differing = settings.mustMatchDifferences(request.env());
        if (!differing.isEmpty()) {
            throw refusal("the environment differs from the daemon's in " + String.join(", ", differing)
                    + " (restart the daemon to change its configuration)");
        }
        Path cwd = Path.of(request.cwd());
        if (!cwd.isAbsolute() || !Files.isDirectory(cwd)) {
            throw refusal("the client's working directory \"" + request.cwd() + "\" is not a directory the daemon sees");
        }
        try {
            return WalRequest.parse(args.subList(sub, args.size()));
        } catch (WalRequest.Unsupported e) {
            throw refusal(e.getMessage());
        }
    }

    private static DaemonServer.Refusal refusal(String reason) {
        LOG.warning(LogEvent.msg("refused a request").detail(reason + "."));
        return new DaemonServer.Refusal(reason);
    }

    private static int subcommandIndex(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            if (SERVED.contains(args.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private static List<String> withoutTerse(List<String> args) {
        List<String> out = new ArrayList<>(args);
        out.removeIf(TERSE::equals);
        return out;
    }

    /**
     * How long nothing has been served and nothing runs in the background (requests, prefetches, uploads ahead) as
     * of {@code now} ({@link System#nanoTime}); zero while anything runs.
     */
    public Duration idleFor(long now) {
        boolean busy = serving.get() > 0 || !prefetches.idle()
                || pushAhead.map(p -> !p.idle()).orElse(false);
        return busy ? Duration.ZERO : Duration.ofNanos(Math.max(0, now - lastServed));
    }

    /** After the requests: background uploads get {@code grace} to finish, prefetches are dropped. */
    void shutdown(Duration grace) {
        prefetches.shutdown();
        pushAhead.ifPresent(p -> p.shutdown(grace));
    }
}
