package org.walj.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy in front of a storage server (S3Proxy, the GCS JSON API stand-in) that injects faults, one per new connection, from a queue:
 * drop the connection, answer 500 or 503 (with S3's error XML), stall (accept and never answer), or pass the request
 * through but cut the answer after some bytes. When the queue is empty (or in persistent mode) connections behave as
 * the configured default. Error answers carry S3's error XML; GCS clients go by the status code alone. Answers passed through get "Connection: close", so every request opens a new
 * connection and meets the queue. Not a mock: every request that gets through is served by the real server.
 */
public final class FaultProxy implements AutoCloseable {

    public sealed interface Fault {
    }

    public record Pass() implements Fault {
    }

    public record Drop() implements Fault {
    }

    public record Status(int code, String s3Code) implements Fault {
    }

    public record Stall() implements Fault {
    }

    public record CutAnswerAfter(int bytes) implements Fault {
    }

    private final ServerSocket listener;
    private final int targetPort;
    private final Deque<Fault> next = new ArrayDeque<>();
    private volatile Fault fallback = new Pass();
    private final AtomicInteger faultsInjected = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong bytesAnswered = new java.util.concurrent.atomic.AtomicLong();

    public FaultProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::acceptLoop, "fault-proxy-accept");
        accept.setDaemon(true);
        accept.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Faults for the next connections, in order. */
    public synchronized void inject(Fault... faults) {
        next.addAll(java.util.List.of(faults));
    }

    /** What every connection gets once the queue is empty. */
    public void always(Fault fault) {
        fallback = fault;
    }

    public int faultsInjected() {
        return faultsInjected.get();
    }

    /**
     * Bytes of answers passed on to clients (headers after the status line, and bodies): what a client was sent, so that a
     * test can tell a continued download (the object about once) from one started over.
     */
    public long bytesAnswered() {
        return bytesAnswered.get();
    }

    private synchronized Fault take() {
        Fault f = next.poll();
        return f == null ? fallback : f;
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Fault fault = take();
                if (!(fault instanceof Pass)) {
                    faultsInjected.incrementAndGet();
                }
                Thread t = new Thread(() -> serve(client, fault), "fault-proxy-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket client, Fault fault) {
        try (client) {
            if (fault instanceof Drop) {
                client.getInputStream().read(new byte[1024]); // let the request start, then hang up
                return;
            }
            if (fault instanceof Stall) {
                client.getInputStream().transferTo(OutputStream.nullOutputStream()); // until the client gives up
                return;
            }
            if (fault instanceof Status s) {
                readHeaders(client.getInputStream());
                String body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + s.s3Code()
                        + "</Code><Message>injected</Message></Error>";
                String answer = "HTTP/1.1 " + s.code() + " Injected\r\nContent-Type: application/xml\r\n"
                        + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body;
                client.getOutputStream().write(answer.getBytes(StandardCharsets.US_ASCII));
                client.getOutputStream().flush();
                client.shutdownOutput();
                client.getInputStream().transferTo(OutputStream.nullOutputStream());
                return;
            }
            long limit = fault instanceof CutAnswerAfter c ? c.bytes() : Long.MAX_VALUE;
            try (Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort)) {
                Thread up = new Thread(() -> pipe(client, server, Long.MAX_VALUE), "fault-proxy-up");
                up.setDaemon(true);
                up.start();
                // one request per connection, so that each request meets the fault queue: the client must not keep
                // this connection alive, which "Connection: close" after the status line tells it
                InputStream fromServer = server.getInputStream();
                OutputStream toClient = client.getOutputStream();
                int b;
                int last = -1;
                while ((b = fromServer.read()) >= 0) {
                    toClient.write(b);
                    if (last == '\r' && b == '\n') {
                        break;
                    }
                    last = b;
                }
                toClient.write("Connection: close\r\n".getBytes(StandardCharsets.US_ASCII));
                bytesAnswered.addAndGet(pipe(server, client, limit));
            }
        } catch (IOException ignored) {
            // the client or the server hung up: that is what faults are made of
        }
    }

    private static void readHeaders(InputStream in) throws IOException {
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
                    ? state + 1 : 0;
        }
    }

    /** Copies until the end, a failure or {@code limit} bytes; returns the bytes copied. */
    private static long pipe(Socket from, Socket to, long limit) {
        byte[] buffer = new byte[64 * 1024];
        long sent = 0;
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                int allowed = (int) Math.min(n, limit - sent);
                out.write(buffer, 0, allowed);
                out.flush();
                sent += allowed;
                if (sent >= limit) {
                    to.close();
                    from.close();
                    return sent;
                }
            }
            to.shutdownOutput();
        } catch (IOException ignored) {
            try {
                to.close();
                from.close();
            } catch (IOException alsoIgnored) {
                // closing a broken pair
            }
        }
        return sent;
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
