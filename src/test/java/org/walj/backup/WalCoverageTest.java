package org.walj.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walj.postgres.SegmentName;
import org.walj.storage.file.FileStorage;

class WalCoverageTest {
    @TempDir
    Path tmp;

    private static SegmentName seg(String name) {
        return SegmentName.parse(name).orElseThrow();
    }

    @Test
    void acrossALogBoundaryLzoAndLz4CountAndGapsAreListed() throws IOException {
        FileStorage storage = new FileStorage(Files.createDirectories(tmp.resolve("a")));
        for (String n : List.of("0000000100000003000000FE.lzo", "000000010000000400000000.lz4",
                "000000010000000400000001.lzo", "000000010000000400000001.partial.lzo")) {
            storage.put("wal_005/" + n, new ByteArrayInputStream(new byte[0]), null);
        }
        WalCoverage.Result r = new WalCoverage(storage).check(seg("0000000100000003000000FE"),
                seg("000000010000000400000002"));
        assertEquals(5, r.segments());
        assertEquals(List.of(seg("0000000100000003000000FF"), seg("000000010000000400000002")), r.missing());
    }

    @Test
    void aStopOnANewTimelineAcceptsEitherTimeline() throws IOException {
        FileStorage storage = new FileStorage(Files.createDirectories(tmp.resolve("b")));
        for (String n : List.of("000000010000000000000005.lzo", "000000020000000000000006.lzo")) {
            storage.put("wal_005/" + n, new ByteArrayInputStream(new byte[0]), null);
        }
        WalCoverage.Result r = new WalCoverage(storage).check(seg("000000010000000000000005"),
                seg("000000020000000000000006"));
        assertEquals(List.of(), r.missing());
        assertThrows(IOException.class, () -> new WalCoverage(storage).check(seg("000000010000000000000006"),
                seg("000000010000000000000005")));
    }
}
