package org.walj.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.walj.UserException;
import org.walj.layout.StoragePrefix;
import org.walj.storage.Storage;
import org.walj.storage.gcs.GcsClients;
import org.walj.storage.gcs.GcsEndpoint;
import org.walj.storage.gcs.GcsStorage;
import com.google.auth.oauth2.GoogleCredentials;

/**
 * Opens a gs:// prefix (docs/gcs.md). A separate class so that the GCS client (~144 jars) is loaded only for gs://
 * prefixes. The endpoint is Google's unless WALJ_GS_ENDPOINT (or the clients' common STORAGE_EMULATOR_HOST) names
 * another.
 */
final class GcsOpener {
    private GcsOpener() {
    }

    static Storage open(StoragePrefix prefix, Environment env) {
        int timeout = NumberVariable.read(env, "WALJ_GS_REQUEST_TIMEOUT_SECONDS", 30, 1, 3600);
        Optional<GcsEndpoint> endpoint = endpoint(env, "WALJ_GS_ENDPOINT")
                .or(() -> endpoint(env, "STORAGE_EMULATOR_HOST"));
        Optional<String> file = env.get("GOOGLE_APPLICATION_CREDENTIALS");
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
        return new GcsStorage(client, prefix.bucket(), prefix.pathPrefix(), RetryOptions.policy(env));
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

    private static Optional<GcsEndpoint> endpoint(Environment env, String variable) {
        return env.get(variable).map(value -> {
            try {
                return GcsEndpoint.parse(value);
            } catch (IllegalArgumentException e) {
                throw new UserException("invalid " + variable + ": " + e.getMessage(), null,
                        "Give the endpoint as http://host:port or https://host:port.");
            }
        });
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
