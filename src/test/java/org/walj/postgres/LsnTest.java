package org.walj.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LsnTest {
    private static final long MIB16 = 16L << 20;

    @Test
    void walFileNameAndOffsetAsPostgresComputesThem() {
        Lsn lsn = Lsn.parse("0/2000028");
        assertEquals("000000010000000000000002", lsn.segment(1, new WalSegmentSize(MIB16)).toString());
        assertEquals(40, lsn.offsetInSegment(new WalSegmentSize(MIB16)));
        // log/seg split: 256 segments of 16 MiB per 4 GiB
        assertEquals("0000000A0000001F000000FF", Lsn.parse("1F/FF123456").segment(10, new WalSegmentSize(MIB16)).toString());
        assertEquals(0x123456, Lsn.parse("1F/FF123456").offsetInSegment(new WalSegmentSize(MIB16)));
        // 1 GiB segments: 4 per log
        assertEquals("000000010000000300000002", Lsn.parse("3/80000010").segment(1, new WalSegmentSize(1L << 30)).toString());
        assertEquals(16, Lsn.parse("3/80000010").offsetInSegment(new WalSegmentSize(1L << 30)));
    }

    @Test
    void walESOfflineBugIsNotReproduced() {
        // spec 6.8: WAL-E names REDO 0/2000028 as segment ...00000020; the right answer is ...00000002
        WalPosition p = WalPosition.of(Lsn.parse("0/2000028"), 1, new WalSegmentSize(MIB16));
        assertEquals("000000010000000000000002", p.segment().toString());
        assertEquals(40, p.offset());
    }

    @Test
    void rejectsGarbage() {
        assertThrows(IllegalArgumentException.class, () -> Lsn.parse("2000028"));
        assertThrows(IllegalArgumentException.class, () -> Lsn.parse("0/"));
        assertThrows(IllegalArgumentException.class, () -> Lsn.parse("G/1"));
        assertThrows(IllegalArgumentException.class, () -> Lsn.parse("0/1").segment(1, new WalSegmentSize(3 << 20)));
        assertEquals("1F/FF123456", Lsn.parse("1F/FF123456").toString());
    }
}
