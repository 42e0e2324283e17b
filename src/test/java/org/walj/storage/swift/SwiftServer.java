package org.walj.storage.swift;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.walj.testsupport.Orphans;
import org.walj.testsupport.ServerProcess;

/**
 * A real OpenStack Swift for tests: Debian 12's swift-proxy, -account, -container and -object servers and memcached,
 * configured and run by {@code src/test/swift/swift-aio.sh} as a one-node ring with tempauth on 127.0.0.1 and free
 * ports, everything in a temporary directory. One per test JVM, started on first use, stopped by a shutdown hook and
 * recorded with {@link Orphans} (which also stops the script's children) for a JVM that is killed. Where the packages
 * are not installed, tests that need it are aborted (reported as skipped), never passed.
 */
public final class SwiftServer {
    public static final String USER = "test:tester";
    private static final Path SCRIPT = Path.of(System.getProperty("basedir", "."), "src/test/swift/swift-aio.sh");
    private static final List<Path> NEEDED = List.of(Path.of("/usr/bin/swift-proxy-server"),
            Path.of("/usr/bin/swift-object-server"), Path.of("/usr/bin/swift-container-server"),
            Path.of("/usr/bin/swift-account-server"), Path.of("/usr/bin/swift-ring-builder"),
            Path.of("/usr/bin/memcached"));
    private static final ObjectMapper JSON = new ObjectMapper();

    private static SwiftServer shared;

    private final Process process;
    private final int port;
    private final Path dir;
    private final String key;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private SwiftServer(Process process, int port, Path dir, String key) {
        this.process = process;
        this.port = port;
        this.dir = dir;
        this.key = key;
    }

    static boolean installed() {
        return NEEDED.stream().allMatch(Files::isExecutable);
    }

    /** The server shared by every test in this JVM; aborts the calling test where Swift is not installed. */
    public static synchronized SwiftServer shared() {
        Assumptions.assumeTrue(installed(), "OpenStack Swift (swift-proxy, swift-account, swift-container, "
                + "swift-object) or memcached is not installed; .ci/run installs them");
        if (shared == null) {
            shared = start();
            SwiftServer s = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(s::stop));
        }
        return shared;
    }

    private static SwiftServer start() {
        try {
            Path dir = Files.createTempDirectory("walj-swift-");
            byte[] raw = new byte[16];
            new SecureRandom().nextBytes(raw);
            String key = HexFormat.of().formatHex(raw);
            List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toAbsolutePath().toString(),
                    dir.toString()));
            int proxyPort = ServerProcess.freeLoopbackPort();
            command.add(Integer.toString(proxyPort));
            for (int i = 0; i < 4; i++) {
                command.add(Integer.toString(ServerProcess.freeLoopbackPort()));
            }
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("swift-aio.log").toFile());
            pb.environment().put("SWIFT_AIO_KEY", key);
            Process p = pb.start();
            Orphans.child(p.toHandle());
            SwiftServer server = new SwiftServer(p, proxyPort, dir, key);
            // generous: four Python servers and memcached start slowly on a busy machine (90 s was not enough with two
            // test JVMs beside other CPU-bound jobs at a load of 30 on 2 cores)
            server.awaitReady(Duration.ofMinutes(4));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The proxy answers first; a container PUT succeeds only once the account and container servers do too. */
    private void awaitReady(Duration limit) throws IOException {
        Instant end = Instant.now().plus(limit);
        if (ServerProcess.awaitHttpAnswer(process, "Swift", dir.resolve("swift-aio.log"),
                "http://127.0.0.1:" + port + "/healthcheck", limit)) {
            while (Instant.now().isBefore(end) && process.isAlive()) {
                try {
                    createContainer("walj-ready");
                    return;
                } catch (IOException | IllegalStateException notYet) {
                    sleep();
                }
            }
        }
        String log = Files.exists(dir.resolve("swift-aio.log")) ? Files.readString(dir.resolve("swift-aio.log")) : "";
        stop();
        throw new IllegalStateException("Swift did not serve within " + limit + "; its output: " + log);
    }

    private static void sleep() throws IOException {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    public int port() {
        return port;
    }

    /** tempauth's key of {@link #USER}: a made-up secret that must never appear in wal-j's output. */
    public String key() {
        return key;
    }

    /** SWIFT_AUTHURL for this server (tempauth, SWIFT_AUTH_VERSION=1). */
    public String authUrl() {
        return authUrlAt(port);
    }

    /** The same, through another port (a fault proxy in front of this server): tempauth names the storage URL
     * after the Host the client asked, so every later request goes through that port as well. */
    public static String authUrlAt(int port) {
        return "http://127.0.0.1:" + port + "/auth/v1.0";
    }

    public SwiftCredentials credentials() {
        return SwiftCredentials.tempAuth(URI.create(authUrl()), USER, key);
    }

    /** A token and storage URL of {@link #USER}, got from tempauth directly. */
    public SwiftSession session() throws IOException {
        return SwiftAuthenticator.authenticate(http, credentials(), Duration.ofSeconds(30));
    }

    /** Creates the container if it does not exist yet. */
    public void createContainer(String name) throws IOException {
        HttpResponse<Void> r = send("PUT", "/" + name, HttpRequest.BodyPublishers.noBody());
        if (r.statusCode() != 201 && r.statusCode() != 202) {
            throw new IllegalStateException("creating container " + name + " answered HTTP " + r.statusCode());
        }
    }

    /** Deletes an (empty) container; missing is fine. */
    public void deleteContainer(String name) throws IOException {
        send("DELETE", "/" + name, HttpRequest.BodyPublishers.noBody());
    }

    /**
     * A PUT with the given {@code X-Timestamp} (seconds since the epoch, as Swift writes them): an object written by a
     * proxy whose clock is ahead when the time is in the future. {@code query} is added to the path ("" for none).
     */
    public void putStamped(String container, String name, String query, byte[] body, String timestamp)
            throws IOException {
        SwiftSession s = session();
        HttpResponse<Void> r = exchange(HttpRequest.newBuilder(URI.create(s.storageUrl() + "/" + container + "/"
                + SwiftConnection.encodePath(name) + query)).header("X-Auth-Token", s.token())
                .header("X-Timestamp", timestamp).PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("PUT of " + name + " answered HTTP " + r.statusCode());
        }
    }

    /** Every object name in the container that starts with {@code prefix}, as Swift lists them (tests' own view). */
    public List<String> names(String container, String prefix) throws IOException {
        List<String> out = new ArrayList<>();
        String marker = "";
        while (true) {
            SwiftSession s = session();
            HttpResponse<byte[]> r = exchange(HttpRequest.newBuilder(URI.create(s.storageUrl() + "/" + container
                    + "?format=json&prefix=" + SwiftConnection.encodeQuery(prefix) + "&marker="
                    + SwiftConnection.encodeQuery(marker))).header("X-Auth-Token", s.token()).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() == 204) {
                return out;
            }
            if (r.statusCode() != 200) {
                throw new IllegalStateException("listing " + container + " answered HTTP " + r.statusCode());
            }
            JsonNode page = JSON.readTree(r.body());
            if (page.isEmpty()) {
                return out;
            }
            for (JsonNode o : page) {
                marker = o.path("name").asText();
                out.add(marker);
            }
        }
    }

    private HttpResponse<Void> send(String method, String path, HttpRequest.BodyPublisher body) throws IOException {
        SwiftSession s = session();
        return exchange(HttpRequest.newBuilder(URI.create(s.storageUrl() + path)).header("X-Auth-Token", s.token())
                .method(method, body).build(), HttpResponse.BodyHandlers.discarding());
    }

    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException {
        try {
            return http.send(request, handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    public synchronized void stop() {
        ServerProcess.stop(process, dir);
    }
}
