package org.walj.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WalCoverageTest {
    static final WalSegmentSize MIB16 = WalSegmentSize.DEFAULT;
    // PostgreSQL's own format: parent TLI, switch LSN, reason
    static final String HISTORY_2 = "1\t0/A000028\tno recovery target specified\n";

    static SegmentName name(long tli, long n) {
        return MIB16.name(tli, n);
    }

    static List<SegmentName> segs(long tli, long first, long last) {
        List<SegmentName> out = new ArrayList<>();
        for (long n = first; n <= last; n++) {
            out.add(name(tli, n));
        }
        return out;
    }

    @Test
    void aTimelineSwitchIsReadFromTheChildFromTheSwitchSegmentOn() {
        List<SegmentName> k = new ArrayList<>(segs(1, 2, 0x0A)); // timeline 1 went on to 0x0A (old primary)
        k.addAll(segs(2, 0x0A, 0x0F));
        WalCoverage index = WalCoverage.of(k, Map.of(2L, HISTORY_2), MIB16);
        assertEquals(Optional.of(name(2, 0x0F)), index.newest());
        WalCoverage.Span c = index.coverage(name(1, 3));
        assertEquals(2, c.timeline());
        assertTrue(c.complete(), c.toString());
        assertEquals(name(2, 0x0F), c.to());
        assertEquals(Optional.of(name(2, 0x0F)), c.replayableUntil());
        assertEquals(List.of(new TimelineHistory.Step(1, 0), new TimelineHistory.Step(2, 0x0A)),
                index.history(2).steps());
    }

    @Test
    void aMissingSegmentIsAGapOnTheTimelineRecoveryReadsItFrom() {
        List<SegmentName> k = new ArrayList<>(segs(1, 2, 9));
        k.addAll(segs(2, 0x0A, 0x0F));
        k.remove(name(1, 5));
        k.remove(name(2, 0x0B));
        k.remove(name(2, 0x0C));
        k.add(name(1, 0x0B)); // the old timeline's copy does not fill timeline 2's gap
        WalCoverage.Span c = WalCoverage.of(k, Map.of(2L, HISTORY_2), MIB16).coverage(name(1, 2));
        assertEquals(List.of(new WalCoverage.Gap(name(1, 5), name(1, 5), 1),
                new WalCoverage.Gap(name(2, 0x0B), name(2, 0x0C), 2)), c.gaps());
        assertEquals(Optional.of(name(1, 4)), c.replayableUntil());
        assertTrue(c.reaches(name(1, 4)));
        assertFalse(c.reaches(name(1, 5)));
    }

    /** Timeline 1 left at 0x100 for 2, 2 left at 0x120 for 3, across the boundary of logs 0 and 1. */
    static WalCoverage threeTimelines() {
        List<SegmentName> k = new ArrayList<>(segs(1, 0xF0, 0xFF));
        k.addAll(segs(2, 0x100, 0x11F));
        k.addAll(segs(3, 0x120, 0x125));
        String h2 = "1\t0/100000000\tx\n";
        String h3 = h2 + "2\t1/20000000\ty\n";
        return WalCoverage.of(k, Map.of(2L, h2, 3L, h3), MIB16);
    }

    @Test
    void threeTimelinesAcrossALogBoundary() {
        WalCoverage index = threeTimelines();
        WalCoverage.Span c = index.coverage(name(1, 0xF4));
        assertEquals(3, c.timeline());
        assertTrue(c.complete(), c.toString());
        assertEquals("000000030000000100000025", c.to().toString());
        assertEquals(name(1, 0xF0), index.oldestOnHistoryOf(3));
    }

    @Test
    void aBackupOnAnAbandonedBranchIsCheckedAlongItsOwnTimeline() {
        List<SegmentName> k = new ArrayList<>(segs(1, 2, 0x20));
        k.addAll(segs(2, 0x0A, 0x0C)); // timeline 2 branched at 0x0A and stopped early
        WalCoverage index = WalCoverage.of(k, Map.of(2L, HISTORY_2), MIB16);
        WalCoverage.Span onOne = index.coverage(name(1, 0x10));
        assertEquals(1, onOne.timeline());
        assertTrue(onOne.complete());
        assertEquals(name(1, 0x20), onOne.to());
        // a timeline-1 backup before the branch: timeline 1 holds the newest segment, so it is checked along 1
        assertEquals(1, index.coverage(name(1, 3)).timeline());
    }

    @Test
    void aMissingHistoryFileIsReportedAndInferred() {
        List<SegmentName> k = new ArrayList<>(segs(1, 2, 9));
        k.addAll(segs(2, 0x0A, 0x0C));
        WalCoverage.Span c = WalCoverage.of(k, Map.of(), MIB16).coverage(name(1, 2));
        assertEquals(2, c.timeline());
        assertTrue(c.complete(), c.toString());
        assertTrue(c.problems().get(0).contains("00000002.history is missing"), c.problems().toString());
    }

    @Test
    void otherSegmentSizes() {
        WalSegmentSize mib64 = new WalSegmentSize(64L * 1024 * 1024); // 64 segments per log
        List<SegmentName> k = new ArrayList<>();
        for (String s : List.of("00000001000000000000003E", "00000001000000000000003F", "000000010000000100000000")) {
            k.add(SegmentName.parse(s).orElseThrow());
        }
        assertTrue(WalCoverage.of(k, Map.of(), mib64).coverage(name(1, 0x3E)).complete());
        WalCoverage.Span assumed16 = WalCoverage.of(k, Map.of(), MIB16).coverage(name(1, 0x3E));
        assertEquals(1, assumed16.gaps().size(), "a 64 MiB archive read as 16 MiB shows a false gap");
        k.add(SegmentName.parse("000000010000000000000050").orElseThrow());
        assertTrue(WalCoverage.of(k, Map.of(), mib64).coverage(name(1, 0x3E)).problems().get(0)
                .contains("cannot exist with 64 MiB segments"), "a segment number too high for the size is reported");
    }

    // range(): what backup-verify checks, from a backup's start to its stop

    @Test
    void aRangeOnOneTimelineNamesEachMissingSegment() {
        List<SegmentName> k = new ArrayList<>(segs(1, 0xFE, 0x101));
        k.remove(name(1, 0xFF));
        k.remove(name(1, 0x101));
        WalCoverage index = WalCoverage.of(k, Map.of(), MIB16);
        WalCoverage.Span r = index.range(name(1, 0xFE), name(1, 0x102));
        List<SegmentName> missing = new ArrayList<>();
        r.gaps().forEach(g -> missing.addAll(index.segmentsOf(r, g)));
        assertEquals(List.of(name(1, 0xFF), name(1, 0x101), name(1, 0x102)), missing);
        assertEquals(List.of(), r.problems());
        assertTrue(index.range(name(1, 0x100), name(1, 0x100)).complete());
    }

    @Test
    void aRangeAcrossATimelineSwitchIsReadAlongTheStopsHistory() {
        List<SegmentName> k = new ArrayList<>(segs(1, 2, 0x0C)); // the old timeline went on past the switch
        k.addAll(segs(2, 0x0A, 0x0C));
        WalCoverage index = WalCoverage.of(k, Map.of(2L, HISTORY_2), MIB16);
        assertTrue(index.range(name(1, 8), name(2, 0x0B)).complete());

        k.remove(name(2, 0x0A)); // only timeline 1's copy of the switch segment: recovery onto 2 cannot use it
        WalCoverage without = WalCoverage.of(k, Map.of(2L, HISTORY_2), MIB16);
        WalCoverage.Span r = without.range(name(1, 8), name(2, 0x0B));
        assertEquals(List.of(new WalCoverage.Gap(name(2, 0x0A), name(2, 0x0A), 1)), r.gaps());
        assertEquals(List.of(name(2, 0x0A)), without.segmentsOf(r, r.gaps().get(0)));
    }

    @Test
    void aRangeThroughAMiddleTimelineTakesItsSegments() {
        assertTrue(threeTimelines().range(name(1, 0xFE), name(3, 0x121)).complete());
    }

    @Test
    void aRangeIsNeverFilledFromATimelineOlderThanItsStart() {
        List<SegmentName> k = new ArrayList<>(segs(1, 1, 0x10));
        k.addAll(segs(2, 6, 7)); // timeline 2's segment 5 is missing, and there is no history to say where 2 began
        WalCoverage index = WalCoverage.of(k, Map.of(), MIB16);
        WalCoverage.Span r = index.range(name(2, 5), name(2, 7));
        assertEquals(List.of(new WalCoverage.Gap(name(2, 5), name(2, 5), 1)), r.gaps());
        assertEquals(List.of(), r.problems(), "a range on one timeline does not depend on the history");
    }

    @Test
    void aRangeAcrossTimelinesWithoutTheHistoryFileSaysItAssumed() {
        List<SegmentName> k = new ArrayList<>(segs(1, 5, 5));
        k.addAll(segs(2, 6, 6));
        WalCoverage.Span r = WalCoverage.of(k, Map.of(), MIB16).range(name(1, 5), name(2, 6));
        assertTrue(r.complete(), r.toString());
        assertTrue(r.problems().get(0).contains("00000002.history is missing"), r.problems().toString());
    }

    @Test
    void aRangeThatStopsBeforeItStartsIsRefused() {
        WalCoverage index = WalCoverage.of(List.of(), Map.of(), MIB16);
        assertThrows(IllegalArgumentException.class, () -> index.range(name(1, 6), name(1, 5)));
    }
}
