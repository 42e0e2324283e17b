package org.walj.postgres;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WalNamesTest {
    @Test
    void anyWalFileTakesEveryKindPostgresArchives() {
        for (String name : new String[] {"000000010000000A000000FF", "000000010000000A000000FF.partial",
                "000000010000000A000000FF.00000028.backup", "0000000A.history"}) {
            assertTrue(WalNames.ANY_WAL_FILE.matcher(name).matches(), name);
        }
    }

    @Test
    void refusesLowerCaseShortAndForeignNames() {
        for (String name : new String[] {"000000010000000a000000ff", "00000001000000000000001", "0000000A.HISTORY",
                "000000010000000A000000FF.backup", "000000010000000A000000FF.partial.lzo", "x.history", ""}) {
            assertFalse(WalNames.ANY_WAL_FILE.matcher(name).matches(), name);
        }
    }

    @Test
    void readySegmentIsAPlainSegmentOnly() {
        assertTrue(WalNames.READY_SEGMENT.matcher("000000010000000000000001.ready").matches());
        assertFalse(WalNames.READY_SEGMENT.matcher("00000002.history.ready").matches());
        assertFalse(WalNames.READY_SEGMENT.matcher("000000010000000000000001.00000028.backup.ready").matches());
        assertFalse(WalNames.READY_SEGMENT.matcher("000000010000000000000001.done").matches());
    }
}
