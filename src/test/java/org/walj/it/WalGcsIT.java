package org.walj.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.walj.it.harness.GcsStore.gsEnv;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.walj.it.harness.Compare;
import org.walj.it.harness.GcsStore;
import org.walj.it.harness.ProcessResult;
import org.walj.it.harness.Scratch;
import org.walj.it.harness.ScratchExtension;
import org.walj.it.harness.SyntheticSegment;
import org.walj.it.harness.WalJ;
import org.walj.storage.gcs.GcsJsonApiStandIn;

/**
 * wal-j with {@code WALE_GS_PREFIX} through the installed launcher against {@link GcsJsonApiStandIn} (a loopback
 * stand-in for the GCS JSON API, started in the test JVM and reached by the wal-j processes over HTTP through
 * {@code WALJ_GS_ENDPOINT}). Credentials are a real service-account key file whose token endpoint is the stand-in,
 * which checks the RS256 signature and then demands the token it issued on every request. Objects carry WAL-E's
 * leading-slash names and the file backend's bytes; bad settings give one clear line each. PostgreSQL archiving
 * and recovering through GCS is {@link ObjectStoreRoundTripIT}.
 */
@ExtendWith(ScratchExtension.class)
class WalGcsIT {
    private static final String BUCKET = GcsStore.BUCKET;
    private static final String SEG = "0000000100000000000000B3";

    private GcsStore store;
    private GcsJsonApiStandIn gcs;
    private Scratch scratch;
    private WalJ walj;
    private Path pgWal;
    private Path keyFile;
    private Map<String, String> env;
    private String pathPrefix;

    @BeforeEach
    void setUp(Scratch scratch) throws Exception {
        this.scratch = scratch;
        store = GcsStore.start(scratch);
        gcs = store.server();
        keyFile = store.keyFile();
        walj = WalJ.install(scratch);
        pgWal = scratch.dir("pg_wal");
        pathPrefix = "it-" + System.nanoTime() + "/";
        env = gsEnv("gs://" + BUCKET + "/" + pathPrefix, gcs.endpoint(), keyFile);
        SyntheticSegment.write(scratch, pgWal, SEG, 16, 3);
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    @Test
    void aGcsObjectIsByteIdenticalToTheFileBackendsUnderWalEsLeadingSlashName() throws IOException {
        Path archive = scratch.archive("archive");
        walj.run(Map.of("WALE_FILE_PREFIX", "file://localhost" + archive), "wal-push", pgWal.resolve(SEG).toString())
                .requireSuccess();
        walj.run(env, "wal-push", pgWal.resolve(SEG).toString()).requireSuccess();
        String name = "/" + pathPrefix + "wal_005/" + SEG + ".lzo";
        assertEquals(List.of(name), store.names(pathPrefix));
        assertArrayEquals(Files.readAllBytes(archive.resolve("wal_005/" + SEG + ".lzo")), gcs.content(BUCKET, name));

        Path restoreDir = scratch.dir("restore");
        walj.run(env, "wal-fetch", SEG, restoreDir.resolve("RECOVERYXLOG").toString()).requireSuccess();
        Compare.assertSameBytes(pgWal.resolve(SEG), restoreDir.resolve("RECOVERYXLOG"), "fetched from GCS");
        ProcessResult missing = walj.run(env, "wal-fetch", "0000000100000000000000FF",
                restoreDir.resolve("X").toString());
        assertEquals(1, missing.exitCode(), "a segment not in GCS is PostgreSQL's end of archive\n" + missing.describe());

        // the bucket root as prefix gives /wal_005/..., as WAL-E names it
        Map<String, String> root = new LinkedHashMap<>(env);
        root.put("WALE_GS_PREFIX", "gs://" + BUCKET);
        walj.run(root, "wal-push", pgWal.resolve(SEG).toString()).requireSuccess();
        assertTrue(gcs.names(BUCKET).contains("/wal_005/" + SEG + ".lzo"), gcs.names(BUCKET).toString());
    }

    @Test
    void malformedSettings() {
        assertClear(walj.run(gsEnv("gs:/x", gcs.endpoint(), keyFile), "wal-push", pgWal.resolve(SEG).toString()), 1,
                "invalid storage prefix");
        assertClear(walj.run(gsEnv("gs:///path/only", gcs.endpoint(), keyFile), "wal-push",
                pgWal.resolve(SEG).toString()), 1, "invalid storage prefix");
        assertClear(walj.run(gsEnv("gs://" + BUCKET + "/p", "ftp://127.0.0.1:1", keyFile), "wal-push",
                pgWal.resolve(SEG).toString()), 1, "invalid WALJ_GS_ENDPOINT");
    }

    @Test
    void aMissingBucket() {
        Map<String, String> e = gsEnv("gs://no-such-bucket-walj/p", gcs.endpoint(), keyFile);
        assertClear(walj.run(e, "wal-push", pgWal.resolve(SEG).toString()), 1, "bucket no-such-bucket-walj does not exist");
        assertClear(walj.run(e, "wal-fetch", SEG, pgWal.resolve("RECOVERYXLOG").toString()), 200,
                "bucket no-such-bucket-walj does not exist");
    }

    @Test
    void anUnreachableEndpointIsRetriedThenFailsClearly() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Map<String, String> e = gsEnv("gs://" + BUCKET + "/p", "http://127.0.0.1:" + closedPort, keyFile);
        ProcessResult r = walj.run(e, "wal-push", pgWal.resolve(SEG).toString());
        assertClear(r, 1, "cannot connect to the Google Cloud Storage endpoint");
        assertTrue(r.stderr().contains("retrying after encountering exception"), r.describe());
        assertClear(walj.run(e, "wal-fetch", SEG, pgWal.resolve("RECOVERYXLOG").toString()), 200,
                "cannot connect to the Google Cloud Storage endpoint");
        assertFalse(Files.exists(pgWal.resolve("RECOVERYXLOG")));
    }

    @Test
    void badCredentialsFiles() throws Exception {
        Path garbage = scratch.file("gcs/garbage.json");
        Files.writeString(garbage, "this is not JSON");
        scratch.user().own(garbage);
        assertClear(walj.run(gsEnv("gs://" + BUCKET + "/p", gcs.endpoint(), garbage), "wal-push",
                pgWal.resolve(SEG).toString()), 1, "could not set up Google Cloud Storage credentials");
        assertClear(walj.run(gsEnv("gs://" + BUCKET + "/p", gcs.endpoint(), scratch.root().resolve("gcs/none.json")),
                "wal-push", pgWal.resolve(SEG).toString()), 1, "could not set up Google Cloud Storage credentials");
        // well-formed, but a key the service does not know: the token endpoint refuses it
        Path unknown = store.serviceAccountKey("unknown.json", GcsStore.rsa());
        ProcessResult r = walj.run(gsEnv("gs://" + BUCKET + "/" + pathPrefix, gcs.endpoint(), unknown), "wal-push",
                pgWal.resolve(SEG).toString());
        assertClear(r, 1, "rejected the credentials");
        assertFalse(r.stderr().contains("PRIVATE KEY"), r.describe());
        assertEquals(List.of(), store.names(pathPrefix));
        assertClear(walj.run(gsEnv("gs://" + BUCKET + "/" + pathPrefix, gcs.endpoint(), unknown), "wal-fetch", SEG,
                pgWal.resolve("RECOVERYXLOG").toString()), 200, "rejected the credentials");
    }

    private static void assertClear(ProcessResult r, int status, String fragment) {
        WalBadInputIT.assertOneClearError(r, status, fragment);
        assertFalse((r.stdout() + r.stderr()).contains("PRIVATE KEY"), "key in output\n" + r.describe());
    }
}
