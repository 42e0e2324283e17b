package org.walj.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ProgressTextTest {
    private static final long KIB = 1024;
    private static final long MIB = KIB * KIB;
    private static final long GIB = MIB * KIB;

    @Test
    void bytesInBinaryUnitsWithThreeSignificantDigits() {
        assertEquals("0 B", ProgressText.bytes(0));
        assertEquals("1023 B", ProgressText.bytes(1023));
        assertEquals("1.00 KiB", ProgressText.bytes(1024));
        assertEquals("1.50 KiB", ProgressText.bytes(1536));
        assertEquals("15.3 MiB", ProgressText.bytes(16_043_212));
        assertEquals("210 MiB", ProgressText.bytes(210 * MIB));
        assertEquals("999 MiB", ProgressText.bytes(999 * MIB));
        // 1023.9 MiB would print as "1024 MiB": the next unit is shorter
        assertEquals("1.00 GiB", ProgressText.bytes(GIB - 100 * KIB));
        assertEquals("1.21 GiB", ProgressText.bytes(1_300_000_000L));
        assertEquals("2.00 TiB", ProgressText.bytes(2 * GIB * 1024));
        assertEquals("8.00 EiB", ProgressText.bytes(Long.MAX_VALUE));
        assertThrows(IllegalArgumentException.class, () -> ProgressText.bytes(-1));
    }

    @Test
    void durationIsHoursMinutesSeconds() {
        assertEquals("0:00:00", ProgressText.duration(0));
        assertEquals("0:01:08", ProgressText.duration(68));
        assertEquals("2:05:00", ProgressText.duration(2 * 3600 + 300));
        assertEquals("100:00:01", ProgressText.duration(100 * 3600 + 1));
    }

    @Test
    void percentRoundsDownAndSaysHundredOnlyWhenDone() {
        assertEquals(0, ProgressText.percent(0, 1000));
        assertEquals(7, ProgressText.percent(79, 1000));
        assertEquals(99, ProgressText.percent(999_999, 1_000_000));
        assertEquals(100, ProgressText.percent(1000, 1000));
        assertEquals(100, ProgressText.percent(1200, 1000), "a file that grew is cut, but never more than 100%");
        assertEquals(100, ProgressText.percent(0, 0), "nothing to do is done");
    }

    @Test
    void aKnownTotalGivesPercentAndEta() {
        // 15.3 GiB left at 210 MiB/s: 74.6 s -> 75 s, rounded up
        long total = 16_400_000_000L;
        long done = 1_300_000_000L;
        double rate = 210.0 * MIB;
        long eta = (long) Math.ceil((total - done) / rate);
        assertEquals("backup-fetch downloaded 1.21 GiB of 15.3 GiB (7%), 210 MiB/s, ETA "
                        + ProgressText.duration(eta),
                ProgressText.line("backup-fetch downloaded", done, OptionalLong.of(total), OptionalDouble.of(rate)));
        assertEquals("0:01:09", ProgressText.duration(eta));
    }

    @Test
    void withoutATotalBytesAndRateOnly() {
        assertEquals("backup-fetch downloaded 512 B, 1.00 KiB/s",
                ProgressText.line("backup-fetch downloaded", 512, OptionalLong.empty(), OptionalDouble.of(1024)));
    }

    @Test
    void withoutARateYetNeitherRateNorEta() {
        assertEquals("backup-push read 0 B of 1.00 MiB (0%)",
                ProgressText.line("backup-push read", 0, OptionalLong.of(MIB), OptionalDouble.empty()));
    }

    @Test
    void aStalledTransferHasNoEta() {
        assertEquals("x 1.00 KiB of 2.00 KiB (50%), 0 B/s",
                ProgressText.line("x", 1024, OptionalLong.of(2048), OptionalDouble.of(0)));
    }
}
