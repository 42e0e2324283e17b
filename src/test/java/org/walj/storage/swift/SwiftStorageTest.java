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

    /** A PUT with an {@code X-Timestamp} {@code seconds} from now (Swift's form: seconds with five decimals). */
    private void writeStamped(String name, String query, byte[] body, int seconds) throws Exception {
        String stamp = String.format(java.util.Locale.ROOT, "%.5f", System.currentTimeMillis() / 1000.0 + seconds);
        SwiftServer.shared().putStamped(CONTAINER, name, query, body, stamp);
    }

    @Test
    void aPutSupersededByANewerWriteIsDoneAndLeavesNoSegmentsOfItsOwn() throws Exception {
        String key = "basebackups_005/base_Y/tar_partitions/part_00000000.tar.lzo";
        byte[] newer = TestBytes.random(1000, 3);
        writeStamped("/" + pathPrefix + key, "", newer, 600); // through a proxy whose clock is ten minutes ahead

        storage.put(key, new ByteArrayInputStream(TestBytes.random(SEGMENT * 2 + 100, 4)), null); // 202 on the manifest
        storage.put(key, new ByteArrayInputStream(new byte[] {5}), null); // 202 on the object

        assertArrayEquals(newer, read(key));
        assertEquals(List.of("/" + pathPrefix + key), SwiftServer.shared().names(CONTAINER, "/" + pathPrefix));
    }

    /**
     * The large object a put saw before writing can be the newer one: its segments written through a proxy with the
     * right time, its manifest through one whose clock is ahead (one upload's requests spread over proxies). A put
     * answered 202 replaced nothing, so it must not delete that object's segments.
     */
    @Test
    void aSupersededPutKeepsTheSegmentsOfTheNewerLargeObject() throws Exception {
        String key = "basebackups_005/base_Z/tar_partitions/part_00000000.tar.lzo";
        byte[] newer = TestBytes.random(SEGMENT + 500, 6);
        com.fasterxml.jackson.databind.node.ArrayNode manifest = new com.fasterxml.jackson.databind.ObjectMapper()
                .createArrayNode();
        for (int i = 0, from = 0; from < newer.length; i++, from += SEGMENT) {
            byte[] segment = java.util.Arrays.copyOfRange(newer, from, Math.min(newer.length, from + SEGMENT));
            String name = "/" + pathPrefix + SwiftStorage.SEGMENTS + key + "/other-writer/" + String.format("%08d", i);
            writeStamped(name, "", segment, 0);
            manifest.addObject().put("path", "/" + CONTAINER + "/" + name).put("size_bytes", segment.length);
        }
        writeStamped("/" + pathPrefix + key, "?multipart-manifest=put",
                manifest.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8), 600);
        assertArrayEquals(newer, read(key));

        storage.put(key, new ByteArrayInputStream(new byte[] {5}), null);

        assertArrayEquals(newer, read(key));
        assertEquals(3, SwiftServer.shared().names(CONTAINER, "/" + pathPrefix).size());
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
