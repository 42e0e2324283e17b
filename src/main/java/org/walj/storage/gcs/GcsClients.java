package org.walj.storage.gcs;

import java.time.Duration;

import com.google.api.gax.retrying.RetrySettings;
import com.google.cloud.http.HttpTransportOptions;
import com.google.cloud.storage.StorageOptions;

/**
 * The GCS client with application-default credentials (GOOGLE_APPLICATION_CREDENTIALS, gcloud's ADC file, the GCE
 * metadata server, as WAL-E's {@code google.auth.default()}), per-request timeouts, and its own retries off
 * ({@link org.walj.storage.Retrier} retries and logs).
 */
public final class GcsClients {
    private GcsClients() {
    }

    public static com.google.cloud.storage.Storage create(Duration requestTimeout) {
        return StorageOptions.newBuilder()
                .setTransportOptions(HttpTransportOptions.newBuilder()
                        .setConnectTimeout(5_000)
                        .setReadTimeout((int) requestTimeout.toMillis())
                        .build())
                .setRetrySettings(RetrySettings.newBuilder().setMaxAttempts(1).build())
                .build().getService();
    }
}
