package org.walj.daemon;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.walj.WorkerThreads;
import org.walj.logging.LogEvent;
import org.walj.logging.LoggerNames;
import org.walj.logging.WalELog;

/**
 * The resident daemon's socket side: accepts connections on a unix-domain socket in a private directory, checks the
 * peer is this same OS user, reads one request per connection (bounded in size and time), and hands it to the
 * {@link Handler} on a bounded pool. A malformed request or a vanished client costs that connection only.
 */
public final class DaemonServer implements AutoCloseable {
    private static final WalELog LOG = WalELog.get(LoggerNames.DAEMON);

    /** Does the work of one request; what it writes to the streams goes to the client as it is produced. */
    public interface Handler {
        /** The exit status; {@link Refusal} when the client should do the work itself. */
        int handle(Protocol.Request request, OutputStream stdout, OutputStream stderr) throws Refusal;
    }

    /** The daemon will not serve this request (other configuration, other build, unsupported subcommand). */
    public static final class Refusal extends Exception {
        public Refusal(String reason) {
            super(reason);
        }
    }

    private final Path socket;
    private final Handler handler;
    private final Duration requestTimeout;
    private final ThreadPoolExecutor workers;
    private final ScheduledExecutorService watchdog;
    private final String user = System.getProperty("user.name");
    private volatile ServerSocketChannel server;

    public DaemonServer(Path socket, Handler handler, int threads, int queue, Duration requestTimeout) {
        this.socket = socket;
        this.handler = handler;
        this.requestTimeout = requestTimeout;
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue),
                r -> new Thread(r, "wal-j-request-" + n.incrementAndGet()));
        this.watchdog = Executors.newSingleThreadScheduledExecutor(WorkerThreads.named("wal-j-request-timeout"));
    }

    /** Creates the private directory if needed, replaces a stale socket, binds; fails if another daemon answers. */
    public void bind() throws IOException {
        Path dir = socket.getParent();
        if (!Files.exists(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        SocketPath.checkPrivate(dir);
        if (Files.exists(socket)) {
            if (answers(socket)) {
                throw new IOException("another daemon is already listening on " + socket);
            }
            Files.delete(socket); // left behind by a daemon that was killed
        }
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        channel.bind(UnixDomainSocketAddress.of(socket));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        server = channel;
    }

    private static boolean answers(Path socket) {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            return probe.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException refused) {
            return false;
        }
    }

    public Path socket() {
        return socket;
    }

    /** Accepts until {@link #close()}. */
    public void serve() throws IOException {
        ServerSocketChannel channel = server;
        while (true) {
            SocketChannel client;
            try {
                client = channel.accept();
            } catch (ClosedChannelException stopped) {
                return;
            }
            try {
                workers.execute(() -> serveOne(client));
            } catch (RejectedExecutionException busy) {
                refuse(client, "the daemon is busy (" + workers.getMaximumPoolSize() + " requests running, "
                        + workers.getQueue().size() + " waiting)");
            }
        }
    }

    private void serveOne(SocketChannel client) {
        try (client) {
            String peer = peerUser(client);
            if (peer != null && !peer.equals(user)) {
                LOG.warning(LogEvent.msg("refused a connection from another user")
                        .detail("The peer runs as \"" + peer + "\"; this daemon serves \"" + user + "\" only."));
                refuse(client, "the daemon serves user " + user + " only");
                return;
            }
            DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(client)));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(client)));
            Protocol.Request request;
            ScheduledFuture<?> timeout = watchdog.schedule(() -> closeQuietly(client), requestTimeout.toMillis(),
                    TimeUnit.MILLISECONDS);
            try {
                request = Protocol.readRequest(in);
            } catch (Protocol.MalformedRequestException e) {
                LOG.warning(LogEvent.msg("refused a malformed request").detail(e.getMessage()));
                refuse(out, "malformed request: " + e.getMessage());
                return;
            } catch (EOFException | ClosedChannelException e) {
                LOG.warning(LogEvent.msg("a client went away before its request was complete"));
                return;
            } finally {
                timeout.cancel(false);
            }
            int status;
            try {
                status = handler.handle(request, new FrameStream(out, Protocol.STDOUT),
                        new FrameStream(out, Protocol.STDERR));
            } catch (Refusal r) {
                refuse(out, r.getMessage());
                return;
            }
            synchronized (out) {
                Protocol.writeExit(out, status);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warning(LogEvent.msg("a request ended without an answer to its client")
                    .detail(e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
    }

    /** The peer's user name from SO_PEERCRED; null where the platform cannot tell (the directory still guards). */
    private static String peerUser(SocketChannel client) {
        try {
            UnixDomainPrincipal principal = client.getOption(ExtendedSocketOptions.SO_PEERCRED);
            return principal.user().getName();
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    private static void refuse(SocketChannel client, String reason) {
        try (client) {
            refuse(new DataOutputStream(Channels.newOutputStream(client)), reason);
        } catch (IOException ignored) {
            // the client falls back when it sees no answer as well
        }
    }

    private static void refuse(DataOutputStream out, String reason) {
        try {
            synchronized (out) {
                Protocol.writeRefusal(out, reason);
            }
        } catch (IOException ignored) {
            // client gone
        }
    }

    private static void closeQuietly(SocketChannel client) {
        try {
            client.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    /**
     * Stops accepting, lets the requests already accepted finish (within {@code grace}), removes the socket.
     * PostgreSQL retries whatever was cut short: nothing unfinished was acknowledged.
     */
    public void shutdown(Duration grace) throws InterruptedException {
        try {
            close();
        } catch (IOException ignored) {
            // closing is best effort
        }
        workers.shutdown();
        if (!workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.warning(LogEvent.msg("stopping with requests still running")
                    .detail(workers.getActiveCount() + " requests did not finish within " + grace.toSeconds()
                            + " s; their clients get no answer and PostgreSQL retries them."));
        }
        watchdog.shutdownNow();
    }

    /**
     * Synchronized: the idle watch's close wakes the accept loop, whose shutdown closes again; without the lock that
     * second call returned (channel closed) before the first had removed the socket, and the daemon could stop,
     * and its JVM exit, leaving the socket file behind.
     */
    @Override
    public synchronized void close() throws IOException {
        ServerSocketChannel channel = server;
        if (channel != null && channel.isOpen()) {
            channel.close();
            Files.deleteIfExists(socket);
        }
    }

    /** Output of one request, sent as frames; a client that went away makes writes no-ops, not failures. */
    private static final class FrameStream extends OutputStream {
        private final DataOutputStream out;
        private final byte type;
        private boolean gone;

        FrameStream(DataOutputStream out, byte type) {
            this.out = out;
            this.type = type;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (gone || len == 0) {
                return;
            }
            synchronized (out) {
                try {
                    Protocol.writeFrame(out, type, b, off, len);
                } catch (IOException e) {
                    gone = true;
                }
            }
        }
    }
}
