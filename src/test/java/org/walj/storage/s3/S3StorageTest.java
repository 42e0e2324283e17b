package org.walj.storage.s3;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.walj.storage.RetryPolicy;
import org.walj.storage.Storage;
import org.walj.storage.StorageContract;

/**
 * The storage contract against a real S3 server over HTTP (S3Proxy on 127.0.0.1, {@link S3ProxyServer}) through the
 * real SDK. Each test gets a fresh path prefix in one bucket. The part size is the smallest S3 allows (5 MiB), so the
 * contract's larger objects go through multipart uploads.
 */
class S3StorageTest extends StorageContract {
    static final String BUCKET = "walj-contract";
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    private String pathPrefix;

    static S3Settings settings(S3ProxyServer server, String bucket, String pathPrefix, RetryPolicy retry) {
        return new S3Settings(bucket, pathPrefix, Optional.empty(),
                Optional.of(S3Endpoint.parse(server.waleEndpoint())),
                new Credentials.Static(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY, Optional.empty()),
                new Encryption.Aes256(), "STANDARD", S3Settings.MIN_PART_SIZE, 3, Duration.ofSeconds(10), retry);
    }

    @Override
    protected Storage newEmptyStorage() {
        S3ProxyServer server = S3ProxyServer.shared();
        server.createBucket(BUCKET);
        pathPrefix = "contract/run-" + ProcessHandle.current().pid() + "-" + PREFIXES.incrementAndGet() + "/";
        return new S3Storage(settings(server, BUCKET, pathPrefix, RetryPolicy.DEFAULT));
    }

    @Override
    protected String expectedUrl(String key) {
        return "s3://" + BUCKET + "/" + pathPrefix + key;
    }
}
