package org.walj.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.walj.it.harness.S3Store.s3Env;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.walj.it.harness.Compare;
import org.walj.it.harness.ProcessResult;
import org.walj.it.harness.S3Store;
import org.walj.it.harness.Scratch;
import org.walj.it.harness.ScratchExtension;
import org.walj.it.harness.SyntheticSegment;
import org.walj.it.harness.WalJ;
import org.walj.storage.s3.S3ProxyServer;

/**
 * wal-j with {@code WALE_S3_PREFIX} against a real S3 server over HTTP (S3Proxy on 127.0.0.1, started by the test as
 * a separate process), through the installed launcher: objects are byte-identical to the file backend's under
 * WAL-E's key names, and bad settings give one clear line each. PostgreSQL archiving and recovering through S3 is
 * {@link ObjectStoreRoundTripIT}.
 */
@ExtendWith(ScratchExtension.class)
class WalS3IT {
    private static final String BUCKET = S3Store.BUCKET;
    private static final String SEG = "0000000100000000000000B3";

    private S3Store store;
    private S3ProxyServer server;
    private Scratch scratch;
    private WalJ walj;
    private Path pgWal;
    private Map<String, String> env;
    private String pathPrefix;

    @BeforeEach
    void setUp(Scratch scratch) throws IOException {
        this.scratch = scratch;
        store = S3Store.start();
        server = store.server();
        walj = WalJ.install(scratch);
        pgWal = scratch.dir("pg_wal");
        pathPrefix = "it-" + System.nanoTime() + "/";
        env = s3Env("s3://" + BUCKET + "/" + pathPrefix, server.waleEndpoint(), S3ProxyServer.SECRET_KEY);
        SyntheticSegment.write(scratch, pgWal, SEG, 16, 3);
    }

    @Test
    void anS3ObjectIsByteIdenticalToTheFileBackendsUnderWalEsKeyName() throws IOException {
        Path archive = scratch.archive("archive");
        walj.run(Map.of("WALE_FILE_PREFIX", "file://localhost" + archive), "wal-push", pgWal.resolve(SEG).toString())
                .requireSuccess();
        // a doubled slash in the prefix is collapsed, as boto does
        Map<String, String> doubled = new LinkedHashMap<>(env);
        doubled.put("WALE_S3_PREFIX", "s3://" + BUCKET + "/" + pathPrefix.replace("/", "//") + "x/");
        walj.run(doubled, "wal-push", pgWal.resolve(SEG).toString()).requireSuccess();
        String key = pathPrefix + "x/wal_005/" + SEG + ".lzo";
        assertEquals(List.of(key), store.names(pathPrefix));
        assertArrayEquals(Files.readAllBytes(archive.resolve("wal_005/" + SEG + ".lzo")), store.content(key));

        Path restoreDir = scratch.dir("restore");
        walj.run(doubled, "wal-fetch", SEG, restoreDir.resolve("RECOVERYXLOG").toString()).requireSuccess();
        Compare.assertSameBytes(pgWal.resolve(SEG), restoreDir.resolve("RECOVERYXLOG"), "fetched from S3");
        ProcessResult missing = walj.run(doubled, "wal-fetch", "0000000100000000000000FF",
                restoreDir.resolve("X").toString());
        assertEquals(1, missing.exitCode(), "a segment not in S3 is PostgreSQL's end of archive\n" + missing.describe());
    }

    @Test
    void malformedPrefixes() {
        assertClear(walj.run(s3Env("s3:/x", server.waleEndpoint(), S3ProxyServer.SECRET_KEY), "wal-push",
                pgWal.resolve(SEG).toString()), 1, "invalid storage prefix");
        assertClear(walj.run(s3Env("s3:///path/only", server.waleEndpoint(), S3ProxyServer.SECRET_KEY), "wal-push",
                pgWal.resolve(SEG).toString()), 1, "invalid storage prefix");
        assertClear(walj.run(s3Env("s3://" + BUCKET + "/p", "ftp+path://127.0.0.1:1", S3ProxyServer.SECRET_KEY),
                "wal-push", pgWal.resolve(SEG).toString()), 1, "invalid WALE_S3_ENDPOINT");
    }

    @Test
    void wrongCredentialsNameTheBucketNeverTheSecret() {
        String wrongSecret = "wrong-secret-MUST-NOT-BE-PRINTED";
        ProcessResult r = walj.run(s3Env("s3://" + BUCKET + "/" + pathPrefix, server.waleEndpoint(), wrongSecret),
                "wal-push", pgWal.resolve(SEG).toString());
        assertClear(r, 1, "rejected the credentials for bucket " + BUCKET);
        assertFalse((r.stdout() + r.stderr()).contains(wrongSecret), r.describe());
        assertEquals(List.of(), store.names(pathPrefix));
        ProcessResult fetch = walj.run(s3Env("s3://" + BUCKET + "/" + pathPrefix, server.waleEndpoint(), wrongSecret),
                "wal-fetch", SEG, pgWal.resolve("RECOVERYXLOG").toString());
        assertClear(fetch, 200, "rejected the credentials");
    }

    @Test
    void aMissingBucket() {
        ProcessResult r = walj.run(s3Env("s3://no-such-bucket-walj/p", server.waleEndpoint(), S3ProxyServer.SECRET_KEY),
                "wal-push", pgWal.resolve(SEG).toString());
        assertClear(r, 1, "bucket no-such-bucket-walj does not exist");
        ProcessResult fetch = walj.run(s3Env("s3://no-such-bucket-walj/p", server.waleEndpoint(),
                S3ProxyServer.SECRET_KEY), "wal-fetch", SEG, pgWal.resolve("RECOVERYXLOG").toString());
        assertClear(fetch, 200, "bucket no-such-bucket-walj does not exist");
    }

    @Test
    void anUnreachableEndpointIsRetriedThenFailsClearly() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Map<String, String> e = s3Env("s3://" + BUCKET + "/p", "http+path://127.0.0.1:" + closedPort,
                S3ProxyServer.SECRET_KEY);
        ProcessResult r = walj.run(e, "wal-push", pgWal.resolve(SEG).toString());
        assertClear(r, 1, "cannot connect to the S3 endpoint http://127.0.0.1:" + closedPort);
        assertTrue(r.stderr().contains("retrying after encountering exception"), r.describe());
        ProcessResult fetch = walj.run(e, "wal-fetch", SEG, pgWal.resolve("RECOVERYXLOG").toString());
        assertClear(fetch, 200, "cannot connect to the S3 endpoint");
        assertFalse(Files.exists(pgWal.resolve("RECOVERYXLOG")));
    }

    private static void assertClear(ProcessResult r, int status, String fragment) {
        WalBadInputIT.assertOneClearError(r, status, fragment);
        assertFalse((r.stdout() + r.stderr()).contains(S3ProxyServer.SECRET_KEY), "secret in output\n" + r.describe());
    }
}
