package org.walj.layout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BackupManifestTest {
    static final BackupName NAME = BackupName.parse("base_000000010000000000000002_00000040").orElseThrow();
    static final String V1_HEADER = "{\"walj_manifest\": 1, \"backup\": \"" + NAME + "\", \"digest\": \"sha256\"}";

    private static ManifestEntry file(int partition, String name, String content) {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        return ManifestEntry.file(partition, name, 0600, data.length, ManifestEntry.newDigest().digest(data));
    }

    private static ManifestEntry oldFile(int partition, String name, String content) {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        return new ManifestEntry(partition, name, data.length, ManifestEntry.newDigest().digest(data));
    }

    private static BackupManifest read(String text) throws IOException {
        return BackupManifest.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), NAME);
    }

    private static String manifest(String... lines) {
        return BackupManifest.headerLine(NAME) + "\n" + String.join("\n", lines) + "\n";
    }

    private static String oldManifest(String... lines) {
        return V1_HEADER + "\n" + String.join("\n", lines) + "\n";
    }

    @Test
    void everyMemberRoundTripsIncludingOddNames() throws IOException {
        ManifestEntry root = ManifestEntry.directory(0, "./", 0700);
        ManifestEntry a = file(0, "base/1/1259", "x".repeat(8192));
        ManifestEntry b = file(3, "caf\u00e9/\"quoted\" \\ tab\t", "");
        ManifestEntry link = ManifestEntry.symlink(1, "pg_wal", 0777, "/srv/wal \"x\"");
        BackupManifest m = read(manifest(root.toJsonLine(), a.toJsonLine(), b.toJsonLine(), link.toJsonLine(),
                BackupManifest.trailerLine(4, 2, 8192)));
        assertTrue(m.complete());
        assertEquals(4, m.members());
        assertEquals(2, m.files());
        assertEquals(root, m.get("./"));
        assertEquals(a, m.get("base/1/1259"));
        assertEquals(b, m.get(b.name()));
        assertEquals(link, m.get("pg_wal"));
        assertArrayEquals(b.sha256(), m.get(b.name()).sha256());
        assertEquals(8192, m.bytes());
        assertEquals("{\"walj_manifest\": 2, \"backup\": \"" + NAME + "\", \"digest\": \"sha256\"}",
                BackupManifest.headerLine(NAME));
        assertEquals("{\"partition\": 0, \"name\": \"base/1/1259\", \"type\": \"file\", \"mode\": \"0600\", "
                + "\"size\": 8192, \"sha256\": \"" + a.sha256Hex() + "\"}", a.toJsonLine());
        assertEquals("{\"partition\": 0, \"name\": \"./\", \"type\": \"dir\", \"mode\": \"0700\"}", root.toJsonLine());
        assertEquals("{\"partition\": 1, \"name\": \"pg_wal\", \"type\": \"symlink\", \"mode\": \"0777\", "
                + "\"target\": \"/srv/wal \\\"x\\\"\"}", link.toJsonLine());
        assertEquals("{\"end\": true, \"members\": 4, \"files\": 2, \"bytes\": 8192}",
                BackupManifest.trailerLine(4, 2, 8192));
    }

    @Test
    void aVersionOneManifestIsStillReadAsFilesOnly() throws IOException {
        ManifestEntry a = oldFile(0, "base/1/1259", "x".repeat(8192));
        BackupManifest m = read(oldManifest(a.toJsonLine(), "{\"end\": true, \"files\": 1, \"bytes\": 8192}"));
        assertFalse(m.complete());
        assertEquals(a, m.get("base/1/1259"));
        assertFalse(m.get("base/1/1259").hasMode());
        assertEquals("{\"partition\": 0, \"name\": \"base/1/1259\", \"size\": 8192, \"sha256\": \""
                + a.sha256Hex() + "\"}", a.toJsonLine(), "the version 1 line, as wal-j wrote it");
        // a version 1 manifest has no directory lines
        assertEquals("manifest line 2: \"size\" must be a non-negative integer", assertThrows(IOException.class,
                () -> read(oldManifest(ManifestEntry.directory(0, "base/", 0700).toJsonLine(),
                        "{\"end\": true, \"files\": 1, \"bytes\": 0}"))).getMessage());
    }

    @Test
    void damageIsOneLineNamingWhatIsWrong() {
        ManifestEntry a = file(0, "base/1/1259", "abc");
        assertEquals("manifest: truncated after line 2 (no trailer)",
                assertThrows(IOException.class, () -> read(manifest(a.toJsonLine()))).getMessage());
        assertEquals("manifest: the trailer counts 2 members, 2 files of 3 bytes, the manifest lists 1 members, 1 of 3",
                assertThrows(IOException.class, () -> read(manifest(a.toJsonLine(),
                        BackupManifest.trailerLine(2, 2, 3)))).getMessage());
        assertEquals("manifest: the trailer counts 2 members, 1 files of 3 bytes, the manifest lists 1 members, 1 of 3",
                assertThrows(IOException.class, () -> read(manifest(a.toJsonLine(),
                        BackupManifest.trailerLine(2, 1, 3)))).getMessage(), "a directory line cut out is counted");
        assertEquals("manifest: \"base/1/1259\" is listed twice (line 3)",
                assertThrows(IOException.class, () -> read(manifest(a.toJsonLine(), a.toJsonLine(),
                        BackupManifest.trailerLine(2, 2, 6)))).getMessage());
        assertEquals("manifest line 2: not a file entry",
                assertThrows(IOException.class, () -> read(manifest(a.toJsonLine().replace(a.sha256Hex(), "00"),
                        BackupManifest.trailerLine(1, 1, 3)))).getMessage());
        String notAMember = "manifest line 2: not a member entry (type \"file\", \"dir\" or \"symlink\", and a mode "
                + "of four octal digits)";
        assertEquals(notAMember, assertThrows(IOException.class, () -> read(manifest(
                a.toJsonLine().replace("\"file\"", "\"device\""), BackupManifest.trailerLine(1, 1, 3)))).getMessage());
        assertEquals(notAMember, assertThrows(IOException.class, () -> read(manifest(
                a.toJsonLine().replace("\"0600\"", "\"0800\""), BackupManifest.trailerLine(1, 1, 3)))).getMessage());
        assertEquals("manifest line 2: \"type\" must be a string, found nothing", assertThrows(IOException.class,
                () -> read(manifest(oldFile(0, "x", "abc").toJsonLine(), BackupManifest.trailerLine(1, 1, 3))))
                .getMessage(), "a version 2 manifest with a version 1 line");
        assertEquals("manifest line 2: \"target\" must be a string, found nothing", assertThrows(IOException.class,
                () -> read(manifest("{\"partition\": 0, \"name\": \"l\", \"type\": \"symlink\", \"mode\": \"0777\"}",
                        BackupManifest.trailerLine(1, 0, 0)))).getMessage());
        assertEquals("manifest: line 1 is not a version 1 or 2 wal-j manifest header", assertThrows(IOException.class,
                () -> read(V1_HEADER.replace(": 1,", ": 3,") + "\n")).getMessage());
        assertEquals("manifest: it belongs to backup base_000000010000000000000002_00000040, not to "
                + "base_000000010000000000000003_00000040", assertThrows(IOException.class,
                () -> BackupManifest.read(new ByteArrayInputStream(manifest(BackupManifest.trailerLine(0, 0, 0))
                        .getBytes(StandardCharsets.UTF_8)),
                        BackupName.parse("base_000000010000000000000003_00000040").orElseThrow())).getMessage());
        assertEquals("manifest: empty", assertThrows(IOException.class, () -> read("")).getMessage());
        assertEquals("manifest line 1: no newline at the end (truncated)",
                assertThrows(IOException.class, () -> read("{\"walj")).getMessage());
    }
}
