package org.walj.logging;

import java.math.BigDecimal;
import java.math.MathContext;

/** WAL-E's transfer-rate figure: KiB per second printed like Python's {@code '{0:02g}'}. */
public final class KibPerSecond {
    private KibPerSecond() {
    }

    public static String format(long bytes, double seconds) {
        if (seconds <= 0) {
            return "NaN";
        }
        return pythonG(bytes / 1024.0 / seconds);
    }

    /** Python's 'g' format: 6 significant digits, trailing zeros removed, exponent form from 1e6 up or below 1e-4. */
    static String pythonG(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.isNaN(v) ? "nan" : (v > 0 ? "inf" : "-inf");
        }
        if (v == 0) {
            return "0";
        }
        BigDecimal rounded = new BigDecimal(v).round(new MathContext(6));
        int exponent = rounded.precision() - rounded.scale() - 1;
        if (exponent < -4 || exponent >= 6) {
            BigDecimal mantissa = rounded.movePointLeft(exponent).stripTrailingZeros();
            String m = mantissa.scale() <= 0 ? mantissa.toBigInteger().toString() : mantissa.toPlainString();
            return m + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
        }
        BigDecimal plain = rounded.stripTrailingZeros();
        return plain.scale() <= 0 ? plain.toBigInteger().toString() : plain.toPlainString();
    }
}
