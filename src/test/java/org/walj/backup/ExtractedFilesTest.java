package org.walj.backup;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.walj.layout.BackupManifest;
import org.walj.layout.BackupName;
import org.walj.layout.ManifestEntry;

class ExtractedFilesTest {
    private static final BackupName NAME = BackupName.parse("base_000000010000000000000002_00000040").orElseThrow();

    @Test
    void remembersEveryNameAddedAcrossGrowthAndNoOther() {
        ExtractedFiles files = new ExtractedFiles();
        int n = 200_000; // grows the table several times
        for (int i = 0; i < n; i++) {
            files.add("base/16384/" + i, "base/16384/" + i);
        }
        files.add("base/16384/7", "base/16384/7"); // twice: no harm
        for (int i = 0; i < n; i++) {
            assertTrue(files.contains("base/16384/" + i), "base/16384/" + i);
        }
        for (int i = 0; i < n; i++) {
            assertFalse(files.contains("base/16385/" + i), "base/16385/" + i);
        }
        assertFalse(files.contains(""));
        assertNotEquals(0, ExtractedFiles.hash(""));
    }

    /**
     * With a manifest, files it lists under a plain spelling are bits by entry number; the rest (not listed, spelled
     * oddly) are hashed; a file is only known once added, whichever way it is kept.
     */
    @Test
    void withAManifestListedFilesAreBitsAndOthersHashed() throws IOException {
        List<ManifestEntry> entries = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            entries.add(ManifestObjects.entry(i % 3, "base/1/" + i, "x" + i));
        }
        entries.add(ManifestObjects.entry(0, "./dot/file", "d"));
        entries.add(ManifestObjects.entry(0, "odd//name", "o"));
        String text = ManifestObjects.text(NAME, entries);
        BackupManifest manifest = BackupManifest.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                NAME);
        ExtractedFiles files = new ExtractedFiles(manifest);
        for (int i = 0; i < 1_000; i += 2) {
            files.add("base/1/" + i, "base/1/" + i);
        }
        files.add("./dot/file", "dot/file");
        files.add("odd//name", "odd/name");
        files.add("not/listed", "not/listed");
        for (int i = 0; i < 1_000; i++) {
            assertTrue(files.contains("base/1/" + i) == (i % 2 == 0), "base/1/" + i);
        }
        assertTrue(files.contains("dot/file"));
        assertTrue(files.contains("odd/name"));
        assertTrue(files.contains("not/listed"));
        assertFalse(files.contains("odd//name"), "looked up by the path it was written to");
        assertFalse(files.contains("dot"));
        assertFalse(files.contains("base/1/1000"));
    }
}
