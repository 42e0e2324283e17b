package org.walj.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The socket side with a stand-in handler (the real one runs PostgreSQL's commands: DaemonIT): the client's view of
 * answers and refusals, work that outlives its client, and a shutdown that lets accepted work finish.
 */
class DaemonServerTest {
    @TempDir
    Path tmp;
    private Path socket;
    private DaemonServer server;
    private ServingDaemon daemon;
    private final AtomicInteger completed = new AtomicInteger();
    private volatile CountDownLatch release = new CountDownLatch(0);

    /** Stand-in for the daemon's request handler: logs one line, waits if told to, exits with the second argument. */
    private int handle(Protocol.Request request, OutputStream stdout, OutputStream stderr) throws DaemonServer.Refusal {
        if (request.args().get(0).equals("refuse")) {
            throw new DaemonServer.Refusal("stand-in refusal");
        }
        try {
            stderr.write(("record of " + request.args().get(1) + "\n").getBytes(StandardCharsets.UTF_8));
            release.await(30, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
        completed.incrementAndGet();
        return Integer.parseInt(request.args().get(1));
    }

    @BeforeEach
    void start() throws IOException {
        daemon = ServingDaemon.start(tmp, this::handle, Duration.ofSeconds(2));
        socket = daemon.socket;
        server = daemon.server;
    }

    @AfterEach
    void stop() throws InterruptedException {
        release.countDown();
        daemon.close();
    }

    private DaemonClient.Outcome ask(ByteArrayOutputStream err, String... args) {
        return new DaemonClient(socket).run(List.of(args), Map.of(), new ByteArrayOutputStream(), err);
    }

    @Test
    void answersWithRecordsAndExitStatusAndRelaysRefusals() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        DaemonClient.Outcome outcome = ask(err, "x", "200");
        assertTrue(outcome.answered());
        assertEquals(200, outcome.status());
        assertEquals("record of 200\n", err.toString(StandardCharsets.UTF_8));

        DaemonClient.Outcome refused = ask(new ByteArrayOutputStream(), "refuse", "0");
        assertFalse(refused.answered());
        assertEquals("the daemon refused: stand-in refusal", refused.reason());
    }

    @Test
    void aSocketDirectoryOpenToOthersIsNotUsedByTheClientNorByTheDaemon() throws IOException {
        Files.setPosixFilePermissions(socket.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
        DaemonClient.Outcome outcome = ask(new ByteArrayOutputStream(), "x", "0");
        assertFalse(outcome.answered());
        assertTrue(outcome.reason().contains("is open to other users (mode 755); it must be 0700"), outcome.reason());
        IOException e = assertThrows(IOException.class,
                () -> new DaemonServer(tmp.resolve("run/other.sock"), this::handle, 1, 1, Duration.ofSeconds(1)).bind());
        assertTrue(e.getMessage().contains("open to other users"), e.getMessage());
    }

    @Test
    void workWhoseClientHungUpStillCompletesAndTheDaemonKeepsServing() throws Exception {
        release = new CountDownLatch(1);
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            Protocol.writeRequest(new DataOutputStream(Channels.newOutputStream(ch)),
                    new Protocol.Request(DaemonClient.build(), "/", List.of("x", "0"), Map.of()));
            Protocol.Frame first = Protocol.readFrame(new DataInputStream(Channels.newInputStream(ch)));
            assertEquals(Protocol.STDERR, first.type()); // the work has started; now the client goes away
        }
        release.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (completed.get() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(1, completed.get(), "the abandoned request ran to its end");
        assertEquals(3, ask(new ByteArrayOutputStream(), "x", "3").status());
    }

    @Test
    void aClientThatNeverFinishesItsRequestIsCutOffAndDoesNotBlockOthers() throws Exception {
        try (SocketChannel silent = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            silent.connect(UnixDomainSocketAddress.of(socket));
            silent.write(java.nio.ByteBuffer.wrap(new byte[] {'W', 'A'}));
            assertEquals(7, ask(new ByteArrayOutputStream(), "x", "7").status(), "served meanwhile");
            long start = System.nanoTime();
            assertEquals(-1, Channels.newInputStream(silent).read(), "closed by the daemon after its timeout");
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20));
        }
    }

    @Test
    void shutdownStopsAcceptingLetsAcceptedWorkFinishAndRemovesTheSocket() throws Exception {
        release = new CountDownLatch(1);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        // the in-flight answer is checked on this thread: an assertion inside a bare Thread would be lost
        CompletableFuture<DaemonClient.Outcome> inFlight = CompletableFuture.supplyAsync(() -> ask(err, "x", "5"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (err.size() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        CompletableFuture<Void> stopper = CompletableFuture.runAsync(() -> {
            try {
                server.shutdown(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("shutdown interrupted", e);
            }
        });
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (Files.exists(socket) && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertFalse(Files.exists(socket), "no new connections once stopping");
        assertFalse(ask(new ByteArrayOutputStream(), "x", "0").answered());
        release.countDown();
        DaemonClient.Outcome answer = inFlight.get(10, TimeUnit.SECONDS);
        assertTrue(answer.answered(), "the accepted request was answered: " + answer.reason());
        assertEquals(5, answer.status(), "the accepted request's own exit status");
        stopper.get(10, TimeUnit.SECONDS);
        assertEquals(1, completed.get(), "the accepted request finished");
    }
}
