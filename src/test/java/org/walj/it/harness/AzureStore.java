package org.walj.it.harness;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;
import org.walj.storage.azure.AzuriteServer;

/**
 * Azure Blob Storage in the ITs: the JVM's shared Azurite (a real server over HTTP, a separate process) with the test
 * container, shared-key auth. Blob names are WAL-E's: no leading slash.
 */
public final class AzureStore implements ObjectStore {
    public static final String CONTAINER = "walj-it";

    private final AzuriteServer server;

    private AzureStore(AzuriteServer server) {
        this.server = server;
    }

    /** Aborts the calling test (reported as skipped) where Azurite is not installed. */
    public static AzureStore start() {
        AzuriteServer server = AzuriteServer.shared();
        server.createContainer(CONTAINER);
        return new AzureStore(server);
    }

    @Override
    public Map<String, String> archiveEnv(String pathPrefix) {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("WALE_WABS_PREFIX", "wabs://" + CONTAINER + "/" + pathPrefix);
        e.put("WABS_ACCOUNT_NAME", AzuriteServer.ACCOUNT);
        e.put("WABS_ACCESS_KEY", server.key());
        e.put("WALJ_WABS_ENDPOINT", server.endpoint());
        return e;
    }

    @Override
    public List<String> names(String pathPrefix) {
        return server.adminClient().getBlobContainerClient(CONTAINER)
                .listBlobs(new ListBlobsOptions().setPrefix(pathPrefix), null).stream().map(BlobItem::getName)
                .sorted().toList();
    }

    @Override
    public String objectName(String pathPrefix, String key) {
        return pathPrefix + key;
    }

    /** Leaves the shared server running for the next test; its JVM's shutdown hook stops it. */
    @Override
    public void close() {
    }
}
