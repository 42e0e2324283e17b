package org.walj.storage.gcs;

import java.time.Duration;
import java.util.Optional;

import com.google.api.gax.retrying.RetrySettings;
import com.google.cloud.NoCredentials;
import com.google.cloud.http.HttpTransportOptions;
import com.google.cloud.storage.StorageOptions;

/**
 * The GCS client with per-request timeouts and its own retries off ({@link org.walj.storage.Retrier} retries and
 * logs). Credentials are application-default (GOOGLE_APPLICATION_CREDENTIALS, gcloud's ADC file, the GCE metadata
 * server, as WAL-E's {@code google.auth.default()}), except that an endpoint override without a credentials file
 * is spoken to anonymously, as Google's Python client does for STORAGE_EMULATOR_HOST: emulators take no tokens, and
 * looking for a metadata server there would only add a timeout.
 */
public final class GcsClients {
    /** Project id sent with anonymous access; GCS needs one only for bucket-level calls wal-j never makes. */
    private static final String ANONYMOUS_PROJECT = "walj-anonymous";

    private GcsClients() {
    }

    public static com.google.cloud.storage.Storage create(Duration requestTimeout) {
        return create(requestTimeout, Optional.empty(), false);
    }

    public static com.google.cloud.storage.Storage create(Duration requestTimeout, Optional<GcsEndpoint> endpoint,
            boolean anonymous) {
        StorageOptions.Builder options = StorageOptions.newBuilder()
                .setTransportOptions(HttpTransportOptions.newBuilder()
                        .setConnectTimeout(5_000)
                        .setReadTimeout((int) requestTimeout.toMillis())
                        .build())
                .setRetrySettings(RetrySettings.newBuilder().setMaxAttempts(1).build());
        endpoint.ifPresent(e -> options.setHost(e.host()));
        if (anonymous) {
            options.setCredentials(NoCredentials.getInstance()).setProjectId(ANONYMOUS_PROJECT);
        }
        return options.build().getService();
    }
}
