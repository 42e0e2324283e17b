package org.walj.layout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BackupManifestTest {
    static final BackupName NAME = BackupName.parse("base_000000010000000000000002_00000040").orElseThrow();

    private static ManifestEntry entry(int partition, String name, String content) {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        return new ManifestEntry(partition, name, data.length, ManifestEntry.newDigest().digest(data));
    }

    private static BackupManifest read(String text) throws IOException {
        return BackupManifest.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), NAME);
    }

    private static String manifest(String... lines) {
        return BackupManifest.headerLine(NAME) + "\n" + String.join("\n", lines) + "\n";
    }

    @Test
    void roundTripIncludingOddNames() throws IOException {
        ManifestEntry a = entry(0, "base/1/1259", "x".repeat(8192));
        ManifestEntry b = entry(3, "caf\u00e9/\"quoted\" \\ tab\t", "");
        BackupManifest m = read(manifest(a.toJsonLine(), b.toJsonLine(), BackupManifest.trailerLine(2, 8192)));
        assertEquals(2, m.entries().size());
        assertEquals(a, m.entries().get("base/1/1259"));
        assertEquals(b, m.entries().get(b.name()));
        assertArrayEquals(b.sha256(), m.entries().get(b.name()).sha256());
        assertEquals(8192, m.bytes());
        assertEquals("{\"partition\": 0, \"name\": \"base/1/1259\", \"size\": 8192, \"sha256\": \""
                + a.sha256Hex() + "\"}", a.toJsonLine());
    }

    @Test
    void damageIsOneLineNamingWhatIsWrong() {
        ManifestEntry a = entry(0, "base/1/1259", "abc");
        assertEquals("manifest: truncated after line 2 (no trailer)",
                assertThrows(IOException.class, () -> read(manifest(a.toJsonLine()))).getMessage());
        assertEquals("manifest: the trailer counts 2 files of 3 bytes, the manifest lists 1 of 3",
                assertThrows(IOException.class, () -> read(manifest(a.toJsonLine(),
                        BackupManifest.trailerLine(2, 3)))).getMessage());
        assertEquals("manifest: \"base/1/1259\" is listed twice (line 3)",
                assertThrows(IOException.class, () -> read(manifest(a.toJsonLine(), a.toJsonLine(),
                        BackupManifest.trailerLine(2, 6)))).getMessage());
        assertEquals("manifest line 2: not a file entry",
                assertThrows(IOException.class, () -> read(manifest(a.toJsonLine().replace(a.sha256Hex(), "00"),
                        BackupManifest.trailerLine(1, 3)))).getMessage());
        assertEquals("manifest: it belongs to backup base_000000010000000000000002_00000040, not to "
                + "base_000000010000000000000003_00000040", assertThrows(IOException.class,
                () -> BackupManifest.read(new ByteArrayInputStream(manifest(BackupManifest.trailerLine(0, 0))
                        .getBytes(StandardCharsets.UTF_8)),
                        BackupName.parse("base_000000010000000000000003_00000040").orElseThrow())).getMessage());
        assertEquals("manifest: empty", assertThrows(IOException.class, () -> read("")).getMessage());
        assertEquals("manifest line 1: no newline at the end (truncated)",
                assertThrows(IOException.class, () -> read("{\"walj")).getMessage());
    }
}
