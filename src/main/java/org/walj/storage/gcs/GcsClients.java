package org.walj.storage.gcs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import com.google.api.gax.retrying.RetrySettings;
import com.google.auth.oauth2.GoogleCredentials;
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
        return create(requestTimeout, Optional.empty(), Optional.empty(), false);
    }

    /**
     * Reads a credentials file (service-account key or gcloud's authorized-user file) now, so that an unreadable or
     * malformed one is reported as such instead of surfacing later as "401 rejected" (the client would fall back
     * to anonymous access).
     */
    public static GoogleCredentials credentialsFile(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return GoogleCredentials.fromStream(in);
        } catch (RuntimeException e) {
            throw new IOException(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
        }
    }

    /**
     * @param credentials a file's credentials ({@link #credentialsFile}); empty: application-default, or none when
     *                    {@code anonymous}
     */
    public static com.google.cloud.storage.Storage create(Duration requestTimeout, Optional<GcsEndpoint> endpoint,
            Optional<GoogleCredentials> credentials, boolean anonymous) {
        StorageOptions.Builder options = StorageOptions.newBuilder()
                .setTransportOptions(HttpTransportOptions.newBuilder()
                        .setConnectTimeout(5_000)
                        .setReadTimeout((int) requestTimeout.toMillis())
                        .build())
                .setRetrySettings(RetrySettings.newBuilder().setMaxAttempts(1).build());
        endpoint.ifPresent(e -> options.setHost(e.host()));
        credentials.ifPresent(options::setCredentials);
        if (credentials.isEmpty() && anonymous) {
            options.setCredentials(NoCredentials.getInstance()).setProjectId(ANONYMOUS_PROJECT);
        }
        return options.build().getService();
    }
}
