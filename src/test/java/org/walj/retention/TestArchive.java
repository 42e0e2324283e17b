package org.walj.retention;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.TreeSet;
import org.walj.archive.Archive;
import org.walj.archive.Archives;
import org.walj.storage.ObjectInfo;
import org.walj.storage.file.FileStorage;

/** Builds archives in WAL-E's layout on the real file backend, with chosen last-modified times (also status tests). */
public final class TestArchive {
    final Path root;
    final FileStorage storage;

    public TestArchive(Path root) {
        this.root = root;
        this.storage = new FileStorage(root);
    }

    /** These files as the opened archive the use cases take. */
    public Archive opened() {
        return Archives.on(storage, root, Archives.LZO);
    }

    /** A complete backup: extended_version.txt, two partitions, the sentinel last (at {@code time} seconds). */
    public TestArchive backup(String name, long time) {
        incomplete(name, time - 1);
        return put("basebackups_005/" + name + "_backup_stop_sentinel.json",
                "{\"wal_segment_backup_stop\": \"" + name.substring(5, 29) + "\", \"wal_segment_offset_backup_stop\": "
                        + "\"00000312\", \"expanded_size_bytes\": 1, \"spec\": {\"base_prefix\": \"/d/\", "
                        + "\"tablespaces\": []}}", time);
    }

    /** A backup whose push has not written its sentinel (yet). */
    TestArchive incomplete(String name, long time) {
        put("basebackups_005/" + name + "/extended_version.txt", "PostgreSQL 15", time);
        put("basebackups_005/" + name + "/tar_partitions/part_00000000.tar.lzo", "p0", time);
        return put("basebackups_005/" + name + "/tar_partitions/part_00000001.tar.lzo", "p1", time);
    }

    /** WAL objects {@code wal_005/<name>.lzo} for each name, at {@code time}. */
    public TestArchive wal(long time, String... names) {
        for (String n : names) {
            put("wal_005/" + n + (n.endsWith(".lz4") || n.endsWith(".lzo") ? "" : ".lzo"), "w", time);
        }
        return this;
    }

    /** Segments {@code first..last} (16 MiB numbering) of one timeline. */
    public TestArchive segments(long timeline, long first, long last, long time) {
        for (long n = first; n <= last; n++) {
            wal(time, String.format("%08X%08X%08X", timeline, n / 256, n % 256));
        }
        return this;
    }

    TestArchive put(String key, String content, long time) {
        try {
            storage.put(key, new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)), null);
            Files.setLastModifiedTime(root.resolve(key), FileTime.fromMillis(time * 1000));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    TreeSet<String> keys() {
        try {
            TreeSet<String> out = new TreeSet<>();
            for (ObjectInfo o : storage.list("")) {
                out.add(o.key());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String segment(long timeline, long number) {
        return String.format("%08X%08X%08X", timeline, number / 256, number % 256);
    }

    static List<String> backupKeys(String name) {
        return List.of("basebackups_005/" + name + "/extended_version.txt",
                "basebackups_005/" + name + "/tar_partitions/part_00000000.tar.lzo",
                "basebackups_005/" + name + "/tar_partitions/part_00000001.tar.lzo",
                "basebackups_005/" + name + "_backup_stop_sentinel.json");
    }
}
