package org.walj.logging;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The process's stderr as log records and at most one progress line share it. The progress line is drawn with
 * {@code \r} and no newline; a record is written only after the line is wiped, and the line is drawn again below
 * it, all under this object's lock, so a record never starts in the middle of a progress line and two records
 * never interleave.
 *
 * <p>The line is wiped with spaces, not a terminal escape sequence: it works on any terminal, {@code TERM=dumb}
 * included. Progress texts are short and ASCII, so their length is their width.
 */
final class ConsoleLine {
    private final OutputStream out;
    private String shown = "";

    ConsoleLine(OutputStream out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    /** Writes one whole log record (its bytes end with a newline) in one write, then flushes. */
    synchronized void record(byte[] bytes) throws IOException {
        if (shown.isEmpty()) {
            out.write(bytes);
        } else {
            out.write(ascii(wipe(shown.length())));
            out.write(bytes);
            out.write(ascii("\r" + shown));
        }
        out.flush();
    }

    /** Replaces the progress line with {@code text}; a failed write is ignored (it is only a display). */
    synchronized void show(String text) {
        if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a progress line is one line");
        }
        String padding = " ".repeat(Math.max(0, shown.length() - text.length()));
        shown = text;
        quietly("\r" + text + padding);
    }

    /** Wipes the progress line and leaves the cursor at the start of the empty line, where the next record goes. */
    synchronized void clear() {
        if (!shown.isEmpty()) {
            int width = shown.length();
            shown = "";
            quietly(wipe(width));
        }
    }

    private void quietly(String text) {
        try {
            out.write(ascii(text));
            out.flush();
        } catch (IOException ignored) {
            // stderr gone: the operation goes on, and a log record will report the failure if one can
        }
    }

    private static String wipe(int width) {
        return "\r" + " ".repeat(width) + "\r";
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
