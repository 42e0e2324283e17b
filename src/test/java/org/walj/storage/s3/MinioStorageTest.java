package org.walj.storage.s3;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.walj.storage.RetryPolicy;
import org.walj.storage.Storage;
import org.walj.storage.StorageContract;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The storage contract against a real MinIO server in Docker. Where no Docker engine is reachable (as on this
 * project's build machines) JUnit reports the class as skipped ("disabledWithoutDocker"), never as passed; S3Proxy
 * ({@link S3StorageTest}) covers the same contract without Docker.
 */
@Testcontainers(disabledWithoutDocker = true)
class MinioStorageTest extends StorageContract {
    private static final String BUCKET = "walj-minio";
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    @Container
    static final MinIOContainer MINIO = new MinIOContainer("minio/minio:RELEASE.2025-09-07T16-13-09Z");

    private static boolean bucketCreated;
    private String pathPrefix;

    @Override
    protected Storage newEmptyStorage() {
        URI endpoint = URI.create(MINIO.getS3URL());
        if (!bucketCreated) {
            try (S3Client admin = S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                    .endpointOverride(endpoint).forcePathStyle(true).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(MINIO.getUserName(), MINIO.getPassword())))
                    .build()) {
                admin.createBucket(b -> b.bucket(BUCKET));
            }
            bucketCreated = true;
        }
        pathPrefix = "contract/" + PREFIXES.incrementAndGet() + "/";
        return new S3Storage(new S3Settings(BUCKET, pathPrefix, Optional.empty(),
                Optional.of(S3Endpoint.parse("http+path://" + endpoint.getHost() + ":" + endpoint.getPort())),
                new Credentials.Static(MINIO.getUserName(), MINIO.getPassword(), Optional.empty()),
                // MinIO without a KMS refuses SSE headers, as Ceph does: the "none" setting
                new Encryption.None(), "STANDARD", S3Settings.MIN_PART_SIZE, 3, Duration.ofSeconds(10),
                RetryPolicy.DEFAULT));
    }

    @Override
    protected String expectedUrl(String key) {
        return "s3://" + BUCKET + "/" + pathPrefix + key;
    }
}
