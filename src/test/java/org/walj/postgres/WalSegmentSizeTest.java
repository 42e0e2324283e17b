package org.walj.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WalSegmentSizeTest {

    @Test
    void segmentsPerLogFollowFromTheSize() {
        assertEquals(256, WalSegmentSize.DEFAULT.segmentsPerLog());
        assertEquals(4096, new WalSegmentSize(1L << 20).segmentsPerLog());
        assertEquals(4, new WalSegmentSize(1L << 30).segmentsPerLog());
    }

    @Test
    void numberAndNameAreInverse() {
        WalSegmentSize size = new WalSegmentSize(64L << 20);
        SegmentName s = new SegmentName(3, 7, 0x3F);
        assertEquals(7 * 64 + 0x3F, size.number(s));
        assertEquals(s, size.name(3, size.number(s)));
    }

    @Test
    void lsnToSegmentAsPostgresComputesIt() {
        assertEquals(0x1FFF, WalSegmentSize.DEFAULT.numberAt(0x1F_FF123456L));
        assertEquals(0x123456, WalSegmentSize.DEFAULT.offsetAt(0x1F_FF123456L));
    }

    @Test
    void fitsSaysWhetherTheSegmentPartExistsAtThisSize() {
        assertTrue(WalSegmentSize.DEFAULT.fits(new SegmentName(1, 0, 0xFF)));
        assertFalse(WalSegmentSize.DEFAULT.fits(new SegmentName(1, 0, 0x100)));
    }

    @Test
    void onlyPowersOfTwoFromOneMiBToOneGiB() {
        assertTrue(WalSegmentSize.isValid(1L << 20));
        assertTrue(WalSegmentSize.isValid(1L << 30));
        assertFalse(WalSegmentSize.isValid(1L << 19));
        assertFalse(WalSegmentSize.isValid(1L << 31));
        assertFalse(WalSegmentSize.isValid(3L << 20));
        assertThrows(IllegalArgumentException.class, () -> new WalSegmentSize(0));
    }
}
