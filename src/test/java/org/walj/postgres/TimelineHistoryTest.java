package org.walj.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TimelineHistoryTest {
    @Test
    void postgresFormatCommentsAndBlankLines() {
        TimelineHistory h = TimelineHistory.parse(3,
                "# a comment\n1\t0/A000028\tno recovery target specified\n\n2\t1/20000000\tbefore 2026-11-22\n",
                WalSegmentSize.DEFAULT);
        assertEquals(List.of(new TimelineHistory.Step(1, 0), new TimelineHistory.Step(2, 0x0A),
                new TimelineHistory.Step(3, 0x120)), h.steps());
        assertEquals(3, h.timeline());
        assertEquals(1, h.timelineAt(9));
        assertEquals(2, h.timelineAt(0x0A));
        assertEquals(3, h.timelineAt(0x200));
        assertTrue(h.passesThrough(1, 0x0A), "a start in the segment timeline 1 was left in");
        assertFalse(h.passesThrough(1, 0x0B));
        assertFalse(h.passesThrough(3, 0x0B), "the last timeline is not left");
    }

    @Test
    void theSwitchSegmentDependsOnTheSegmentSize() {
        TimelineHistory h = TimelineHistory.parse(2, "1\t0/A000028\tx\n", new WalSegmentSize(64L * 1024 * 1024));
        assertEquals(List.of(new TimelineHistory.Step(1, 0), new TimelineHistory.Step(2, 2)), h.steps());
    }

    @Test
    void aLineNotInTheFormatIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TimelineHistory.parse(0x0A, "1\tnot-an-lsn\tx\n", WalSegmentSize.DEFAULT));
        assertEquals("timeline history file 0000000A.history has a line that is not \"parent<TAB>X/Y<TAB>reason\": "
                + "1\tnot-an-lsn\tx", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TimelineHistory.parse(2, "1\n", WalSegmentSize.DEFAULT));
    }
}
