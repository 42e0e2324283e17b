package org.walj.storage.gcs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.walj.storage.RetryPolicy;
import org.walj.storage.Storage;
import org.walj.storage.StorageContract;

/**
 * The storage contract through the real GCS client over real HTTP against {@link GcsJsonApiStandIn} (a loopback
 * stand-in for the GCS JSON API, not Google's service). Objects above one 8 MiB chunk take the resumable-upload path.
 */
class GcsStandInStorageTest extends StorageContract {
    private static final String BUCKET = "walj-stand-in";
    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static GcsJsonApiStandIn standIn;

    private String pathPrefix;

    @BeforeAll
    static void start() throws Exception {
        standIn = new GcsJsonApiStandIn();
        standIn.createBucket(BUCKET);
    }

    @AfterAll
    static void stop() {
        standIn.close();
    }

    static GcsStorage open(GcsJsonApiStandIn server, String bucket, String pathPrefix, RetryPolicy retry) {
        return new GcsStorage(GcsClients.create(Duration.ofSeconds(10),
                Optional.of(GcsEndpoint.parse(server.endpoint())), Optional.empty(), true), bucket, pathPrefix, retry);
    }

    @Override
    protected Storage newEmptyStorage() {
        pathPrefix = "pitr/" + PREFIXES.incrementAndGet() + "/";
        return open(standIn, BUCKET, pathPrefix, RetryPolicy.DEFAULT);
    }

    @Override
    protected String expectedUrl(String key) {
        return "gs://" + BUCKET + "/" + pathPrefix + key;
    }

    @Test
    void objectsCarryWalEsLeadingSlashOverHttp() throws Exception {
        byte[] big = new byte[GcsStorage.CHUNK * 2 + 777];
        new Random(9).nextBytes(big);
        storage.put("basebackups_005/base_X/tar_partitions/part_00000000.tar.lzo", new ByteArrayInputStream(big), null);
        storage.put("wal_005/000000010000000000000002.lzo", new ByteArrayInputStream(new byte[] {1, 2}), null);
        List<String> names = standIn.names(BUCKET).stream().filter(n -> n.startsWith("/" + pathPrefix)).toList();
        assertEquals(List.of("/" + pathPrefix + "basebackups_005/base_X/tar_partitions/part_00000000.tar.lzo",
                "/" + pathPrefix + "wal_005/000000010000000000000002.lzo"), names);
        assertArrayEquals(big, standIn.content(BUCKET, names.get(0)));
        assertEquals(0, standIn.openSessions());
    }
}
