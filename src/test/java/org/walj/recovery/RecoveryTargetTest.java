package org.walj.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.walj.UserException;

class RecoveryTargetTest {
    @Test
    void timesNeedAZoneAndAreWrittenInUtc() {
        Instant at = Instant.parse("2026-11-22T01:41:00Z");
        for (String text : new String[] {"2026-11-22 02:41:00+01", "2026-11-22T02:41:00+01:00",
                "2026-11-22 02:41+0100", "2026-11-22 01:41:00Z", "2026-11-22 01:41:00 UTC"}) {
            assertEquals(at, RecoveryTarget.time(text).time().orElseThrow(), text);
        }
        RecoveryTarget t = RecoveryTarget.time("2026-12-07 06:55:12.345678+00");
        assertEquals("2026-12-07 06:55:12.345678+00", t.settingValue());
        assertEquals("recovery_target_time", t.settingName().orElseThrow());
        UserException bare = assertThrows(UserException.class, () -> RecoveryTarget.time("2026-11-22 02:41:00"));
        assertTrue(bare.hint().orElseThrow().contains("time zone"));
        assertThrows(UserException.class, () -> RecoveryTarget.time("2026-02-30 02:41:00+00"));
        assertThrows(UserException.class, () -> RecoveryTarget.time("yesterday"));
    }

    @Test
    void lsnsXidsAndNamesAreChecked() {
        assertEquals("0/5000100", RecoveryTarget.lsn("0/5000100").settingValue());
        assertThrows(UserException.class, () -> RecoveryTarget.lsn("5000100"));
        assertEquals("4711", RecoveryTarget.xid("4711").settingValue());
        assertThrows(UserException.class, () -> RecoveryTarget.xid("-1"));
        assertEquals("before upgrade", RecoveryTarget.name("before upgrade").settingValue());
        assertThrows(UserException.class, () -> RecoveryTarget.name(""));
        assertThrows(UserException.class, () -> RecoveryTarget.name("x".repeat(64)));
        assertThrows(UserException.class, () -> RecoveryTarget.name("a\nb"));
        assertTrue(RecoveryTarget.latest().settingName().isEmpty());
    }
}
