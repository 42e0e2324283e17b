package org.walj.resident;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.walj.daemon.DaemonServer;
import org.walj.logging.FailureText;
import org.walj.logging.LogEvent;
import org.walj.logging.LoggerNames;
import org.walj.logging.WalELog;

/**
 * {@code wal-j daemon} once configured: binds the socket, serves {@link ResidentRequests} until SIGTERM, then stops
 * in order (requests, background uploads, the archive). See docs/daemon.md.
 */
public final class ResidentDaemon {
    private static final WalELog LOG = WalELog.get(LoggerNames.DAEMON);
    /** PostgreSQL 15's archiver collects at most 64 .ready names per directory scan (pgarch.c). */
    public static final int MAX_PUSH_AHEAD = 64;
    /** A client writes its whole request at once; one that takes longer is stuck or hostile. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** systemd's default TimeoutStopSec is 90 s: finish in-flight requests well within it. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(60);
    /** Then background uploads: 60 + 20 s (+ 5 s for interrupted ones) stays within systemd's 90 s. */
    private static final Duration PUSH_AHEAD_GRACE = Duration.ofSeconds(20);

    private final Path socket;
    private final int threads;
    private final ResidentRequests requests;
    private final AutoCloseable archive;

    /** {@code archive}: what the requests use, closed last when the daemon stops. */
    public ResidentDaemon(Path socket, int threads, ResidentRequests requests, AutoCloseable archive) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        this.socket = socket;
        this.threads = threads;
        this.requests = requests;
        this.archive = archive;
    }

    /** Serves until stopped; {@code started} is the detail of the start-up record. */
    public void serve(String started) throws IOException {
        DaemonServer server = new DaemonServer(socket, requests, threads, 8 * threads, REQUEST_TIMEOUT);
        server.bind();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server), "wal-j-stop"));
        LOG.info(LogEvent.msg("daemon started").detail(started).kv("action", "daemon").kv("state", "started"));
        server.serve();
    }

    /** SIGTERM: stop accepting, let what was accepted finish, close the archive. */
    private void stop(DaemonServer server) {
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
            LOG.warning(LogEvent.msg("could not close the archive").detail(FailureText.describe(e)));
        }
        LOG.info(LogEvent.msg("daemon stopped").kv("action", "daemon").kv("state", "stopped"));
    }
}
