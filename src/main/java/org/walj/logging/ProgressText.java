package org.walj.logging;

import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The text of a progress line: {@code backup-fetch 1.21 GiB of 15.3 GiB (7%), 210 MiB/s, ETA 0:01:08}. Binary units
 * with three significant digits, so the line keeps about the same width while it changes; without a known total,
 * bytes and rate only; without a rate yet (the first second), no rate and no ETA.
 */
final class ProgressText {
    private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private ProgressText() {
    }

    static String line(String label, long done, OptionalLong total, OptionalDouble bytesPerSecond) {
        StringBuilder b = new StringBuilder(label).append(' ').append(bytes(done));
        if (total.isPresent()) {
            long all = total.getAsLong();
            b.append(" of ").append(bytes(all)).append(" (").append(percent(done, all)).append("%)");
        }
        if (bytesPerSecond.isPresent()) {
            double rate = bytesPerSecond.getAsDouble();
            b.append(", ").append(bytes(Math.round(rate))).append("/s");
            if (total.isPresent() && rate > 0) {
                long left = Math.max(0, total.getAsLong() - done);
                b.append(", ETA ").append(duration((long) Math.ceil(left / rate)));
            }
        }
        return b.toString();
    }

    /** {@code 512 B}, {@code 1.00 KiB}, {@code 15.3 MiB}, {@code 210 GiB}. */
    static String bytes(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("negative byte count " + n);
        }
        if (n < 1024) {
            return n + " B";
        }
        double v = n / 1024.0;
        int unit = 0;
        // 999.5 and up would print as "1000" in this unit: the next one is shorter
        while (v >= 999.5 && unit < UNITS.length - 1) {
            v /= 1024;
            unit++;
        }
        String digits = v >= 99.95 ? String.format(Locale.ROOT, "%.0f", v)
                : v >= 9.995 ? String.format(Locale.ROOT, "%.1f", v)
                : String.format(Locale.ROOT, "%.2f", v);
        return digits + " " + UNITS[unit];
    }

    /** {@code H:MM:SS}, as pv prints its ETA. */
    static String duration(long seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException("negative duration " + seconds);
        }
        return String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
    }

    /** Whole percent, rounded down (100 only when done), capped at 100; an empty total is done. */
    static int percent(long done, long total) {
        if (total <= 0 || done >= total) {
            return 100;
        }
        return (int) Math.min(99, (long) Math.floor(done * 100.0 / total));
    }
}
