package org.walj.resident;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.walj.WorkerThreads;
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
    private final Duration idleExit;
    private boolean stopped;

    /**
     * {@code archive}: what the requests use, closed last when the daemon stops; {@code idleExit}: stop after this
     * long with nothing served and nothing running in the background ({@link Duration#ZERO}: never).
     */
    public ResidentDaemon(Path socket, int threads, ResidentRequests requests, AutoCloseable archive,
                          Duration idleExit) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        if (idleExit.isNegative()) {
            throw new IllegalArgumentException("idleExit must not be negative: " + idleExit);
        }
        this.socket = socket;
        this.threads = threads;
        this.requests = requests;
        this.archive = archive;
        this.idleExit = idleExit;
    }

    /** Serves until stopped (SIGTERM, or idle for {@code idleExit}); {@code started} is the start-up record's detail. */
    public void serve(String started) throws IOException {
        DaemonServer server = new DaemonServer(socket, requests, threads, 8 * threads, REQUEST_TIMEOUT);
        server.bind();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server), "wal-j-stop"));
        LOG.info(LogEvent.msg("daemon started").detail(started).kv("action", "daemon").kv("state", "started"));
        ScheduledExecutorService idleWatch = idleExit.isZero() ? null : watchIdle(server);
        server.serve(); // returns once the server is closed: here only by the idle watch
        if (idleWatch != null) {
            idleWatch.shutdownNow();
        }
        stop(server);
    }

    /** Closes the server once idle for {@code idleExit}; the accept loop then ends and {@link #serve} stops. */
    private ScheduledExecutorService watchIdle(DaemonServer server) {
        ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(
                WorkerThreads.named("wal-j-idle-exit"));
        long period = Math.max(100, Math.min(5_000, idleExit.toMillis() / 4));
        watch.scheduleWithFixedDelay(() -> {
            if (requests.idleFor(System.nanoTime()).compareTo(idleExit) >= 0) {
                LOG.info(LogEvent.msg("daemon idle, stopping")
                        .detail("Nothing served for " + idleExit.toSeconds() + " s; the next wal-push or wal-fetch "
                                + "works in-process (and may start a daemon again).")
                        .kv("action", "daemon").kv("state", "idle"));
                try {
                    server.close();
                } catch (IOException e) {
                    LOG.warning(LogEvent.msg("could not close the daemon's socket").detail(FailureText.describe(e)));
                }
                watch.shutdown(); // no further checks
            }
        }, period, period, TimeUnit.MILLISECONDS);
        return watch;
    }

    /**
     * SIGTERM or idle: stop accepting, let what was accepted finish, close the archive; once (synchronized: a SIGTERM
     * during an idle stop waits for it, so the JVM does not halt under it).
     */
    private synchronized void stop(DaemonServer server) {
        if (stopped) {
            return;
        }
        stopped = true;
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
