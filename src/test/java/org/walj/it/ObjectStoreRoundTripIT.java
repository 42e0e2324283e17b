package org.walj.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.walj.it.harness.ArchiveRoundTrip;
import org.walj.it.harness.AzureStore;
import org.walj.it.harness.GcsStore;
import org.walj.it.harness.ObjectStore;
import org.walj.it.harness.S3Store;
import org.walj.it.harness.Scratch;
import org.walj.it.harness.ScratchExtension;
import org.walj.it.harness.SwiftStore;
import org.walj.it.harness.WalJ;

/**
 * PostgreSQL 15 archives through wal-j into each object store and recovers from it ({@link ArchiveRoundTrip}):
 * one scenario, run once per backend. What differs per backend (credentials, prefix forms, error texts) is in
 * {@code WalS3IT}, {@code WalGcsIT}, {@code storage.azure.AzureCliTest} and {@code storage.swift.SwiftCliTest}.
 */
@ExtendWith(ScratchExtension.class)
class ObjectStoreRoundTripIT {

    @ParameterizedTest(name = "through {0}")
    @ValueSource(strings = {"S3", "GCS", "Azure", "Swift"})
    void archiveAndRecoverACluster(String backend, Scratch scratch) throws IOException {
        try (ObjectStore store = switch (backend) {
            case "S3" -> S3Store.start();
            case "Azure" -> AzureStore.start();
            case "Swift" -> SwiftStore.start();
            default -> GcsStore.start(scratch);
        }) {
            WalJ walj = WalJ.install(scratch);
            String pathPrefix = "it-" + System.nanoTime() + "/";
            Map<String, String> walEnv = new LinkedHashMap<>(walj.env());
            walEnv.putAll(store.archiveEnv(pathPrefix));
            String wal005 = store.objectName(pathPrefix, "wal_005/");
            ArchiveRoundTrip.archiveAndRecover(scratch, walj, walEnv, backend, last -> {
                List<String> names = store.names(pathPrefix);
                assertTrue(names.contains(wal005 + last + ".lzo"), "the last segment is in " + backend + ": " + names);
                assertTrue(names.stream().allMatch(n -> n.matches(wal005 + "[0-9A-F.a-z]+\\.lzo")), names.toString());
            });
        }
    }
}
