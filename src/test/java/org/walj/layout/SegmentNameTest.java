package org.walj.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SegmentNameTest {

    @Test
    void parsesAndPrintsTheThreeParts() {
        SegmentName s = SegmentName.parse("0000000A000000FF0000001B").orElseThrow();
        assertEquals(10, s.timeline());
        assertEquals(255, s.log());
        assertEquals(27, s.segment());
        assertEquals("0000000A000000FF0000001B", s.toString());
    }

    @Test
    void nextRollsOverAfterSegmentFFLikeWalE() {
        assertEquals("000000010000000000000003", SegmentName.parse("000000010000000000000002").orElseThrow().next().toString());
        assertEquals("000000010000000200000000", SegmentName.parse("0000000100000001000000FF").orElseThrow().next().toString());
    }

    @Test
    void rejectsEverythingButTwentyFourUpperCaseHexDigits() {
        assertTrue(SegmentName.parse("00000001000000000000000a").isEmpty());
        assertTrue(SegmentName.parse("00000002.history").isEmpty());
        assertTrue(SegmentName.parse("0000000100000000000000021").isEmpty());
        assertTrue(SegmentName.parse(null).isEmpty());
    }

    @Test
    void walFileNamesMustBePlainNames() {
        assertTrue(new WalFileName("00000002.history").isKnownKind());
        assertTrue(new WalFileName("000000010000000000000002.00000028.backup").isKnownKind());
        assertTrue(new WalFileName("000000010000000000000002.partial").isKnownKind());
        assertFalse(new WalFileName("RECOVERYXLOG").isKnownKind());
        assertThrows(IllegalArgumentException.class, () -> new WalFileName("../../etc/passwd"));
        assertThrows(IllegalArgumentException.class, () -> new WalFileName(".."));
        assertThrows(IllegalArgumentException.class, () -> new WalFileName(""));
        assertEquals("wal_005/00000002.history.lzo", ArchiveLayout.walObjectKey(new WalFileName("00000002.history"), ".lzo"));
    }
}
