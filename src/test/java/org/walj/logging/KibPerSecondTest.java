package org.walj.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class KibPerSecondTest {

    @Test
    void formatsLikePythonsGeneralFormat() {
        assertEquals("10986.4", KibPerSecond.pythonG(10986.4));
        assertEquals("1.23457e+06", KibPerSecond.pythonG(1234567.0));
        assertEquals("100000", KibPerSecond.pythonG(100000.0));
        assertEquals("0.5", KibPerSecond.pythonG(0.5));
        assertEquals("1e-05", KibPerSecond.pythonG(0.00001));
        assertEquals("0", KibPerSecond.pythonG(0));
    }

    @Test
    void zeroElapsedTimeIsNaNAsInWalE() {
        assertEquals("NaN", KibPerSecond.format(1024, 0));
        assertEquals("2", KibPerSecond.format(2048, 1.0));
    }
}
