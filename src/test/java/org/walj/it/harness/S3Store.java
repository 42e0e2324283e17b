package org.walj.it.harness;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.walj.storage.s3.S3ProxyServer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** S3 in the ITs: the JVM's shared S3Proxy, a real S3 server over HTTP, with the test bucket. */
public final class S3Store implements ObjectStore {
    public static final String BUCKET = "walj-it";

    private final S3ProxyServer server;

    private S3Store(S3ProxyServer server) {
        this.server = server;
    }

    public static S3Store start() {
        S3ProxyServer server = S3ProxyServer.shared();
        server.createBucket(BUCKET);
        return new S3Store(server);
    }

    public S3ProxyServer server() {
        return server;
    }

    /** wal-j's settings for {@code prefix} at {@code endpoint} with the server's access key and {@code secret}. */
    public static Map<String, String> s3Env(String prefix, String endpoint, String secret) {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("WALE_S3_PREFIX", prefix);
        e.put("WALE_S3_ENDPOINT", endpoint);
        e.put("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY);
        e.put("AWS_SECRET_ACCESS_KEY", secret);
        // keep the failing cases short; the defaults are for production (docs/s3.md)
        e.put("WALJ_RETRY_DEADLINE_SECONDS", "3");
        return e;
    }

    @Override
    public Map<String, String> archiveEnv(String pathPrefix) {
        Map<String, String> e =
                s3Env("s3://" + BUCKET + "/" + pathPrefix, server.waleEndpoint(), S3ProxyServer.SECRET_KEY);
        e.remove("WALJ_RETRY_DEADLINE_SECONDS");
        return e;
    }

    @Override
    public List<String> names(String pathPrefix) {
        try (S3Client c = server.adminClient()) {
            return c.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(pathPrefix)).contents().stream()
                    .map(S3Object::key).sorted().toList();
        }
    }

    public byte[] content(String key) {
        try (S3Client c = server.adminClient()) {
            return c.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
        }
    }

    @Override
    public String objectName(String pathPrefix, String key) {
        return pathPrefix + key;
    }

    /** Leaves the shared server running for the next test; its JVM's shutdown hook stops it. */
    @Override
    public void close() {
    }
}
