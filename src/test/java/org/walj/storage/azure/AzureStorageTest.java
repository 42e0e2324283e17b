package org.walj.storage.azure;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.walj.storage.RetryPolicy;
import org.walj.storage.Storage;
import org.walj.storage.StorageContract;

/**
 * The storage contract against Azurite over HTTP ({@link AzuriteServer}, a separate process) through the real SDK,
 * shared-key auth. Blocks of 2 MiB, so the contract's 2-5 MiB objects go through staged blocks and its 1 MiB
 * concurrent writers to one key through single uploads (staged uploads to one blob cannot overlap: docs/azure.md).
 */
class AzureStorageTest extends StorageContract {
    static final String CONTAINER = "walj-contract";
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    private String pathPrefix;

    static AzureStorage storage(String endpoint, String container, String pathPrefix, AzureClient.Auth auth,
            RetryPolicy retry, Duration timeout) {
        return new AzureStorage(AzureClient.create(AzuriteServer.ACCOUNT, AzureEndpoint.parse(endpoint), container,
                auth, 2 << 20, 3, timeout), pathPrefix, retry);
    }

    @Override
    protected Storage newEmptyStorage() {
        AzuriteServer server = AzuriteServer.shared();
        server.createContainer(CONTAINER);
        pathPrefix = "contract/run-" + ProcessHandle.current().pid() + "-" + PREFIXES.incrementAndGet() + "/";
        return storage(server.endpoint(), CONTAINER, pathPrefix, new AzureClient.SharedKey(server.key()),
                RetryPolicy.DEFAULT, Duration.ofSeconds(30));
    }

    @Override
    protected String expectedUrl(String key) {
        return "wabs://" + CONTAINER + "/" + pathPrefix + key;
    }
}
