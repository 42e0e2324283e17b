package org.walj.storage.gcs;

import java.util.concurrent.atomic.AtomicInteger;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.walj.storage.RetryPolicy;
import org.walj.storage.Storage;
import org.walj.storage.StorageContract;
import com.google.cloud.NoCredentials;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.StorageOptions;

/**
 * The storage contract against fake-gcs-server (a GCS emulator speaking the JSON API over HTTP) in Docker. Where no
 * Docker engine is reachable (as on this project's machines) JUnit reports it skipped ("disabledWithoutDocker"),
 * never passed.
 */
@Testcontainers(disabledWithoutDocker = true)
class GcsFakeServerTest extends StorageContract {
    private static final String BUCKET = "walj-fake-gcs";
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    @Container
    static final GenericContainer<?> FAKE_GCS = new GenericContainer<>("fsouza/fake-gcs-server:1.52.2")
            .withCommand("-scheme", "http", "-port", "4443")
            .withExposedPorts(4443);

    private static boolean bucketCreated;
    private String pathPrefix;

    @Override
    protected Storage newEmptyStorage() {
        com.google.cloud.storage.Storage client = StorageOptions.newBuilder()
                .setHost("http://" + FAKE_GCS.getHost() + ":" + FAKE_GCS.getMappedPort(4443))
                .setProjectId("walj-test")
                .setCredentials(NoCredentials.getInstance())
                .build().getService();
        if (!bucketCreated) {
            client.create(BucketInfo.of(BUCKET));
            bucketCreated = true;
        }
        pathPrefix = "pitr/" + PREFIXES.incrementAndGet() + "/";
        return new GcsStorage(client, BUCKET, pathPrefix, RetryPolicy.DEFAULT);
    }

    @Override
    protected String expectedUrl(String key) {
        return "gs://" + BUCKET + "/" + pathPrefix + key;
    }
}
