package org.walj.it.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Assertions on files that may be large (table dumps, WAL segments), with messages a human can act on. */
public final class Compare {

    private Compare() {
    }

    /** Fails unless both files have identical bytes; names the first differing byte (binary) or line (text). */
    public static void assertSameBytes(Path expected, Path actual, String what) {
        try {
            long at = Files.mismatch(expected, actual);
            if (at != -1) {
                throw new AssertionError(what + ": " + actual + " differs from " + expected + " at byte " + at
                        + " (sizes " + Files.size(expected) + " and " + Files.size(actual) + ")");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fails unless two text dumps are identical; shows the first differing line of each and the line counts. */
    public static void assertSameLines(Path expected, Path actual, String what) {
        try {
            if (Files.mismatch(expected, actual) == -1) {
                return;
            }
            try (BufferedReader a = Files.newBufferedReader(expected, StandardCharsets.UTF_8);
                 BufferedReader b = Files.newBufferedReader(actual, StandardCharsets.UTF_8)) {
                long line = 1;
                while (true) {
                    String x = a.readLine();
                    String y = b.readLine();
                    if (x == null && y == null) {
                        throw new AssertionError(what + ": files differ only in line endings");
                    }
                    if (x == null || !x.equals(y)) {
                        throw new AssertionError(what + ": first difference at line " + line
                                + "\n  expected: " + clip(x) + "\n  actual:   " + clip(y)
                                + "\n  (expected has " + lineCount(expected) + " lines, actual " + lineCount(actual)
                                + "; files " + expected + " and " + actual + ")");
                    }
                    line++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long lineCount(Path p) throws IOException {
        try (var lines = Files.lines(p, StandardCharsets.UTF_8)) {
            return lines.count();
        }
    }

    private static String clip(String s) {
        if (s == null) {
            return "(end of file)";
        }
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
