package org.walj.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.walj.postgres.SegmentName;
import org.walj.postgres.WalCoverage;
import org.walj.postgres.WalSegmentSize;

class WalArchiveIndexTest {
    static final WalSegmentSize MIB16 = WalSegmentSize.DEFAULT;
    // PostgreSQL's own format: parent TLI, switch LSN, reason
    static final String HISTORY_2 = "1\t0/A000028\tno recovery target specified\n";

    static String seg(long tli, long n) {
        return String.format("%08X%08X%08X", tli, n / 256, n % 256);
    }

    static SegmentName name(long tli, long n) {
        return SegmentName.parse(seg(tli, n)).orElseThrow();
    }

    static List<String> keys(long tli, long first, long last, String suffix) {
        List<String> out = new ArrayList<>();
        for (long n = first; n <= last; n++) {
            out.add("wal_005/" + seg(tli, n) + suffix);
        }
        return out;
    }

    @Test
    void ofTakesSegmentsWithEitherSuffixAndNothingElse() {
        List<String> k = new ArrayList<>(keys(1, 2, 0x0A, ".lzo"));
        k.addAll(keys(2, 0x0A, 0x0F, ".lz4"));
        k.add("wal_005/00000002.history.lzo");
        k.add("wal_005/" + seg(2, 0x10) + ".partial.lzo");
        k.add("wal_005/" + seg(2, 0x11) + ".00000028.backup.lzo");
        k.add("wal_005/" + seg(2, 0x12) + ".lzo.tmp");
        WalCoverage index = WalArchiveIndex.of(k, Map.of(2L, HISTORY_2), MIB16);
        assertEquals(Optional.of(name(2, 0x0F)), index.newest());
        assertTrue(index.coverage(name(1, 3)).complete());
        assertEquals(2, index.coverage(name(1, 3)).timeline());
    }

    @Test
    void objectNames() {
        assertEquals(WalFileName.Kind.SEGMENT,
                WalArchiveIndex.WalObject.parse("wal_005/000000010000000000000002.lz4").orElseThrow().kind());
        assertEquals(WalFileName.Kind.PARTIAL_SEGMENT,
                WalArchiveIndex.WalObject.parse("wal_005/000000010000000000000002.partial.lzo").orElseThrow().kind());
        assertEquals(WalFileName.Kind.BACKUP_HISTORY, WalArchiveIndex.WalObject
                .parse("wal_005/000000010000000000000002.00000028.backup.lzo").orElseThrow().kind());
        WalArchiveIndex.WalObject h = WalArchiveIndex.WalObject.parse("wal_005/0000000A.history.lz4").orElseThrow();
        assertEquals(10, h.segment().timeline());
        assertEquals(new SegmentName(1, 0, 2),
                WalArchiveIndex.WalObject.parse("wal_005/000000010000000000000002.partial.lz4").orElseThrow().segment());
        for (String bad : List.of("wal_005/000000010000000000000002", "wal_005/000000010000000000000002.lzo.tmp",
                "wal_005/x/000000010000000000000002.lzo", "wal_004/000000010000000000000002.lzo",
                "wal_005/00000001000000000000002.lzo", "wal_005/0000000a.history.lzo")) {
            assertTrue(WalArchiveIndex.WalObject.parse(bad).isEmpty(), bad);
        }
    }
}
