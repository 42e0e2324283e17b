package org.walj.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

/** A {@link DaemonServer} bound in a private (0700) directory under a test's temporary one, serving on a thread. */
final class ServingDaemon implements AutoCloseable {
    final Path socket;
    final DaemonServer server;
    private final Thread acceptor;

    private ServingDaemon(Path socket, DaemonServer server, Thread acceptor) {
        this.socket = socket;
        this.server = server;
        this.acceptor = acceptor;
    }

    static ServingDaemon start(Path tmp, DaemonServer.Handler handler, Duration requestTimeout) throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("run"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path socket = dir.resolve("d.sock");
        DaemonServer server = new DaemonServer(socket, handler, 2, 2, requestTimeout);
        server.bind();
        Thread acceptor = new Thread(() -> {
            try {
                server.serve();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        acceptor.start();
        return new ServingDaemon(socket, server, acceptor);
    }

    /** Stops it (again, if the test did already) and waits for the serving thread. */
    @Override
    public void close() throws InterruptedException {
        server.shutdown(Duration.ofSeconds(10));
        acceptor.join(10_000);
    }
}
