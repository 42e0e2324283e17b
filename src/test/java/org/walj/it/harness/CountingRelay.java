package org.walj.it.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on 127.0.0.1 in front of a real server (the ITs' S3Proxy): wal-j talks to the relay, the relay to the
 * server, byte for byte. It counts the bytes the server sent (what a client read from storage, HTTP headers
 * included), so a test sees reads without trusting wal-j's own figures. {@link #stallAt} holds the server's bytes
 * back once a count is reached: the client then waits on a read at exactly that point of the stream, whatever the
 * machine's speed, until the test kills it (a seeded kill point is the same byte on every run).
 */
public final class CountingRelay implements AutoCloseable {
    private final ServerSocket listener;
    private final int upstreamPort;
    private final AtomicLong served = new AtomicLong();
    private final List<Socket> open = new ArrayList<>();
    private final Thread acceptor;
    private volatile long stallAt = Long.MAX_VALUE;
    private volatile CountDownLatch stalled = new CountDownLatch(1);
    private volatile CountDownLatch released = new CountDownLatch(0);
    private volatile boolean closed;

    private CountingRelay(ServerSocket listener, int upstreamPort) {
        this.listener = listener;
        this.upstreamPort = upstreamPort;
        this.acceptor = new Thread(this::acceptLoop, "relay-accept-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Relays 127.0.0.1:(a free port) to 127.0.0.1:{@code upstreamPort}. */
    public static CountingRelay to(int upstreamPort) throws IOException {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return new CountingRelay(s, upstreamPort);
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** The bytes the server sent through the relay so far. */
    public long served() {
        return served.get();
    }

    /**
     * From now on, once {@code count} bytes were served in all, hold every further byte back (until
     * {@link #release}); {@link #awaitStall} says when that point was reached.
     */
    public synchronized void stallAt(long count) {
        stalled = new CountDownLatch(1);
        released = new CountDownLatch(1);
        stallAt = count;
    }

    /** True when the stall point was reached within {@code millis}. */
    public boolean awaitStall(long millis) throws InterruptedException {
        return stalled.await(millis, TimeUnit.MILLISECONDS);
    }

    /** Lets bytes flow again and drops every connection held (the client was killed). */
    public synchronized void release() {
        stallAt = Long.MAX_VALUE;
        released.countDown();
        dropAll();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                synchronized (this) {
                    open.add(client);
                    open.add(server);
                }
                pump(client, server, false);
                pump(server, client, true);
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("CountingRelay: " + e);
                }
            }
        }
    }

    private void pump(Socket from, Socket to, boolean counted) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    int off = 0;
                    if (counted) {
                        off = holdAtStallPoint(buffer, n, out);
                    }
                    out.write(buffer, off, n - off);
                    out.flush();
                    if (counted) {
                        served.addAndGet(n - off);
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the other side went away (a killed client), or the relay closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "relay-pump");
        t.setDaemon(true);
        t.start();
    }

    /**
     * When these {@code n} bytes would pass the stall point: writes the part up to it, counts it, signals the stall
     * and waits for {@link #release}. Returns how many bytes of the buffer were written here.
     */
    private int holdAtStallPoint(byte[] buffer, int n, OutputStream out) throws IOException, InterruptedException {
        CountDownLatch wait;
        int before;
        synchronized (this) {
            long room = stallAt - served.get();
            if (room >= n) {
                return 0;
            }
            before = (int) Math.max(0, room);
            out.write(buffer, 0, before);
            out.flush();
            served.addAndGet(before);
            wait = released;
            stalled.countDown();
        }
        wait.await();
        throw new IOException("released after a stall: the connection is dropped");
    }

    private synchronized void dropAll() {
        for (Socket s : open) {
            closeQuietly(s);
        }
        open.clear();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            // closing anyway
        }
        release();
    }
}
