package org.walj.storage.gcs;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.walj.UserException;
import org.walj.settings.Settings;
import org.walj.storage.RetrySettings;
import org.walj.storage.Storage;
import com.google.auth.oauth2.GoogleCredentials;

/**
 * Opens a gs:// prefix (docs/gcs.md) from {@link GcsVariables}. A class apart from the declarations so that the GCS
 * client (~144 jars) is loaded only for gs:// prefixes. The endpoint is Google's unless WALJ_GS_ENDPOINT (or the
 * clients' common STORAGE_EMULATOR_HOST) names another.
 */
public final class GcsOpener {
    private GcsOpener() {
    }

    public static Storage open(String bucket, String pathPrefix, Settings settings) {
        int timeout = settings.value(GcsVariables.REQUEST_TIMEOUT_SECONDS);
        Optional<GcsEndpoint> endpoint = settings.get(GcsVariables.ENDPOINT)
                .or(() -> settings.get(GcsVariables.EMULATOR_HOST));
        Optional<String> file = settings.get(GcsVariables.CREDENTIALS);
        Optional<GoogleCredentials> credentials = file.map(GcsOpener::credentialsFile);
        boolean anonymous = endpoint.isPresent() && file.isEmpty();
        com.google.cloud.storage.Storage client;
        try {
            client = GcsClients.create(Duration.ofSeconds(timeout), endpoint, credentials, anonymous);
        } catch (RuntimeException e) {
            throw new UserException("could not set up Google Cloud Storage credentials",
                    "Application-default credentials were not found or are unusable: " + reason(e) + ".",
                    "Set GOOGLE_APPLICATION_CREDENTIALS to a readable service-account key file, or run on GCE.", e);
        }
        return new GcsStorage(client, bucket, pathPrefix, RetrySettings.policy(settings));
    }

    private static GoogleCredentials credentialsFile(String file) {
        try {
            return GcsClients.credentialsFile(Path.of(file));
        } catch (IOException | InvalidPathException e) {
            String why = e instanceof NoSuchFileException ? "no such file"
                    : e instanceof AccessDeniedException ? "permission denied"
                    : "not a usable credentials file (" + reason(e) + ")";
            throw new UserException("could not set up Google Cloud Storage credentials from "
                    + "GOOGLE_APPLICATION_CREDENTIALS=" + file + ": " + why, null,
                    "Point GOOGLE_APPLICATION_CREDENTIALS at a readable service-account key file (JSON).", e);
        }
    }

    /** The innermost cause's message: the client wraps "file not found" or a JSON error in two layers. */
    private static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return line.length() <= 200 ? line : line.substring(0, 200) + "…";
    }
}
