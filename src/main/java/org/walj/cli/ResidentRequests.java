package org.walj.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.walj.DaemonThreads;
import org.walj.daemon.DaemonClient;
import org.walj.daemon.DaemonServer;
import org.walj.daemon.Protocol;
import org.walj.logging.LogEvent;
import org.walj.logging.LogRoute;
import org.walj.logging.LoggerNames;
import org.walj.logging.WalELog;
import org.walj.postgres.SegmentName;
import org.walj.settings.Settings;
import org.walj.wal.PrefetchSpawner;
import org.walj.wal.PushAhead;
import org.walj.wal.WalPrefetcher;
import org.walj.wal.WalRestorer;

/**
 * Runs a client's {@code wal-push} or {@code wal-fetch} inside the daemon, through the same picocli commands and use
 * cases as a normal process, with the archive opened once. Refuses (the client then works in-process) whatever the
 * daemon was not configured for: it never reloads its configuration silently.
 */
final class ResidentRequests implements DaemonServer.Handler {
    private static final WalELog LOG = WalELog.get(LoggerNames.DAEMON);
    private static final List<String> SERVED = List.of("wal-push", "wal-fetch");
    private static final String TERSE = "--terse";
    private static final int PREFETCH_PARALLELISM = 4;

    private final ArchiveAccess archive;
    private final Settings settings;
    private final List<String> globalArguments;
    private final String build;
    private final ThreadPoolExecutor prefetches;
    private final Optional<PushAhead> pushAhead;

    ResidentRequests(ArchiveAccess archive, Settings daemonSettings, List<String> daemonGlobalArguments,
                     Optional<PushAhead> pushAhead) {
        this.archive = archive;
        this.pushAhead = pushAhead;
        this.settings = daemonSettings;
        this.globalArguments = withoutTerse(daemonGlobalArguments);
        this.build = DaemonClient.build();
        this.prefetches = new ThreadPoolExecutor(PREFETCH_PARALLELISM, PREFETCH_PARALLELISM, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(64), DaemonThreads.named("wal-j-prefetch"));
    }

    @Override
    public int handle(Protocol.Request request, OutputStream stdout, OutputStream stderr) throws DaemonServer.Refusal {
        List<String> args = request.args();
        int sub = subcommandIndex(args);
        check(request, args, sub);
        long started = System.nanoTime();
        int status;
        try (LogRoute route = LogRoute.open(stderr);
             PrintStream out = new PrintStream(stdout, true, StandardCharsets.UTF_8);
             PrintStream err = new PrintStream(stderr, true, StandardCharsets.UTF_8)) {
            Resident resident = new Resident(archive, Path.of(request.cwd()), this::prefetch, pushAhead);
            status = Main.runResident(args.toArray(String[]::new), settings.forClient(request.env()), resident, out, err);
        }
        // after the route is closed: this record is the daemon's own, not the client's
        LOG.info(LogEvent.msg("served a request")
                .detail(String.join(" ", args.subList(sub, args.size())) + " (in " + request.cwd() + "): exit "
                        + status + " after " + (System.nanoTime() - started) / 1_000_000 + " ms.")
                .kv("action", args.get(sub)).kv("status", status));
        return status;
    }

    private void check(Protocol.Request request, List<String> args, int sub) throws DaemonServer.Refusal {
        if (!build.equals(request.build())) {
            throw refusal("the client runs another wal-j build than the daemon (restart the daemon after an upgrade)");
        }
        if (sub < 0) {
            throw refusal("the daemon serves " + String.join(" and ", SERVED) + " only");
        }
        if (!globalArguments.equals(withoutTerse(args.subList(0, sub)))) {
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

    /** wal-fetch's prefetch, as a background task of the daemon instead of a new process. */
    private void prefetch(Path base, List<SegmentName> segments) throws IOException {
        WalRestorer restorer = new WalRestorer(archive.storage(), archive.prefix(), archive.codec());
        try {
            prefetches.execute(() -> {
                try {
                    new WalPrefetcher(restorer).prefetch(base, segments, PREFETCH_PARALLELISM);
                } catch (IOException | RuntimeException e) {
                    LOG.warning(LogEvent.msg("prefetching failed").detail(ErrorReporter.describe(e)));
                }
            });
        } catch (RejectedExecutionException busy) {
            throw new IOException("the daemon's prefetch queue is full");
        }
    }

    /** After the requests: background uploads get {@code grace} to finish, prefetches are dropped. */
    void shutdown(Duration grace) {
        prefetches.shutdownNow();
        pushAhead.ifPresent(p -> p.shutdown(grace));
    }
}
