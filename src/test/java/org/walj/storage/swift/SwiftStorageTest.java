package org.walj.storage.swift;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.walj.storage.RetryPolicy;
import org.walj.storage.Storage;
import org.walj.storage.StorageContract;
import org.walj.storage.TestBytes;

/**
 * The storage contract against a real Swift ({@link SwiftServer}: Debian's servers, a separate process tree) over
 * HTTP, tempauth. Segments of 2 MiB, so the contract's 2-5 MiB objects go up as static large objects and its 1 MiB
 * concurrent writers to one key as single PUTs. Also: the names on the server are WAL-E's (leading '/'), segments stay
 * out of WAL-E's directories and go away with their object.
 */
class SwiftStorageTest extends StorageContract {
    static final String CONTAINER = "walj-contract";
    static final int SEGMENT = 2 << 20;
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    private String pathPrefix;

    static SwiftStorage storage(String authUrl, String container, String pathPrefix, String key, RetryPolicy retry,
            Duration timeout) {
        SwiftCredentials credentials = SwiftCredentials.tempAuth(URI.create(authUrl), SwiftServer.USER, key);
        return new SwiftStorage(new SwiftConnection(java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build(),
                credentials, container, timeout), pathPrefix, SEGMENT, 3, retry);
    }

    @Override
    protected Storage newEmptyStorage() throws Exception {
        SwiftServer server = SwiftServer.shared();
        server.createContainer(CONTAINER);
        pathPrefix = "contract/run-" + ProcessHandle.current().pid() + "-" + PREFIXES.incrementAndGet() + "/";
        return storage(server.authUrl(), CONTAINER, pathPrefix, server.key(), RetryPolicy.DEFAULT,
                Duration.ofSeconds(30));
    }

    @Override
    protected String expectedUrl(String key) {
        return "swift://" + CONTAINER + "/" + pathPrefix + key;
    }

    @Test
    void namesOnTheServerAreWalEsWithTheLeadingSlash() throws Exception {
        storage.put("wal_005/000000010000000000000002.lzo", new ByteArrayInputStream(new byte[] {1}), null);
        assertEquals(List.of("/" + pathPrefix + "wal_005/000000010000000000000002.lzo"),
                SwiftServer.shared().names(CONTAINER, "/" + pathPrefix));
    }

    @Test
    void aLargeObjectIsSegmentsAndAManifestAndGoesAwayWhole() throws Exception {
        String key = "basebackups_005/base_000000010000000000000002_00000040/tar_partitions/part_00000000.tar.lzo";
        byte[] content = TestBytes.random(SEGMENT * 2 + 12345, 7);
        storage.put(key, new ByteArrayInputStream(content), null);
        List<String> names = SwiftServer.shared().names(CONTAINER, "/" + pathPrefix);
        assertEquals(4, names.size(), names.toString()); // three segments and the manifest
        assertTrue(names.contains("/" + pathPrefix + key), names.toString());
        assertEquals(3, names.stream().filter(n -> n.startsWith("/" + pathPrefix + ".walj-segments/" + key + "/"))
                .count(), names.toString());
        assertEquals(List.of(key), keys(storage.list("")));
        assertEquals(content.length, storage.list("basebackups_005/").get(0).size());
        assertArrayEquals(content, read(key));

        // replaced by a small object: the old segments go
        storage.put(key, new ByteArrayInputStream(new byte[] {9}), null);
        assertEquals(List.of("/" + pathPrefix + key), SwiftServer.shared().names(CONTAINER, "/" + pathPrefix));

        // replaced by a large one and deleted: nothing stays
        storage.put(key, new ByteArrayInputStream(content), null);
        storage.delete(List.of(key));
        assertEquals(List.of(), SwiftServer.shared().names(CONTAINER, "/" + pathPrefix));
    }

    @Test
    void aFailedLargeUploadLeavesNoSegments() throws Exception {
        String key = "basebackups_005/base_X/tar_partitions/part_00000001.tar.lzo";
        java.io.IOException failure = new java.io.IOException("compressor died");
        java.io.IOException thrown = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> storage.put(key, new FailingStream(SEGMENT * 2 + 100, failure), null));
        assertEquals(failure, thrown);
        assertEquals(List.of(), SwiftServer.shared().names(CONTAINER, "/" + pathPrefix));
    }
}
