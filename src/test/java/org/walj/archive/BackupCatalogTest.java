package org.walj.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walj.UserException;
import org.walj.layout.BackupSentinelParseTest;
import org.walj.storage.file.FileStorage;

class BackupCatalogTest {
    static final String A = "base_000000010000000000000002_00000040";
    static final String B = "base_000000010000000000000005_00000312";
    static final String C = "base_00000002000000000000000A_00000040";

    @TempDir
    Path archive;
    FileStorage storage;
    BackupCatalog catalog;

    @BeforeEach
    void setUp() {
        storage = new FileStorage(archive);
        catalog = new BackupCatalog(storage);
    }

    /** Writes a sentinel whose last-modified time is {@code epochSecond}. */
    void sentinel(String name, long epochSecond) throws IOException {
        put("basebackups_005/" + name + "_backup_stop_sentinel.json", BackupSentinelParseTest.WALE);
        Files.setLastModifiedTime(archive.resolve("basebackups_005/" + name + "_backup_stop_sentinel.json"),
                FileTime.from(Instant.ofEpochSecond(epochSecond)));
    }

    void put(String key, String content) throws IOException {
        storage.put(key, new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)), null);
    }

    List<String> names(List<BackupCatalog.Entry> entries) {
        return entries.stream().map(e -> e.name().toString()).toList();
    }

    @Test
    void onlySentinelsDirectlyInBasebackupsCount() throws IOException {
        sentinel(B, 100);
        sentinel(A, 200);
        put("basebackups_005/" + C + "/tar_partitions/part_00000000.tar.lzo", "x"); // push died: no sentinel
        put("basebackups_005/" + A + "/nested_backup_stop_sentinel.json", "{}");
        put("basebackups_005/base_000000010000000000000009_backup_stop_sentinel.json", "{}"); // WAL-G name
        put("basebackups_005/base_000000010000000000000009_0000004_backup_stop_sentinel.json", "{}"); // 7 chars
        assertEquals(List.of(A, B), names(catalog.all()), "listing order: by key");
    }

    @Test
    void latestIsTheNewestSentinelNotTheGreatestName() throws IOException {
        sentinel(A, 300);
        sentinel(B, 100);
        sentinel(C, 200);
        assertEquals(List.of(A), names(catalog.select(Optional.of("LATEST"))));
        assertEquals(A, catalog.resolve("LATEST").name().toString());
    }

    @Test
    void tiesGoToTheFirstInListingOrder() throws IOException {
        sentinel(B, 100);
        sentinel(A, 100);
        assertEquals(A, catalog.resolve("LATEST").name().toString());
    }

    @Test
    void queries() throws IOException {
        sentinel(A, 1);
        sentinel(B, 2);
        assertEquals(List.of(B), names(catalog.select(Optional.of(B))));
        assertEquals(List.of(), names(catalog.select(Optional.of(C))));
        assertEquals(List.of(A, B), names(catalog.select(Optional.empty())));
        UserException e = assertThrows(UserException.class, () -> catalog.select(Optional.of("latest")));
        assertEquals("invalid backup query submitted", e.getMessage());
        e = assertThrows(UserException.class, () -> catalog.resolve("base_0001"));
        assertEquals("invalid backup query submitted", e.getMessage());
        e = assertThrows(UserException.class, () -> catalog.resolve(C));
        assertEquals("no backups found for fetching", e.getMessage());
    }

    @Test
    void noBackups() throws IOException {
        assertEquals(List.of(), catalog.select(Optional.of("LATEST")));
        UserException e = assertThrows(UserException.class, () -> catalog.resolve("LATEST"));
        assertEquals("no backups found for fetching", e.getMessage());
    }

    @Test
    void readsTheSentinel() throws IOException {
        sentinel(A, 1);
        assertEquals(23071209L, catalog.sentinel(catalog.resolve(A)).expandedSizeBytes());
        put("basebackups_005/" + B + "_backup_stop_sentinel.json", "{\"wal_segment_backup_stop\": 1}");
        IOException e = assertThrows(IOException.class, () -> catalog.sentinel(catalog.resolve(B)));
        assertEquals(storage.url("basebackups_005/" + B + "_backup_stop_sentinel.json")
                + ": sentinel: \"wal_segment_backup_stop\" must be a string, found a number", e.getMessage());
    }
}
