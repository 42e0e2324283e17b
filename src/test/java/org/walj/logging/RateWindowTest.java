package org.walj.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class RateWindowTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void noRateUntilTheSamplesSpanTheMinimum() {
        RateWindow w = new RateWindow(5 * SECOND, SECOND);
        assertEquals(OptionalDouble.empty(), w.rate());
        w.add(-7 * SECOND, 0); // nanoTime may be negative
        w.add(-7 * SECOND + SECOND / 2, 500);
        assertEquals(OptionalDouble.empty(), w.rate());
        w.add(-6 * SECOND, 1000);
        assertEquals(1000.0, w.rate().getAsDouble(), 1e-9);
    }

    @Test
    void theRateIsThatOfTheLastWindowNotTheWholeTransfer() {
        RateWindow w = new RateWindow(5 * SECOND, SECOND);
        long bytes = 0;
        for (int s = 0; s <= 20; s++) { // 20 s at 100 B/s
            w.add(s * SECOND, bytes);
            bytes += 100;
        }
        bytes -= 100;
        for (int s = 21; s <= 30; s++) { // then 10 s at 1000 B/s
            bytes += 1000;
            w.add(s * SECOND, bytes);
        }
        assertEquals(1000.0, w.rate().getAsDouble(), 1e-9, "only the last five seconds count");
        w.add(31 * SECOND, bytes); // a stall shows at once
        assertEquals(800.0, w.rate().getAsDouble(), 1e-9);
    }

    @Test
    void aMinimumLongerThanTheWindowIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RateWindow(SECOND, 2 * SECOND));
    }
}
