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
import org.walj.postgres.WalSegmentSize;

class WalArchiveIndexTest {
    static final long MIB16 = WalSegmentSize.DEFAULT.bytes();
    // PostgreSQL's own format: parent TLI, switch LSN, reason
    static final String HISTORY_2 = "1\t0/A000028\tno recovery target specified\n";
    static final String HISTORY_3 = "1\t0/A000028\tno recovery target specified\n\n2\t0/10000000\tbefore 2026-11-22\n";

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
    void aTimelineSwitchIsReadFromTheChildFromTheSwitchSegmentOn() {
        List<String> k = new ArrayList<>(keys(1, 2, 0x0A, ".lzo")); // timeline 1 went on to 0x0A (old primary)
        k.addAll(keys(2, 0x0A, 0x0F, ".lz4"));
        k.add("wal_005/00000002.history.lzo");
        WalArchiveIndex index = WalArchiveIndex.of(k, Map.of(2L, HISTORY_2), MIB16);
        assertEquals(Optional.of(name(2, 0x0F)), index.newest());
        WalArchiveIndex.Coverage c = index.coverage(name(1, 3));
        assertEquals(2, c.timeline());
        assertTrue(c.complete(), c.toString());
        assertEquals(name(2, 0x0F), c.to());
        assertEquals(Optional.of(name(2, 0x0F)), c.replayableUntil());
        assertEquals(List.of(new WalArchiveIndex.TimelineStep(1, 0), new WalArchiveIndex.TimelineStep(2, 0x0A)),
                index.history(2));
    }

    @Test
    void aMissingSegmentIsAGapOnTheTimelineRecoveryReadsItFrom() {
        List<String> k = new ArrayList<>(keys(1, 2, 9, ".lzo"));
        k.addAll(keys(2, 0x0A, 0x0F, ".lzo"));
        k.remove("wal_005/" + seg(1, 5) + ".lzo");
        k.remove("wal_005/" + seg(2, 0x0B) + ".lzo");
        k.remove("wal_005/" + seg(2, 0x0C) + ".lzo");
        k.add("wal_005/" + seg(1, 0x0B) + ".lzo"); // the old timeline's copy does not fill timeline 2's gap
        WalArchiveIndex.Coverage c = WalArchiveIndex.of(k, Map.of(2L, HISTORY_2), MIB16).coverage(name(1, 2));
        assertEquals(List.of(new WalArchiveIndex.Gap(name(1, 5), name(1, 5), 1),
                new WalArchiveIndex.Gap(name(2, 0x0B), name(2, 0x0C), 2)), c.gaps());
        assertEquals(Optional.of(name(1, 4)), c.replayableUntil());
        assertTrue(c.reaches(name(1, 4)));
        assertFalse(c.reaches(name(1, 5)));
    }

    @Test
    void threeTimelinesAcrossALogBoundary() {
        List<String> k = new ArrayList<>(keys(1, 0xF0, 0xFF, ".lzo"));
        k.addAll(keys(2, 0x100, 0x11F, ".lzo"));
        k.addAll(keys(3, 0x120, 0x125, ".lzo"));
        String h2 = "1\t0/100000000\tx\n";
        String h3 = h2 + "2\t1/20000000\ty\n";
        WalArchiveIndex index = WalArchiveIndex.of(k, Map.of(2L, h2, 3L, h3), MIB16);
        WalArchiveIndex.Coverage c = index.coverage(name(1, 0xF4));
        assertEquals(3, c.timeline());
        assertTrue(c.complete(), c.toString());
        assertEquals("000000030000000100000025", c.to().toString());
        assertEquals(name(1, 0xF0), index.oldestOnHistoryOf(3));
    }

    @Test
    void aBackupOnAnAbandonedBranchIsCheckedAlongItsOwnTimeline() {
        List<String> k = new ArrayList<>(keys(1, 2, 0x20, ".lzo"));
        k.addAll(keys(2, 0x0A, 0x0C, ".lzo")); // timeline 2 branched at 0x0A and stopped early
        WalArchiveIndex index = WalArchiveIndex.of(k, Map.of(2L, HISTORY_2), MIB16);
        WalArchiveIndex.Coverage onOne = index.coverage(name(1, 0x10));
        assertEquals(1, onOne.timeline());
        assertTrue(onOne.complete());
        assertEquals(name(1, 0x20), onOne.to());
        // a timeline-1 backup before the branch: timeline 1 holds the newest segment, so it is checked along 1
        assertEquals(1, index.coverage(name(1, 3)).timeline());
    }

    @Test
    void aMissingHistoryFileIsReportedAndInferred() {
        List<String> k = new ArrayList<>(keys(1, 2, 9, ".lzo"));
        k.addAll(keys(2, 0x0A, 0x0C, ".lzo"));
        WalArchiveIndex.Coverage c = WalArchiveIndex.of(k, Map.of(), MIB16).coverage(name(1, 2));
        assertEquals(2, c.timeline());
        assertTrue(c.complete(), c.toString());
        assertTrue(c.problems().get(0).contains("00000002.history is missing"), c.problems().toString());
    }

    @Test
    void otherSegmentSizes() {
        long mib64 = 64L * 1024 * 1024; // 64 segments per log
        List<String> k = new ArrayList<>();
        for (String s : List.of("00000001000000000000003E", "00000001000000000000003F", "000000010000000100000000")) {
            k.add("wal_005/" + s + ".lzo");
        }
        assertTrue(WalArchiveIndex.of(k, Map.of(), mib64).coverage(name(1, 0x3E)).complete());
        WalArchiveIndex.Coverage assumed16 = WalArchiveIndex.of(k, Map.of(), MIB16).coverage(name(1, 0x3E));
        assertEquals(1, assumed16.gaps().size(), "a 64 MiB archive read as 16 MiB shows a false gap");
        k.add("wal_005/000000010000000000000050.lzo");
        assertTrue(WalArchiveIndex.of(k, Map.of(), mib64).coverage(name(1, 0x3E)).problems().get(0)
                .contains("cannot exist with 64 MiB segments"), "a segment number too high for the size is reported");
    }

    @Test
    void objectNames() {
        assertEquals(WalArchiveIndex.Kind.SEGMENT,
                WalArchiveIndex.WalObject.parse("wal_005/000000010000000000000002.lz4").orElseThrow().kind());
        assertEquals(WalArchiveIndex.Kind.PARTIAL_SEGMENT,
                WalArchiveIndex.WalObject.parse("wal_005/000000010000000000000002.partial.lzo").orElseThrow().kind());
        assertEquals(WalArchiveIndex.Kind.BACKUP_HISTORY, WalArchiveIndex.WalObject
                .parse("wal_005/000000010000000000000002.00000028.backup.lzo").orElseThrow().kind());
        WalArchiveIndex.WalObject h = WalArchiveIndex.WalObject.parse("wal_005/0000000A.history.lz4").orElseThrow();
        assertEquals(10, h.segment().timeline());
        for (String bad : List.of("wal_005/000000010000000000000002", "wal_005/000000010000000000000002.lzo.tmp",
                "wal_005/x/000000010000000000000002.lzo", "wal_004/000000010000000000000002.lzo",
                "wal_005/00000001000000000000002.lzo", "wal_005/0000000a.history.lzo")) {
            assertTrue(WalArchiveIndex.WalObject.parse(bad).isEmpty(), bad);
        }
    }
}
