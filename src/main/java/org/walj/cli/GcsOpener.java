package org.walj.cli;

import java.time.Duration;

import org.walj.UserException;
import org.walj.layout.StoragePrefix;
import org.walj.storage.Storage;
import org.walj.storage.gcs.GcsClients;
import org.walj.storage.gcs.GcsStorage;

/** Opens a gs:// prefix. A separate class so that the GCS client (~144 jars) is loaded only for gs:// prefixes. */
final class GcsOpener {
    private GcsOpener() {
    }

    static Storage open(StoragePrefix prefix, Environment env) {
        int timeout = NumberVariable.read(env, "WALJ_GS_REQUEST_TIMEOUT_SECONDS", 30, 1, 3600);
        com.google.cloud.storage.Storage client;
        try {
            client = GcsClients.create(Duration.ofSeconds(timeout));
        } catch (RuntimeException e) {
            throw new UserException("could not set up Google Cloud Storage credentials",
                    "Application-default credentials were not found or are unusable: "
                            + e.getClass().getSimpleName() + ".",
                    "Set GOOGLE_APPLICATION_CREDENTIALS to a service-account key file, or run on GCE.", e);
        }
        return new GcsStorage(client, prefix.bucket(), prefix.pathPrefix(), RetryOptions.policy(env));
    }
}
