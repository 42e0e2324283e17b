package org.walj.storage.swift;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.walj.storage.FaultProxy;
import org.walj.storage.RetryPolicy;
import org.walj.storage.StorageUnavailableException;
import org.walj.storage.TestBytes;

/**
 * The Swift backend through {@link FaultProxy} in front of the real Swift proxy server (tempauth names the storage
 * URL after the proxy's address, so authentication and every later request pass the faults): drops, 500 and 503
 * answers, a stall and cut answers on single PUTs, segments, the manifest, resumed reads, listings and lookups are
 * retried and succeed; a persistent 503 fails with one message naming the object, and leaves nothing on the server.
 */
class SwiftFaultTest {
    private static final String CONTAINER = "walj-faults";
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    private SwiftServer server;
    private FaultProxy proxy;
    private SwiftStorage storage;
    private String prefix;

    @BeforeEach
    void setUp() throws Exception {
        server = SwiftServer.shared();
        server.createContainer(CONTAINER);
        proxy = new FaultProxy(server.port());
        prefix = "faults-" + ProcessHandle.current().pid() + "-" + PREFIXES.incrementAndGet() + "/";
        RetryPolicy quick = new RetryPolicy(6, Duration.ofMillis(50), Duration.ofMillis(500), Duration.ofSeconds(30));
        storage = SwiftStorageTest.storage(SwiftServer.authUrlAt(proxy.port()), CONTAINER, prefix, server.key(), quick,
                Duration.ofSeconds(2));
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

    private List<String> namesOnServer() throws Exception {
        return server.names(CONTAINER, "/" + prefix);
    }

    @Test
    void aLargeUploadSurvivesDropsErrorsAndAStall() throws Exception {
        byte[] content = TestBytes.random(7 << 20, 1); // four 2 MiB segments and the manifest
        proxy.inject(new FaultProxy.Status(503, "ServiceUnavailable"), new FaultProxy.Drop(),
                new FaultProxy.Status(500, "InternalError"), new FaultProxy.Stall());
        storage.put("basebackups_005/big.tar.lzo", new ByteArrayInputStream(content), null);
        assertTrue(proxy.faultsInjected() >= 4, "faults were injected: " + proxy.faultsInjected());
        assertArrayEquals(content, TestBytes.read(storage, "basebackups_005/big.tar.lzo"));
        assertEquals(5, namesOnServer().size(), namesOnServer().toString());
    }

    @Test
    void aSinglePutSurvivesTransientFaults() throws Exception {
        byte[] content = TestBytes.random(300_000, 2);
        proxy.inject(new FaultProxy.Drop(), new FaultProxy.Status(503, "ServiceUnavailable"));
        storage.put("wal_005/000000010000000000000001.lzo", new ByteArrayInputStream(content), null);
        assertEquals(2, proxy.faultsInjected());
        assertArrayEquals(content, TestBytes.read(storage, "wal_005/000000010000000000000001.lzo"));
    }

    @Test
    void aDownloadCutShortIsResumedFromWhereItStopped() throws Exception {
        byte[] content = TestBytes.random(9 << 20, 3);
        storage.put("wal_005/000000010000000000000002.lzo", new ByteArrayInputStream(content), null);
        proxy.inject(new FaultProxy.CutAnswerAfter(700_000), new FaultProxy.CutAnswerAfter(1_500_000));
        long before = proxy.bytesAnswered();
        assertArrayEquals(content, TestBytes.read(storage, "wal_005/000000010000000000000002.lzo"));
        assertEquals(2, proxy.faultsInjected());
        // continued, not started over: the object crossed the wire about once (a restart sends 2.2 MB more)
        long sent = proxy.bytesAnswered() - before;
        assertTrue(sent < content.length + 64 * 1024, "bytes sent for a " + content.length + "-byte object: " + sent);
    }

    @Test
    void listingLookupAndDeletionSurviveFaults() throws Exception {
        storage.put("wal_005/000000010000000000000003.lzo", new ByteArrayInputStream(TestBytes.random(10, 4)), null);
        proxy.inject(new FaultProxy.Status(503, "ServiceUnavailable"), new FaultProxy.Drop());
        assertEquals(1, storage.list("wal_005/").size());
        proxy.inject(new FaultProxy.Status(500, "InternalError"));
        assertEquals(Optional.of(10L), storage.stat("wal_005/000000010000000000000003.lzo").map(i -> i.size()));
        proxy.inject(new FaultProxy.Drop(), new FaultProxy.Status(503, "ServiceUnavailable"), new FaultProxy.Drop());
        storage.delete(List.of("wal_005/000000010000000000000003.lzo"));
        assertEquals(6, proxy.faultsInjected());
        assertEquals(List.of(), namesOnServer());
    }

    @Test
    void aPersistentFaultFailsClearlyAndLeavesNothing() throws Exception {
        String key = "basebackups_005/doomed.tar.lzo";
        assertFalse(storage.holdsDirectory("basebackups_005/")); // authenticated before the faults start
        proxy.always(new FaultProxy.Status(503, "ServiceUnavailable"));
        StorageUnavailableException e = assertThrows(StorageUnavailableException.class,
                () -> storage.put(key, new ByteArrayInputStream(TestBytes.random(5 << 20, 5)), null));
        assertTrue(e.getMessage().contains("HTTP 503"), e.getMessage());
        assertTrue(e.getMessage().contains("swift://" + CONTAINER + "/" + prefix + key), e.getMessage());
        assertFalse(e.getMessage().contains(server.key()), "no secret in " + e.getMessage());
        proxy.always(new FaultProxy.Pass());
        assertEquals(Optional.empty(), storage.stat(key));
        assertEquals(List.of(), namesOnServer());
    }
}
