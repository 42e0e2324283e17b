package org.walj.storage.azure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.sas.BlobContainerSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import com.azure.storage.common.StorageSharedKeyCredential;
import org.junit.jupiter.api.Assumptions;
import org.walj.testsupport.Orphans;
import org.walj.testsupport.ServerProcess;

/**
 * A real Azure Blob Storage server for tests: Azurite's blob service (npm package {@code azurite}, installed by
 * .ci/run into /opt/walj-azurite) run as a separate process on 127.0.0.1 and a free port, its data in a temporary directory, telemetry off,
 * with one account of its own whose key is made up per run. One per test JVM, started on first use, stopped by a
 * shutdown hook and recorded with {@link Orphans} for a JVM that is killed. Where Azurite is not installed, tests
 * that need it are aborted (reported as skipped), never passed.
 */
public final class AzuriteServer {
    public static final String ACCOUNT = "waljtest";
    private static final Path DEFAULT_INSTALL = Path.of("/opt/walj-azurite/node_modules/.bin/azurite-blob");

    private static AzuriteServer shared;

    private final Process process;
    private final int port;
    private final Path dir;
    private final String key;

    private AzuriteServer(Process process, int port, Path dir, String key) {
        this.process = process;
        this.port = port;
        this.dir = dir;
        this.key = key;
    }

    /** The executable, or empty where Azurite is not installed. */
    static Optional<Path> executable() {
        String configured = System.getProperty("walj.azurite.blob");
        if (configured != null && !configured.isEmpty()) {
            return Optional.of(Path.of(configured)).filter(Files::isExecutable);
        }
        if (Files.isExecutable(DEFAULT_INSTALL)) {
            return Optional.of(DEFAULT_INSTALL);
        }
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .filter(d -> !d.isEmpty())
                .map(d -> Path.of(d, "azurite-blob"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** The server shared by every test in this JVM; aborts the calling test where Azurite is absent. */
    public static synchronized AzuriteServer shared() {
        Optional<Path> exe = executable();
        Assumptions.assumeTrue(exe.isPresent(), "Azurite (azurite-blob) is not installed; .ci/run installs it");
        if (shared == null) {
            shared = start(exe.get());
            AzuriteServer s = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(s::stop));
        }
        return shared;
    }

    private static AzuriteServer start(Path exe) {
        try {
            Path dir = Files.createTempDirectory("walj-azurite-");
            byte[] raw = new byte[64];
            new SecureRandom().nextBytes(raw);
            String key = Base64.getEncoder().encodeToString(raw);
            int port = ServerProcess.freeLoopbackPort();
            ProcessBuilder pb = new ProcessBuilder(List.of(exe.toString(), "--blobHost", "127.0.0.1",
                    "--blobPort", Integer.toString(port), "--location", dir.toString(),
                    "--disableTelemetry", "--skipApiVersionCheck", "--loose", "--silent"))
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("azurite.log").toFile());
            pb.environment().put("AZURITE_ACCOUNTS", ACCOUNT + ":" + key);
            Process p = pb.start();
            Orphans.child(p.toHandle());
            AzuriteServer server = new AzuriteServer(p, port, dir, key);
            server.awaitReady(Duration.ofMinutes(3)); // generous: a busy machine, two test JVMs
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady(Duration limit) throws IOException {
        if (ServerProcess.awaitHttpAnswer(process, "Azurite", dir.resolve("azurite.log"), endpoint() + "?comp=list",
                limit)) {
            return;
        }
        stop();
        throw new IllegalStateException("Azurite did not answer within " + limit + "; log in " + dir);
    }

    public int port() {
        return port;
    }

    /** The account's key: a made-up secret that must never appear in wal-j's output. */
    public String key() {
        return key;
    }

    /** WALJ_WABS_ENDPOINT for this server: Azurite serves the account under a path. */
    public String endpoint() {
        return "http://127.0.0.1:" + port + "/" + ACCOUNT;
    }

    /** The same, through another port (a fault proxy in front of this server). */
    public static String endpointAt(int port) {
        return "http://127.0.0.1:" + port + "/" + ACCOUNT;
    }

    /** A plain SDK client for the tests' own set-up and inspection. */
    public BlobServiceClient adminClient() {
        return new BlobServiceClientBuilder().endpoint(endpoint())
                .credential(new StorageSharedKeyCredential(ACCOUNT, key)).buildClient();
    }

    /** Creates the container if it does not exist yet. */
    public BlobContainerClient createContainer(String name) {
        BlobContainerClient c = adminClient().getBlobContainerClient(name);
        c.createIfNotExists();
        return c;
    }

    /** A SAS token for the container, valid for an hour, with read, write, list and delete rights. */
    public String containerSas(String name) {
        BlobContainerSasPermission rights = new BlobContainerSasPermission().setReadPermission(true)
                .setWritePermission(true).setCreatePermission(true).setListPermission(true).setDeletePermission(true)
                .setAddPermission(true);
        return adminClient().getBlobContainerClient(name).generateSas(
                new BlobServiceSasSignatureValues(OffsetDateTime.now().plusHours(1), rights));
    }

    public synchronized void stop() {
        ServerProcess.stop(process, dir);
    }
}
