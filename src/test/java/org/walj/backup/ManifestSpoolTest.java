package org.walj.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walj.layout.BackupName;
import org.walj.layout.ManifestEntry;
import org.walj.pipeline.codecs.Compression;
import org.walj.pipeline.Encryption;
import org.walj.pipeline.ObjectCodec;
import org.walj.storage.file.FileStorage;

/** issue 12 item 10: the spool names every file of the cluster and must not outlive the process, even a SIGKILL. */
class ManifestSpoolTest {
    private static final BackupName NAME = BackupName.parse("base_000000010000000000000002_00000040").orElseThrow();

    @Test
    void theSpoolHasNoNameFromTheStartAndStillStoresTheWholeManifest(@TempDir Path tmp) throws IOException {
        Path spoolDir = Files.createDirectory(tmp.resolve("spool"));
        Path archive = Files.createDirectory(tmp.resolve("archive"));
        ObjectCodec codec = Compression.LZO.with(Encryption.NONE);
        String key;
        try (ManifestSpool spool = new ManifestSpool(NAME, spoolDir)) {
            assertEquals(List.of(), list(spoolDir), "unlinked right after it was opened: a SIGKILL leaves nothing");
            byte[] sha = new byte[ManifestEntry.SHA256_BYTES];
            for (int i = 0; i < 20_000; i++) { // more than the writer's 64 KiB buffer
                spool.add(new ManifestEntry(i % 3, "base/1/file_" + i, i, sha));
            }
            assertEquals(List.of(), list(spoolDir));
            key = spool.store(new FileStorage(archive), codec);
            assertEquals(20_000, spool.files());
        }
        assertEquals(List.of(), list(spoolDir));
        String text;
        try (InputStream in = codec.decoder(key, Files.newInputStream(archive.resolve(key)))) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> lines = text.lines().toList();
        assertEquals(20_002, lines.size(), "header, every entry, trailer");
        assertTrue(lines.get(1).contains("base/1/file_0"), lines.get(1));
        assertTrue(lines.get(20_000).contains("base/1/file_19999"), lines.get(20_000));
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
