package org.walj.storage.s3;

import org.walj.testsupport.Orphans;
import org.walj.testsupport.ServerProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 server for tests: S3Proxy (copied by Maven to {@code target/s3proxy.jar}) run as a separate
 * {@code java -jar} process on 127.0.0.1 with its filesystem-nio2 backend in a temporary directory, SigV2/V4
 * authentication and unknown headers (such as WAL-E's SSE header) ignored. One per test JVM, started on first use,
 * stopped by a shutdown hook.
 */
public final class S3ProxyServer {
    public static final String ACCESS_KEY = "walj-test-access-key";
    public static final String SECRET_KEY = "walj-test-secret-KEEP-OUT-OF-LOGS";

    private static S3ProxyServer shared;

    private final Process process;
    private final int port;
    private final Path dir;

    private S3ProxyServer(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /** The server shared by every test in this JVM. */
    public static synchronized S3ProxyServer shared() {
        if (shared == null) {
            shared = start();
            S3ProxyServer s = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(s::stop));
        }
        return shared;
    }

    private static S3ProxyServer start() {
        try {
            Path jar = Path.of(System.getProperty("walj.s3proxy.jar", "target/s3proxy.jar")).toAbsolutePath();
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " is missing: run the tests through Maven (./mvnw verify), "
                        + "whose dependency plugin copies org.gaul:s3proxy there");
            }
            Path dir = Files.createTempDirectory("walj-s3proxy-");
            Path data = Files.createDirectory(dir.resolve("data"));
            int port = ServerProcess.freeLoopbackPort();
            Path properties = dir.resolve("s3proxy.properties");
            Files.writeString(properties, String.join("\n",
                    "s3proxy.endpoint=http://127.0.0.1:" + port,
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + ACCESS_KEY,
                    "s3proxy.credential=" + SECRET_KEY,
                    "s3proxy.ignore-unknown-headers=true",
                    // S3Proxy reads any Host other than this one as a bucket name (boto's CNAME addressing, WAL-E's
                    // "virtualhost" endpoint style: WalS3VirtualHostIT); requests to 127.0.0.1 stay path-style
                    "s3proxy.virtual-host=127.0.0.1",
                    "jclouds.provider=" + System.getProperty("walj.s3proxy.provider", "transient-nio2"),
                    "jclouds.filesystem.basedir=" + data,
                    "jclouds.identity=unused",
                    "jclouds.credential=unused",
                    ""));
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(List.of(java, "-Xmx512m", "-jar", jar.toString(), "--properties",
                    properties.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("s3proxy.log").toFile())
                    .start();
            Orphans.child(p.toHandle());
            S3ProxyServer server = new S3ProxyServer(p, port, dir);
            server.awaitReady(Duration.ofMinutes(3)); // generous: a busy machine, two test JVMs
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady(Duration limit) throws IOException {
        if (ServerProcess.awaitHttpAnswer(process, "S3Proxy", dir.resolve("s3proxy.log"), endpointUrl() + "/", limit)) {
            return;
        }
        stop();
        throw new IllegalStateException("S3Proxy did not answer within " + limit + "; log in " + dir);
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:PORT} */
    public String endpointUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** WAL-E's WALE_S3_ENDPOINT for this server. */
    public String waleEndpoint() {
        return "http+path://127.0.0.1:" + port;
    }

    /** Where the server keeps bucket {@code bucket}'s objects as files. */
    public Path bucketDirectory(String bucket) {
        return dir.resolve("data").resolve(bucket);
    }

    /** A plain SDK client for the test's own set-up and inspection (creating buckets, looking at raw keys). */
    public S3Client adminClient() {
        return S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(URI.create(endpointUrl()))
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    /** Creates the bucket if it does not exist yet. */
    public void createBucket(String bucket) {
        try (S3Client c = adminClient()) {
            if (c.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(bucket))) {
                c.createBucket(b -> b.bucket(bucket));
            }
        }
    }

    public synchronized void stop() {
        ServerProcess.stop(process, dir);
    }
}
