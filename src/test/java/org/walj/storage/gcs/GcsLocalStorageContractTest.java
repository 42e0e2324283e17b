package org.walj.storage.gcs;

import java.util.concurrent.atomic.AtomicInteger;

import org.walj.storage.RetryPolicy;
import org.walj.storage.Storage;
import org.walj.storage.StorageContract;

/**
 * The storage contract on {@code LocalStorageHelper}, the client library's in-memory test storage, through
 * {@link LocalStorageHelperStandIn}, which corrects the fake's documented defects (leading-slash list prefixes,
 * thread safety, resumable sessions visible before finalization, stale generations). No HTTP: the real client's
 * HTTP path runs in {@link GcsStandInStorageTest}.
 */
class GcsLocalStorageContractTest extends StorageContract {
    private static final String BUCKET = "walj-local";
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    private String pathPrefix;

    @Override
    protected Storage newEmptyStorage() {
        pathPrefix = "pitr/" + PREFIXES.incrementAndGet() + "/";
        return new GcsStorage(new LocalStorageHelperStandIn(), BUCKET, pathPrefix, RetryPolicy.DEFAULT);
    }

    @Override
    protected String expectedUrl(String key) {
        return "gs://" + BUCKET + "/" + pathPrefix + key;
    }
}
