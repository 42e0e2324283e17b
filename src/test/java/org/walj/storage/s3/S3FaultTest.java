package org.walj.storage.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.walj.storage.TestBytes;
import org.walj.storage.FaultProxy;
import org.walj.storage.RetryPolicy;
import org.walj.storage.StorageUnavailableException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 backend through {@link FaultProxy} in front of the real S3 server (S3Proxy): transient faults (drops, 500,
 * 503 SlowDown, stalls, answers cut short) are survived; a persistent one ends in a clear error with nothing under
 * the key and no multipart upload left open.
 */
class S3FaultTest {
    private static final String BUCKET = "walj-faults";

    private S3ProxyServer server;
    private FaultProxy proxy;
    private S3Storage storage;
    private String prefix;

    @BeforeEach
    void setUp() throws Exception {
        server = S3ProxyServer.shared();
        server.createBucket(BUCKET);
        proxy = new FaultProxy(server.port());
        prefix = "faults-" + System.nanoTime() + "/";
        RetryPolicy quick = new RetryPolicy(6, Duration.ofMillis(50), Duration.ofMillis(500), Duration.ofSeconds(30));
        storage = new S3Storage(new S3Settings(BUCKET, prefix, Optional.empty(),
                Optional.of(S3Endpoint.parse("http+path://127.0.0.1:" + proxy.port())),
                new Credentials.Static(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY, Optional.empty()),
                new Encryption.Aes256(), "STANDARD", S3Settings.MIN_PART_SIZE, 2, Duration.ofSeconds(2), quick));
    }

    @AfterEach
    void tearDown() throws Exception {
        storage.close();
        proxy.close();
    }

    @Test
    void aMultipartUploadSurvivesDropsErrorsAndAStall() throws Exception {
        byte[] content = TestBytes.random(12 << 20, 1);
        proxy.inject(new FaultProxy.Status(503, "SlowDown"), new FaultProxy.Drop(),
                new FaultProxy.Status(500, "InternalError"), new FaultProxy.Stall());
        storage.put("basebackups_005/big.tar.lzo", new ByteArrayInputStream(content), null);
        assertTrue(proxy.faultsInjected() >= 4, "faults were injected: " + proxy.faultsInjected());
        try (InputStream in = storage.get("basebackups_005/big.tar.lzo")) {
            assertArrayEquals(content, in.readAllBytes());
        }
    }

    @Test
    void aSinglePutSurvivesTransientFaults() throws Exception {
        byte[] content = TestBytes.random(300_000, 2);
        proxy.inject(new FaultProxy.Drop(), new FaultProxy.Status(503, "SlowDown"));
        storage.put("wal_005/000000010000000000000001.lzo", new ByteArrayInputStream(content), null);
        assertEquals(2, proxy.faultsInjected(), "both faults were met and survived");
        try (InputStream in = storage.get("wal_005/000000010000000000000001.lzo")) {
            assertArrayEquals(content, in.readAllBytes());
        }
    }

    @Test
    void aDownloadCutShortContinuesWhereItStopped() throws Exception {
        byte[] content = TestBytes.random(3 << 20, 3);
        storage.put("wal_005/000000010000000000000002.lzo", new ByteArrayInputStream(content), null);
        proxy.inject(new FaultProxy.CutAnswerAfter(700_000), new FaultProxy.CutAnswerAfter(1_500_000));
        long before = proxy.bytesAnswered();
        try (InputStream in = storage.get("wal_005/000000010000000000000002.lzo")) {
            assertArrayEquals(content, in.readAllBytes());
        }
        assertEquals(2, proxy.faultsInjected());
        // continued, not started over: the object crossed the wire about once (a restart sends 2.2 MB more)
        long sent = proxy.bytesAnswered() - before;
        assertTrue(sent < content.length + 64 * 1024, "bytes sent for a " + content.length + "-byte object: " + sent);
    }

    @Test
    void aPersistentFaultFailsClearlyAndLeavesNothing() throws Exception {
        proxy.always(new FaultProxy.Status(503, "SlowDown"));
        String key = "basebackups_005/doomed.tar.lzo";
        StorageUnavailableException e = assertThrows(StorageUnavailableException.class,
                () -> storage.put(key, new ByteArrayInputStream(TestBytes.random(11 << 20, 4)), null));
        assertTrue(e.getMessage().contains("503 SlowDown"), e.getMessage());
        assertTrue(proxy.faultsInjected() >= 2, "retried before giving up: " + proxy.faultsInjected());
        assertTrue(e.getMessage().contains("s3://" + BUCKET + "/" + prefix + key), e.getMessage());
        proxy.always(new FaultProxy.Pass());
        assertEquals(Optional.empty(), storage.stat(key));
        try (S3Client admin = server.adminClient()) {
            assertEquals(List.of(), admin.listObjectsV2(b -> b.bucket(BUCKET).prefix(prefix)).contents());
        }
    }

    @Test
    void aContentFailureAfterSomePartsAbortsTheMultipartUpload() throws Exception {
        IOException boom = new IOException("compressor died");
        InputStream content = new SequenceInputStream(new ByteArrayInputStream(TestBytes.random(7 << 20, 5)), new InputStream() {
            @Override
            public int read() throws IOException {
                throw boom;
            }
        });
        proxy.inject(new FaultProxy.Status(503, "SlowDown")); // a transient fault on the way (part or abort)
        IOException thrown = assertThrows(IOException.class,
                () -> storage.put("basebackups_005/abort.tar.lzo", content, null));
        assertSame(boom, thrown);
        assertEquals(1, proxy.faultsInjected(), "the transient fault was met on the way");
        try (S3Client admin = server.adminClient()) {
            assertEquals(List.of(), admin.listObjectsV2(b -> b.bucket(BUCKET).prefix(prefix)).contents());
            assertEquals(List.of(), admin.listMultipartUploads(b -> b.bucket(BUCKET).prefix(prefix)).uploads(),
                    "no multipart upload left open");
        }
    }
}
