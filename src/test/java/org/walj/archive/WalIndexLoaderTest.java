package org.walj.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walj.postgres.SegmentName;
import org.walj.postgres.WalCoverage;
import org.walj.postgres.WalSegmentSize;
import org.walj.storage.file.FileStorage;

class WalIndexLoaderTest {
    @Test
    void loadReadsHistoriesFromStorage(@TempDir Path dir) throws IOException {
        FileStorage storage = new FileStorage(dir);
        for (String segment : List.of("000000010000000000000001", "000000010000000000000002",
                "000000010000000000000003", "000000020000000000000003")) {
            storage.put("wal_005/" + segment + ".lzo", new ByteArrayInputStream(new byte[1]), null);
        }
        storage.put("wal_005/00000002.history.lzo", new ByteArrayInputStream(new byte[1]), null);
        List<String> read = new ArrayList<>();
        WalCoverage index = WalIndexLoader.load(storage, key -> {
            read.add(key);
            return "1\t0/3000000\tpromoted\n";
        }, WalSegmentSize.DEFAULT);
        assertEquals(List.of("wal_005/00000002.history.lzo"), read);
        SegmentName first = SegmentName.parse("000000010000000000000001").orElseThrow();
        assertEquals(2, index.coverage(first).timeline());
        assertTrue(index.coverage(first).complete());
    }
}
