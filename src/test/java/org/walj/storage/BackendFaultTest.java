package org.walj.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A backend through {@link FaultProxy} in front of its real server (a separate process): drops, 500 and 503 answers,
 * a stall and cut answers on single uploads, the parts of a large one and their commit, reads, listings and lookups
 * are retried and succeed; a persistent 503 fails with one message naming the object, no secret, and nothing left
 * on the server. A subclass gives the backend's names and errors only (and its own extra cases).
 */
public abstract class BackendFaultTest {
    protected static final String CONTAINER = "walj-faults";
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    protected FaultProxy proxy;
    protected Storage storage;
    protected String prefix;

    /** Starts (or reuses) the server, with {@link #CONTAINER}; returns the port the proxy forwards to. */
    protected abstract int serverPort() throws Exception;

    /** The backend's storage under {@code prefix}, reaching its server only through {@code proxyPort}. */
    protected abstract Storage storage(int proxyPort, String prefix, RetryPolicy policy) throws Exception;

    /** The names under {@link #prefix}, listed on the server directly (not through the proxy). */
    protected abstract List<String> namesOnServer() throws Exception;

    /** The error code the backend's server answers 503 with ("ServerBusy", "ServiceUnavailable"). */
    protected abstract String busyCode();

    /** The URL scheme of the backend's objects ("wabs", "swift"). */
    protected abstract String scheme();

    /** The secret the storage was opened with: never in a message. */
    protected abstract String secret();

    /** How many objects a large upload leaves on the server (the object, and its segments where it has them). */
    protected abstract int objectsOfALargeUpload();

    /** Faults to pass before the cuts of a download (a backend that reads in ranges cuts the second). */
    protected List<FaultProxy.Fault> beforeTheCuts() {
        return List.of();
    }

    /**
     * Whether a cut answer is continued where it stopped ({@link ResumingStream}): then the object crosses the wire
     * about once, which the download test checks.
     */
    protected abstract boolean continuesACutAnswer();

    /** Called before a persistent fault starts (a backend that authenticates once does it here). */
    protected void beforePersistentFaults() throws Exception {
    }

    @BeforeEach
    void setUpBackend() throws Exception {
        proxy = new FaultProxy(serverPort());
        prefix = "faults-" + ProcessHandle.current().pid() + "-" + PREFIXES.incrementAndGet() + "/";
        RetryPolicy quick = new RetryPolicy(6, Duration.ofMillis(50), Duration.ofMillis(500), Duration.ofSeconds(30));
        storage = storage(proxy.port(), prefix, quick);
    }

    @AfterEach
    void tearDownBackend() throws Exception {
        if (storage != null) {
            storage.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void aLargeUploadSurvivesDropsErrorsAndAStall() throws Exception {
        byte[] content = TestBytes.random(7 << 20, 1); // four 2 MiB parts and their commit
        proxy.inject(new FaultProxy.Status(503, busyCode()), new FaultProxy.Drop(),
                new FaultProxy.Status(500, "InternalError"), new FaultProxy.Stall());
        storage.put("basebackups_005/big.tar.lzo", new ByteArrayInputStream(content), null);
        assertTrue(proxy.faultsInjected() >= 4, "faults were injected: " + proxy.faultsInjected());
        assertArrayEquals(content, TestBytes.read(storage, "basebackups_005/big.tar.lzo"));
        assertEquals(objectsOfALargeUpload(), namesOnServer().size(), namesOnServer().toString());
    }

    @Test
    void aSinglePutSurvivesTransientFaults() throws Exception {
        byte[] content = TestBytes.random(300_000, 2);
        proxy.inject(new FaultProxy.Drop(), new FaultProxy.Status(503, busyCode()));
        storage.put("wal_005/000000010000000000000001.lzo", new ByteArrayInputStream(content), null);
        assertEquals(2, proxy.faultsInjected());
        assertArrayEquals(content, TestBytes.read(storage, "wal_005/000000010000000000000001.lzo"));
    }

    @Test
    void aDownloadCutShortIsReadOn() throws Exception {
        byte[] content = TestBytes.random(9 << 20, 3);
        storage.put("wal_005/000000010000000000000002.lzo", new ByteArrayInputStream(content), null);
        List<FaultProxy.Fault> faults = new ArrayList<>(beforeTheCuts());
        faults.add(new FaultProxy.CutAnswerAfter(700_000));
        faults.add(new FaultProxy.CutAnswerAfter(1_500_000));
        proxy.inject(faults.toArray(FaultProxy.Fault[]::new));
        long before = proxy.bytesAnswered();
        assertArrayEquals(content, TestBytes.read(storage, "wal_005/000000010000000000000002.lzo"));
        assertEquals(2, proxy.faultsInjected());
        if (continuesACutAnswer()) {
            // continued, not started over: the object crossed the wire about once (a restart sends 2.2 MB more)
            long sent = proxy.bytesAnswered() - before;
            assertTrue(sent < content.length + 64 * 1024, "bytes sent for a " + content.length + "-byte object: "
                    + sent);
        }
    }

    @Test
    void listingAndLookupSurviveFaults() throws Exception {
        storage.put("wal_005/000000010000000000000003.lzo", new ByteArrayInputStream(TestBytes.random(10, 4)), null);
        proxy.inject(new FaultProxy.Status(503, busyCode()), new FaultProxy.Drop());
        assertEquals(1, storage.list("wal_005/").size());
        proxy.inject(new FaultProxy.Status(500, "InternalError"));
        assertEquals(Optional.of(10L), storage.stat("wal_005/000000010000000000000003.lzo").map(i -> i.size()));
        assertEquals(3, proxy.faultsInjected());
    }

    @Test
    void aPersistentFaultFailsClearlyAndLeavesNothing() throws Exception {
        String key = "basebackups_005/doomed.tar.lzo";
        beforePersistentFaults();
        proxy.always(new FaultProxy.Status(503, busyCode()));
        StorageUnavailableException e = assertThrows(StorageUnavailableException.class,
                () -> storage.put(key, new ByteArrayInputStream(TestBytes.random(5 << 20, 5)), null));
        assertTrue(e.getMessage().contains("HTTP 503"), e.getMessage());
        assertTrue(proxy.faultsInjected() >= 2, "retried before giving up: " + proxy.faultsInjected());
        assertTrue(e.getMessage().contains(scheme() + "://" + CONTAINER + "/" + prefix + key), e.getMessage());
        assertFalse(e.getMessage().contains(secret()), "no secret in " + e.getMessage());
        proxy.always(new FaultProxy.Pass());
        assertEquals(Optional.empty(), storage.stat(key));
        assertEquals(List.of(), namesOnServer());
    }
}
