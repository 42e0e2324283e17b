package org.walj.backup;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ExtractedFilesTest {
    @Test
    void remembersEveryNameAddedAcrossGrowthAndNoOther() {
        ExtractedFiles files = new ExtractedFiles();
        int n = 200_000; // grows the table several times
        for (int i = 0; i < n; i++) {
            files.add("base/16384/" + i);
        }
        files.add("base/16384/7"); // twice: no harm
        for (int i = 0; i < n; i++) {
            assertTrue(files.contains("base/16384/" + i), "base/16384/" + i);
        }
        for (int i = 0; i < n; i++) {
            assertFalse(files.contains("base/16385/" + i), "base/16385/" + i);
        }
        assertFalse(files.contains(""));
        assertNotEquals(0, ExtractedFiles.hash(""));
    }
}
