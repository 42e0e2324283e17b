package org.walj.storage.gcs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.walj.storage.TestBytes;
import org.walj.storage.ObjectNotFoundException;
import org.walj.storage.RetryPolicy;
import com.google.cloud.storage.BlobId;

/**
 * GCS specifics over {@code LocalStorageHelper}, the client library's own <b>in-memory stand-in</b> for GCS (a fake
 * RPC layer; no HTTP), with its defects corrected by {@link LocalStorageHelperStandIn}: WAL-E's object naming,
 * single-request and resumable round trips, not-found and failure paths through the client API. The full contract
 * runs on the same stand-in in {@link GcsLocalStorageContractTest}, over HTTP in {@link GcsStandInStorageTest}.
 */
class GcsLocalStorageTest {
    private static final String BUCKET = "walj-gcs";

    private com.google.cloud.storage.Storage client;
    private GcsStorage storage;

    @BeforeEach
    void setUp() {
        client = new LocalStorageHelperStandIn();
        storage = new GcsStorage(client, BUCKET, "pitr/", RetryPolicy.DEFAULT);
    }

    @AfterEach
    void tearDown() throws IOException {
        storage.close();
    }


    @Test
    void objectsAreNamedWithWalEsLeadingSlash() throws Exception {
        byte[] content = TestBytes.random(1000, 1);
        storage.put("wal_005/000000010000000000000002.lzo", new ByteArrayInputStream(content), null);
        var blob = client.get(BlobId.of(BUCKET, "/pitr/wal_005/000000010000000000000002.lzo"));
        assertNotNull(blob, "object /pitr/wal_005/000000010000000000000002.lzo exists");
        assertArrayEquals(content, blob.getContent());
        assertEquals("application/octet-stream", blob.getContentType());
        assertEquals("gs://walj-gcs/pitr/wal_005/X", storage.url("wal_005/X"));
    }

    @Test
    void roundTripsSmallAndResumableObjects() throws Exception {
        for (int size : new int[] {0, 1, GcsStorage.CHUNK, GcsStorage.CHUNK + 1, 2 * GcsStorage.CHUNK + 12345}) {
            String key = "basebackups_005/part_" + size;
            byte[] content = TestBytes.random(size, size);
            storage.put(key, new ByteArrayInputStream(content), null);
            assertArrayEquals(content, TestBytes.read(storage, key), "size " + size);
            assertEquals(size, storage.stat(key).orElseThrow().size());
        }
    }

    @Test
    void putReplacesAnObject() throws Exception {
        storage.put("wal_005/A", new ByteArrayInputStream(TestBytes.random(5000, 2)), null);
        storage.put("wal_005/A", new ByteArrayInputStream("second".getBytes()), "text/plain");
        assertEquals("second", new String(TestBytes.read(storage, "wal_005/A")));
    }

    @Test
    void missingObjectsAreNotFound() throws Exception {
        ObjectNotFoundException e = assertThrows(ObjectNotFoundException.class, () -> storage.get("wal_005/none"));
        assertEquals("wal_005/none", e.key());
        assertEquals(Optional.empty(), storage.stat("wal_005/none"));
    }

    @Test
    void aFailingContentStreamLeavesNoObjectSmallOrResumable() throws Exception {
        for (int before : new int[] {1000, 3 * GcsStorage.CHUNK}) {
            IOException boom = new IOException("compressor died");
            InputStream content = new SequenceInputStream(new ByteArrayInputStream(TestBytes.random(before, 3)),
                    new InputStream() {
                        @Override
                        public int read() throws IOException {
                            throw boom;
                        }
                    });
            String key = "wal_005/failing-" + before;
            assertSame(boom, assertThrows(IOException.class, () -> storage.put(key, content, null)));
            assertEquals(Optional.empty(), storage.stat(key), "no object after a failure at " + before);
            assertNull(client.get(BlobId.of(BUCKET, "/pitr/" + key)));
        }
    }

    @Test
    void deleteIgnoresMissingObjects() throws Exception {
        storage.put("wal_005/A", new ByteArrayInputStream(new byte[1]), null);
        storage.delete(List.of("wal_005/A", "wal_005/never"));
        assertEquals(Optional.empty(), storage.stat("wal_005/A"));
    }
}
