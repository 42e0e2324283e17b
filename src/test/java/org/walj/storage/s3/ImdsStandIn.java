package org.walj.storage.s3;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A <b>stand-in</b> for the EC2 instance metadata service (IMDSv2), on loopback, for instance-profile credentials
 * ({@code --aws-instance-profile}, {@code AWS_INSTANCE_PROFILE}) pointed at it through
 * {@code AWS_EC2_METADATA_SERVICE_ENDPOINT}. It answers as AWS documents: {@code PUT /latest/api/token} (with the
 * TTL header) gives a session token; with that token in {@code X-aws-ec2-metadata-token},
 * {@code GET /latest/meta-data/iam/security-credentials/} names the role and {@code .../ROLE} returns the role's
 * temporary key pair as JSON. Requests without the token get 401, as IMDSv2 requires.
 */
public final class ImdsStandIn implements AutoCloseable {
    private static final String ROLE = "walj-test-role";

    private final HttpServer server;
    private final String accessKey;
    private final String secretKey;
    private final String sessionToken = "stand-in-session-" + UUID.randomUUID();
    private final String imdsToken = "imds-" + UUID.randomUUID();
    private final AtomicInteger credentialRequests = new AtomicInteger();

    public ImdsStandIn(String accessKey, String secretKey) throws IOException {
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", this::handle);
        server.start();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** How many times the role's credentials were handed out. */
    public int credentialRequests() {
        return credentialRequests.get();
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getPath();
            if (x.getRequestMethod().equals("PUT") && path.equals("/latest/api/token")) {
                if (x.getRequestHeaders().getFirst("X-aws-ec2-metadata-token-ttl-seconds") == null) {
                    send(x, 400, "missing TTL");
                    return;
                }
                send(x, 200, imdsToken);
                return;
            }
            if (!imdsToken.equals(x.getRequestHeaders().getFirst("X-aws-ec2-metadata-token"))) {
                send(x, 401, "");
                return;
            }
            String base = "/latest/meta-data/iam/security-credentials/";
            if (path.equals(base)) {
                send(x, 200, ROLE);
            } else if (path.equals(base + ROLE)) {
                credentialRequests.incrementAndGet();
                Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
                send(x, 200, "{\"Code\":\"Success\",\"LastUpdated\":\"" + now + "\",\"Type\":\"AWS-HMAC\","
                        + "\"AccessKeyId\":\"" + accessKey + "\",\"SecretAccessKey\":\"" + secretKey + "\","
                        + "\"Token\":\"" + sessionToken + "\",\"Expiration\":\"" + now.plus(6, ChronoUnit.HOURS)
                        + "\"}");
            } else {
                send(x, 404, "");
            }
        }
    }

    private static void send(HttpExchange x, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            try (OutputStream out = x.getResponseBody()) {
                out.write(b);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
