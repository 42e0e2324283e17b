package org.walj.storage.swift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.walj.storage.BackendFaultTest;
import org.walj.storage.FaultProxy;
import org.walj.storage.RetryPolicy;
import org.walj.storage.Storage;
import org.walj.storage.TestBytes;

/**
 * The Swift backend through {@link FaultProxy} in front of the real Swift proxy server ({@link BackendFaultTest};
 * tempauth names the storage URL after the proxy's address, so authentication and every later request pass the
 * faults): single PUTs, segments and the manifest, resumed reads, listings, lookups and deletion.
 */
class SwiftFaultTest extends BackendFaultTest {
    private SwiftServer server;

    @Override
    protected int serverPort() throws Exception {
        server = SwiftServer.shared();
        server.createContainer(CONTAINER);
        return server.port();
    }

    @Override
    protected Storage storage(int proxyPort, String prefix, RetryPolicy policy) {
        return SwiftStorageTest.storage(SwiftServer.authUrlAt(proxyPort), CONTAINER, prefix, server.key(), policy,
                Duration.ofSeconds(2));
    }

    @Override
    protected List<String> namesOnServer() throws Exception {
        return server.names(CONTAINER, "/" + prefix);
    }

    @Override
    protected String busyCode() {
        return "ServiceUnavailable";
    }

    @Override
    protected String scheme() {
        return "swift";
    }

    @Override
    protected String secret() {
        return server.key();
    }

    @Override
    protected int objectsOfALargeUpload() {
        return 5; // four 2 MiB segments and the manifest
    }

    @Override
    protected boolean continuesACutAnswer() {
        return true;
    }

    /** Authenticated before the faults start: the token is then reused. */
    @Override
    protected void beforePersistentFaults() throws Exception {
        assertFalse(storage.holdsDirectory("basebackups_005/"));
    }

    @Test
    void deletionSurvivesFaults() throws Exception {
        storage.put("wal_005/000000010000000000000003.lzo", new ByteArrayInputStream(TestBytes.random(10, 4)), null);
        proxy.inject(new FaultProxy.Drop(), new FaultProxy.Status(503, "ServiceUnavailable"), new FaultProxy.Drop());
        storage.delete(List.of("wal_005/000000010000000000000003.lzo"));
        assertEquals(3, proxy.faultsInjected());
        assertEquals(List.of(), namesOnServer());
    }
}
