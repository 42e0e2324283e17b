package org.walj.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.walj.storage.gcs.GcsJsonApiStandIn;

/**
 * GCS in the ITs: a {@link GcsJsonApiStandIn} of this test with the test bucket, demanding authorization, and a
 * real service-account key file whose token endpoint is the stand-in.
 */
public final class GcsStore implements ObjectStore {
    public static final String BUCKET = "walj-it";
    private static final String CLIENT_EMAIL = "walj-it@walj-test.iam.gserviceaccount.com";

    private final GcsJsonApiStandIn gcs;
    private final Scratch scratch;
    private final Path keyFile;

    private GcsStore(GcsJsonApiStandIn gcs, Scratch scratch, KeyPair key) {
        this.gcs = gcs;
        this.scratch = scratch;
        this.keyFile = serviceAccountKey("key.json", key);
    }

    public static GcsStore start(Scratch scratch) throws IOException {
        GcsJsonApiStandIn gcs = new GcsJsonApiStandIn();
        gcs.createBucket(BUCKET);
        gcs.requireAuthorization(true);
        KeyPair key = rsa();
        gcs.registerServiceAccount(CLIENT_EMAIL, key.getPublic());
        return new GcsStore(gcs, scratch, key);
    }

    public GcsJsonApiStandIn server() {
        return gcs;
    }

    /** The key file of the service account the stand-in knows. */
    public Path keyFile() {
        return keyFile;
    }

    public static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A service-account key file as the Cloud console writes it, with the stand-in as its token endpoint. */
    public Path serviceAccountKey(String name, KeyPair key) {
        String pem = "-----BEGIN PRIVATE KEY-----\\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getPrivate().getEncoded())
                        .replace("\n", "\\n")
                + "\\n-----END PRIVATE KEY-----\\n";
        String json = "{\"type\": \"service_account\", \"project_id\": \"walj-test\", \"private_key_id\": \"k1\","
                + " \"private_key\": \"" + pem + "\", \"client_email\": \"" + CLIENT_EMAIL + "\","
                + " \"client_id\": \"1\", \"token_uri\": \"" + gcs.endpoint() + "/token\"}";
        Path file = scratch.file("gcs/" + name);
        try {
            Files.writeString(file, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        scratch.user().own(file);
        return file;
    }

    /** wal-j's settings for {@code prefix} at {@code endpoint} with the key file {@code credentials}. */
    public static Map<String, String> gsEnv(String prefix, String endpoint, Path credentials) {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("WALE_GS_PREFIX", prefix);
        e.put("WALJ_GS_ENDPOINT", endpoint);
        e.put("GOOGLE_APPLICATION_CREDENTIALS", credentials.toString());
        // keep the failing cases short; the defaults are for production (docs/s3.md, "Retries")
        e.put("WALJ_RETRY_DEADLINE_SECONDS", "3");
        return e;
    }

    @Override
    public Map<String, String> archiveEnv(String pathPrefix) {
        Map<String, String> e = gsEnv("gs://" + BUCKET + "/" + pathPrefix, gcs.endpoint(), keyFile);
        e.remove("WALJ_RETRY_DEADLINE_SECONDS");
        return e;
    }

    @Override
    public List<String> names(String pathPrefix) {
        return gcs.names(BUCKET).stream().filter(n -> n.startsWith("/" + pathPrefix)).toList();
    }

    @Override
    public String objectName(String pathPrefix, String key) {
        return "/" + pathPrefix + key;
    }

    @Override
    public void close() {
        gcs.close();
    }
}
