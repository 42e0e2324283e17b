package org.walj.backup;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.walj.storage.RetryPolicy;
import org.walj.storage.Storage;
import org.walj.storage.s3.Credentials;
import org.walj.storage.s3.Encryption;
import org.walj.storage.s3.S3Endpoint;
import org.walj.storage.s3.S3ProxyServer;
import org.walj.storage.s3.S3Settings;
import org.walj.storage.s3.S3Storage;

/**
 * {@link BackupVerifyTest} against a real S3 server (S3Proxy over HTTP, {@link S3ProxyServer}): the manifest is found
 * by a prefix listing, the WAL by one listing per log number, as on any bucket.
 */
class BackupVerifyS3Test extends BackupVerifyTest {
    private static final String BUCKET = "walj-verify";
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    @Override
    Storage newEmptyStorage() {
        S3ProxyServer server = S3ProxyServer.shared();
        server.createBucket(BUCKET);
        String pathPrefix = "verify/run-" + ProcessHandle.current().pid() + "-" + PREFIXES.incrementAndGet() + "/";
        return new S3Storage(new S3Settings(BUCKET, pathPrefix, Optional.empty(),
                Optional.of(S3Endpoint.parse(server.waleEndpoint())),
                new Credentials.Static(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY, Optional.empty()),
                new Encryption.Aes256(), "STANDARD", S3Settings.MIN_PART_SIZE, 3, Duration.ofSeconds(10),
                RetryPolicy.DEFAULT));
    }
}
