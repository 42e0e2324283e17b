package org.walj.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.walj.daemon.DaemonServer;
import org.walj.daemon.SocketPath;
import org.walj.logging.LogEvent;
import org.walj.logging.LogSetup;
import org.walj.logging.LoggerNames;
import org.walj.logging.WalELog;
import org.walj.wal.PushAhead;
import org.walj.wal.WalArchiver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "daemon",
        description = {"Serve wal-push and wal-fetch from a resident process (foreground; see docs/daemon.md).",
                "Listens on $WALJ_DAEMON_SOCKET (default " + SocketPath.DEFAULT + ") in a directory only this user "
                        + "may enter. Clients that find no daemon, or one configured differently, work in-process."})
final class DaemonCommand implements Callable<Integer> {
    private static final WalELog LOG = WalELog.get(LoggerNames.DAEMON);
    /** A client writes its whole request at once; one that takes longer is stuck or hostile. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** systemd's default TimeoutStopSec is 90 s: finish in-flight requests well within it. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(60);
    /** Then background uploads: 60 + 20 s (+ 5 s for interrupted ones) stays within systemd's 90 s. */
    private static final Duration PUSH_AHEAD_GRACE = Duration.ofSeconds(20);
    /** PostgreSQL 15's archiver collects at most 64 .ready names per directory scan (pgarch.c). */
    private static final int MAX_PUSH_AHEAD = 64;

    @ParentCommand
    WalJCommand root;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "8",
            description = "Requests served at once (default: ${DEFAULT-VALUE}); up to 8*N more wait.")
    int threads;

    @Option(names = "--push-ahead", paramLabel = "N",
            description = "After serving a wal-push, store up to N other segments waiting in archive_status/ in the "
                    + "background and mark them .done (at most the request's --pool-size - 1; 0: off, the request "
                    + "pushes them itself while its client waits; default: as --threads, at most " + MAX_PUSH_AHEAD
                    + ").")
    Integer pushAhead;

    @Override
    public Integer call() throws Exception {
        if (threads < 1) {
            throw new picocli.CommandLine.ParameterException(root.spec.commandLine(), "--threads must be at least 1");
        }
        LogSetup.setTerse(false); // each request applies its own --terse to its client's copy
        Path socket = SocketPath.from(root.settings().texts(List.of(LauncherVariables.DAEMON_SOCKET)));
        int ahead = pushAhead != null ? pushAhead : Math.min(threads, MAX_PUSH_AHEAD);
        if (ahead < 0 || ahead > MAX_PUSH_AHEAD) {
            throw new picocli.CommandLine.ParameterException(root.spec.commandLine(),
                    "--push-ahead must be between 0 and " + MAX_PUSH_AHEAD);
        }
        ArchiveAccess archive = root.openArchive();
        List<String> args = root.arguments();
        ResidentRequests requests = new ResidentRequests(archive, root.settings(),
                args.subList(0, Math.max(0, args.indexOf("daemon"))), pushAhead(archive, ahead));
        DaemonServer server = new DaemonServer(socket, requests, threads, 8 * threads, REQUEST_TIMEOUT);
        server.bind();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server, requests, archive), "wal-j-stop"));
        LOG.info(LogEvent.msg("daemon started")
                .detail("Serving wal-push and wal-fetch on " + socket + " for user " + System.getProperty("user.name")
                        + ", archive " + archive.prefix().urlOf("")
                        + (ahead > 0 ? "; pushing up to " + ahead + " ready segments ahead." : "; push-ahead off."))
                .kv("action", "daemon").kv("state", "started"));
        server.serve();
        return ExitStatus.OK;
    }

    /** Uploads run at once: compressing is CPU work, so as many as wal-push's own parallel mode runs. */
    private static Optional<PushAhead> pushAhead(ArchiveAccess archive, int limit) {
        if (limit == 0) {
            return Optional.empty();
        }
        int uploads = Math.min(limit, Math.max(2, Runtime.getRuntime().availableProcessors()));
        return Optional.of(new PushAhead(new WalArchiver(archive.storage(), archive.prefix(), archive.codec()),
                limit, uploads));
    }

    /** SIGTERM: stop accepting, let what was accepted finish, close the archive. */
    private static void stop(DaemonServer server, ResidentRequests requests, ArchiveAccess archive) {
        LOG.info(LogEvent.msg("daemon stopping").detail("Finishing the requests already accepted, then the background uploads.")
                .kv("action", "daemon").kv("state", "stopping"));
        try {
            server.shutdown(STOP_GRACE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        requests.shutdown(PUSH_AHEAD_GRACE);
        try {
            archive.close();
        } catch (Exception e) {
            LOG.warning(LogEvent.msg("could not close the archive").detail(ErrorReporter.describe(e)));
        }
        LOG.info(LogEvent.msg("daemon stopped").kv("action", "daemon").kv("state", "stopped"));
    }
}
