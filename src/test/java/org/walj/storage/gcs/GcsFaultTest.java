package org.walj.storage.gcs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
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

/**
 * The GCS backend through {@link FaultProxy} in front of {@link GcsJsonApiStandIn} (a stand-in for the GCS JSON API
 * over real HTTP): dropped connections, 500 and 503 on uploads, lookups, downloads and listings are retried and
 * succeed; a persistent fault ends in a clear error naming the object, with nothing under its name.
 */
class GcsFaultTest {
    private static final String BUCKET = "walj-faults";

    private GcsJsonApiStandIn server;
    private FaultProxy proxy;
    private GcsStorage storage;
    private String prefix;

    @BeforeEach
    void setUp() throws Exception {
        server = new GcsJsonApiStandIn();
        server.createBucket(BUCKET);
        proxy = new FaultProxy(server.port());
        prefix = "faults/";
        RetryPolicy quick = new RetryPolicy(6, Duration.ofMillis(50), Duration.ofMillis(500), Duration.ofSeconds(30));
        storage = new GcsStorage(GcsClients.create(Duration.ofSeconds(2),
                Optional.of(GcsEndpoint.parse("http://127.0.0.1:" + proxy.port())), Optional.empty(), true),
                BUCKET, prefix, quick);
    }

    @AfterEach
    void tearDown() throws Exception {
        storage.close();
        proxy.close();
        server.close();
    }


    @Test
    void aSinglePutSurvivesADropA503AndA500() throws Exception {
        byte[] content = TestBytes.random(300_000, 1);
        proxy.inject(new FaultProxy.Drop(), new FaultProxy.Status(503, "SlowDown"),
                new FaultProxy.Status(500, "InternalError"));
        storage.put("wal_005/000000010000000000000001.lzo", new ByteArrayInputStream(content), null);
        assertEquals(3, proxy.faultsInjected());
        assertArrayEquals(content, TestBytes.read(storage, "wal_005/000000010000000000000001.lzo"));
    }

    @Test
    void lookupsDownloadsAndListingsSurviveTransientFaults() throws Exception {
        byte[] content = TestBytes.random(3 << 20, 2);
        storage.put("wal_005/000000010000000000000002.lzo", new ByteArrayInputStream(content), null);
        // metadata lookup, then the media download, each meeting a fault first
        proxy.inject(new FaultProxy.Status(503, "SlowDown"), new FaultProxy.Drop(),
                new FaultProxy.Status(500, "InternalError"));
        assertArrayEquals(content, TestBytes.read(storage, "wal_005/000000010000000000000002.lzo"));
        proxy.inject(new FaultProxy.Drop(), new FaultProxy.Status(503, "SlowDown"));
        assertEquals(List.of("wal_005/000000010000000000000002.lzo"),
                storage.list("wal_005/").stream().map(i -> i.key()).toList());
        proxy.inject(new FaultProxy.Status(500, "InternalError"));
        assertEquals(content.length, storage.stat("wal_005/000000010000000000000002.lzo").orElseThrow().size());
        proxy.inject(new FaultProxy.Drop());
        storage.delete(List.of("wal_005/000000010000000000000002.lzo"));
        assertEquals(List.of(), server.names(BUCKET));
        assertTrue(proxy.faultsInjected() >= 7, "faults injected: " + proxy.faultsInjected());
    }

    @Test
    void aResumableUploadSurvivesAFaultOnItsStart() throws Exception {
        byte[] content = TestBytes.random(GcsStorage.CHUNK * 2 + 5, 3);
        proxy.inject(new FaultProxy.Status(503, "SlowDown"), new FaultProxy.Drop());
        storage.put("basebackups_005/big.tar.lzo", new ByteArrayInputStream(content), null);
        assertEquals(2, proxy.faultsInjected(), "both faults were met and survived");
        assertArrayEquals(content, TestBytes.read(storage, "basebackups_005/big.tar.lzo"));
    }

    @Test
    void aPersistentFaultFailsClearlyAndLeavesNothing() throws Exception {
        proxy.always(new FaultProxy.Status(503, "SlowDown"));
        for (int size : new int[] {100_000, GcsStorage.CHUNK + 1}) {
            String key = "basebackups_005/doomed-" + size + ".tar.lzo";
            StorageUnavailableException e = assertThrows(StorageUnavailableException.class,
                    () -> storage.put(key, new ByteArrayInputStream(TestBytes.random(size, 4)), null));
            assertTrue(e.getMessage().contains("HTTP 503"), e.getMessage());
            assertTrue(proxy.faultsInjected() >= 2, "retried before giving up: " + proxy.faultsInjected());
            assertTrue(e.getMessage().contains("gs://" + BUCKET + "/" + prefix + key), e.getMessage());
        }
        proxy.always(new FaultProxy.Pass());
        assertEquals(List.of(), storage.list(""));
        assertEquals(List.of(), server.names(BUCKET));
    }

    @Test
    void aFaultInsideAResumableSessionFailsThePutAndLeavesNothing() throws Exception {
        // the client's own retries are off (docs/gcs.md): a chunk that fails fails the put, never a torn object
        String key = "basebackups_005/torn.tar.lzo";
        byte[] content = TestBytes.random(GcsStorage.CHUNK * 3, 5);
        proxy.inject(new FaultProxy.Pass(), new FaultProxy.Pass(), new FaultProxy.Status(503, "SlowDown"));
        assertThrows(StorageUnavailableException.class,
                () -> storage.put(key, new ByteArrayInputStream(content), null));
        assertEquals(1, proxy.faultsInjected(), "the put failed on the injected fault");
        assertEquals(Optional.empty(), storage.stat(key));
        assertEquals(List.of(), server.names(BUCKET));
    }
}
