package org.walj.storage.azure;

import java.time.Duration;
import java.util.List;

import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;
import org.walj.storage.BackendFaultTest;
import org.walj.storage.FaultProxy;
import org.walj.storage.RetryPolicy;
import org.walj.storage.Storage;

/**
 * The Azure backend through {@link FaultProxy} in front of Azurite ({@link BackendFaultTest}): single uploads, staged
 * blocks and their commit, ranged reads (a cut range is read again), listings and lookups.
 */
class AzureFaultTest extends BackendFaultTest {
    private AzuriteServer server;

    @Override
    protected int serverPort() {
        server = AzuriteServer.shared();
        server.createContainer(CONTAINER);
        return server.port();
    }

    @Override
    protected Storage storage(int proxyPort, String prefix, RetryPolicy policy) throws Exception {
        return AzureStorageTest.storage(AzuriteServer.endpointAt(proxyPort), CONTAINER, prefix,
                new AzureClient.SharedKey(server.key()), policy, Duration.ofSeconds(2));
    }

    @Override
    protected List<String> namesOnServer() {
        return server.adminClient().getBlobContainerClient(CONTAINER)
                .listBlobs(new ListBlobsOptions().setPrefix(prefix), null).stream().map(BlobItem::getName).toList();
    }

    @Override
    protected String busyCode() {
        return "ServerBusy";
    }

    @Override
    protected String scheme() {
        return "wabs";
    }

    @Override
    protected String secret() {
        return server.key();
    }

    @Override
    protected int objectsOfALargeUpload() {
        return 1; // staged blocks are not blobs until committed
    }

    /** Reads go in ranges of 4 MiB: the first passes, the second is cut twice and read again. */
    @Override
    protected List<FaultProxy.Fault> beforeTheCuts() {
        return List.of(new FaultProxy.Pass());
    }

    @Override
    protected boolean continuesACutAnswer() {
        return false;
    }
}
