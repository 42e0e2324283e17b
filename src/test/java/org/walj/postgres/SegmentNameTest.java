package org.walj.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentNameTest {

    @Test
    void parsesAndPrintsTheThreeParts() {
        SegmentName s = name("0000000A000000FF0000001B");
        assertEquals(10, s.timeline());
        assertEquals(255, s.log());
        assertEquals(27, s.segment());
        assertEquals("0000000A000000FF0000001B", s.toString());
    }

    @Test
    void formatThenParseIsTheSameName() {
        SegmentName s = new SegmentName(0xFFFFFFFFL, 0x12345678L, 0xABCDEFL);
        assertEquals(s, SegmentName.parse(s.toString()).orElseThrow());
    }

    @Test
    void nextRollsOverAfterSegmentFFLikeWalE() {
        assertEquals("000000010000000000000003", name("000000010000000000000002").next().toString());
        assertEquals("000000010000000200000000", name("0000000100000001000000FF").next().toString());
    }

    @Test
    void nextRollsOverWhereTheSegmentSizeEndsALog() {
        WalSegmentSize oneGiB = new WalSegmentSize(1L << 30);
        assertEquals("000000010000000100000003", name("000000010000000100000002").next(oneGiB).toString());
        assertEquals("000000010000000200000000", name("000000010000000100000003").next(oneGiB).toString());
        WalSegmentSize oneMiB = new WalSegmentSize(1L << 20);
        assertEquals("000000010000000100000100", name("0000000100000001000000FF").next(oneMiB).toString());
        assertEquals("000000010000000200000000", name("000000010000000100000FFF").next(oneMiB).toString());
    }

    @Test
    void ordersByTimelineThenPosition() {
        List<SegmentName> names = new ArrayList<>(List.of(new SegmentName(2, 0, 1), new SegmentName(1, 1, 0),
                new SegmentName(1, 0, 0xFF)));
        Collections.sort(names);
        assertEquals(List.of(new SegmentName(1, 0, 0xFF), new SegmentName(1, 1, 0), new SegmentName(2, 0, 1)), names);
    }

    @Test
    void placeInWalIgnoresTheTimeline() {
        assertTrue(new SegmentName(2, 0, 0xFF).placeInWal() < new SegmentName(1, 1, 0).placeInWal());
        assertEquals(new SegmentName(1, 3, 4).placeInWal(), new SegmentName(9, 3, 4).placeInWal());
    }

    @Test
    void rejectsEverythingButTwentyFourUpperCaseHexDigits() {
        assertTrue(SegmentName.parse("00000001000000000000000a").isEmpty());
        assertTrue(SegmentName.parse("00000002.history").isEmpty());
        assertTrue(SegmentName.parse("0000000100000000000000021").isEmpty());
        assertTrue(SegmentName.parse("000000010000000000000002.partial").isEmpty());
        assertTrue(SegmentName.parse(null).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> new SegmentName(1, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> new SegmentName(0x1_0000_0000L, 0, 0));
    }

    private static SegmentName name(String text) {
        return SegmentName.parse(text).orElseThrow();
    }
}
