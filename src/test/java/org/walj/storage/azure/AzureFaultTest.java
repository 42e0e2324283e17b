package org.walj.storage.azure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.walj.storage.TestBytes;
import org.walj.storage.FaultProxy;
import org.walj.storage.RetryPolicy;
import org.walj.storage.StorageUnavailableException;

/**
 * The Azure backend through {@link FaultProxy} in front of Azurite: drops, 500 and 503 answers, a stall and cut
 * answers on single uploads, staged blocks, their commit, ranged reads and listings are retried and succeed; a
 * persistent 503 fails with one message naming the object, with nothing under its name (checked on the server).
 */
class AzureFaultTest {
    private static final String CONTAINER = "walj-faults";
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    private AzuriteServer server;
    private FaultProxy proxy;
    private AzureStorage storage;
    private String prefix;

    @BeforeEach
    void setUp() throws Exception {
        server = AzuriteServer.shared();
        server.createContainer(CONTAINER);
        proxy = new FaultProxy(server.port());
        prefix = "faults-" + ProcessHandle.current().pid() + "-" + PREFIXES.incrementAndGet() + "/";
        RetryPolicy quick = new RetryPolicy(6, Duration.ofMillis(50), Duration.ofMillis(500), Duration.ofSeconds(30));
        storage = AzureStorageTest.storage(AzuriteServer.endpointAt(proxy.port()), CONTAINER, prefix,
                new AzureClient.SharedKey(server.key()), quick, Duration.ofSeconds(2));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (storage != null) {
            storage.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }


    private List<String> namesOnServer() {
        return server.adminClient().getBlobContainerClient(CONTAINER)
                .listBlobs(new ListBlobsOptions().setPrefix(prefix), null).stream().map(BlobItem::getName).toList();
    }

    @Test
    void aStagedUploadSurvivesDropsErrorsAndAStall() throws Exception {
        byte[] content = TestBytes.random(7 << 20, 1); // four 2 MiB blocks and the commit
        proxy.inject(new FaultProxy.Status(503, "ServerBusy"), new FaultProxy.Drop(),
                new FaultProxy.Status(500, "InternalError"), new FaultProxy.Stall());
        storage.put("basebackups_005/big.tar.lzo", new ByteArrayInputStream(content), null);
        assertTrue(proxy.faultsInjected() >= 4, "faults were injected: " + proxy.faultsInjected());
        assertArrayEquals(content, TestBytes.read(storage, "basebackups_005/big.tar.lzo"));
    }

    @Test
    void aSinglePutSurvivesTransientFaults() throws Exception {
        byte[] content = TestBytes.random(300_000, 2);
        proxy.inject(new FaultProxy.Drop(), new FaultProxy.Status(503, "ServerBusy"));
        storage.put("wal_005/000000010000000000000001.lzo", new ByteArrayInputStream(content), null);
        assertEquals(2, proxy.faultsInjected());
        assertArrayEquals(content, TestBytes.read(storage, "wal_005/000000010000000000000001.lzo"));
    }

    @Test
    void aDownloadCutShortIsReadAgain() throws Exception {
        byte[] content = TestBytes.random(9 << 20, 3); // three ranges of 4 MiB
        storage.put("wal_005/000000010000000000000002.lzo", new ByteArrayInputStream(content), null);
        proxy.inject(new FaultProxy.Pass(), new FaultProxy.CutAnswerAfter(700_000),
                new FaultProxy.CutAnswerAfter(1_500_000));
        assertArrayEquals(content, TestBytes.read(storage, "wal_005/000000010000000000000002.lzo"));
        assertEquals(2, proxy.faultsInjected());
    }

    @Test
    void listingAndLookupSurviveFaults() throws Exception {
        storage.put("wal_005/000000010000000000000003.lzo", new ByteArrayInputStream(TestBytes.random(10, 4)), null);
        proxy.inject(new FaultProxy.Status(503, "ServerBusy"), new FaultProxy.Drop());
        assertEquals(1, storage.list("wal_005/").size());
        proxy.inject(new FaultProxy.Status(500, "InternalError"));
        assertEquals(Optional.of(10L), storage.stat("wal_005/000000010000000000000003.lzo").map(i -> i.size()));
        assertEquals(3, proxy.faultsInjected());
    }

    @Test
    void aPersistentFaultFailsClearlyAndLeavesNothing() throws Exception {
        proxy.always(new FaultProxy.Status(503, "ServerBusy"));
        String key = "basebackups_005/doomed.tar.lzo";
        StorageUnavailableException e = assertThrows(StorageUnavailableException.class,
                () -> storage.put(key, new ByteArrayInputStream(TestBytes.random(5 << 20, 5)), null));
        assertTrue(e.getMessage().contains("HTTP 503"), e.getMessage());
        assertTrue(proxy.faultsInjected() >= 2, "retried before giving up: " + proxy.faultsInjected());
        assertTrue(e.getMessage().contains("wabs://" + CONTAINER + "/" + prefix + key), e.getMessage());
        assertTrue(!e.getMessage().contains(server.key()), "no secret in " + e.getMessage());
        proxy.always(new FaultProxy.Pass());
        assertEquals(Optional.empty(), storage.stat(key));
        assertEquals(List.of(), namesOnServer());
    }
}
