package org.walj.storage.gcs;

import java.time.Duration;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.walj.storage.RetryPolicy;
import org.walj.storage.Storage;
import org.walj.storage.StorageContract;

/**
 * The storage contract against a real GCS bucket, with application-default credentials. Runs only when
 * WALJ_TEST_GCS_BUCKET names a bucket the credentials (GOOGLE_APPLICATION_CREDENTIALS or ADC) may write; otherwise
 * JUnit reports it skipped with that reason, never passed. Each test writes under its own prefix and deletes it.
 */
@EnabledIfEnvironmentVariable(named = "WALJ_TEST_GCS_BUCKET", matches = ".+",
        disabledReason = "set WALJ_TEST_GCS_BUCKET (and GOOGLE_APPLICATION_CREDENTIALS) to run against a real bucket")
class GcsRealBucketTest extends StorageContract {
    private String pathPrefix;
    private GcsStorage opened;

    @Override
    protected Storage newEmptyStorage() {
        pathPrefix = "walj-test/" + System.nanoTime() + "/";
        opened = new GcsStorage(GcsClients.create(Duration.ofSeconds(30)), System.getenv("WALJ_TEST_GCS_BUCKET"),
                pathPrefix, RetryPolicy.DEFAULT);
        return opened;
    }

    @Override
    protected String expectedUrl(String key) {
        return "gs://" + System.getenv("WALJ_TEST_GCS_BUCKET") + "/" + pathPrefix + key;
    }

    @org.junit.jupiter.api.AfterEach
    void cleanUp() throws Exception {
        if (opened != null) {
            opened.delete(opened.list("").stream().map(i -> i.key()).toList());
        }
    }
}
