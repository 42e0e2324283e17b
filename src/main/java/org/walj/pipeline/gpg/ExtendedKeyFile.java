package org.walj.pipeline.gpg;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Rewrites a GnuPG 2.1+ key file ({@code private-keys-v1.d/*.key}, "extended private key format") into a shape
 * Bouncy Castle's S-expression parser reads.
 *
 * <p>GnuPG prints the key S-expression in libgcrypt's advanced format, where a binary value (a salt, an IV, a
 * number) is written as a quoted string instead of {@code #hex#} whenever its bytes happen to contain no control
 * characters; for a random 8-byte salt or 12-byte IV that is about one key in ten. Bouncy Castle 1.86 keeps such a
 * value as a string and then fails with a {@code ClassCastException} where it expects bytes. Writing every quoted
 * string of the {@code Key:} item as hex gives it the same bytes in the form it handles.
 *
 * <p>The {@code Key:} item may be folded over several lines anywhere, even inside a quoted string (GnuPG's
 * name-value writer breaks at a space when it finds one, otherwise hard at 70 columns). It is unfolded first as
 * GnuPG's reader does: one leading space of each continuation line and trailing white space are dropped, the line
 * feeds are not part of the value.
 */
final class ExtendedKeyFile {
    private static final String KEY_ITEM = "Key:";

    private ExtendedKeyFile() {
    }

    /**
     * The file with its {@code Key:} item on one line and its quoted strings as hex, or empty when the content is
     * not an extended key file (a legacy S-expression file) or its quoted strings are malformed; the caller then
     * parses the original bytes.
     */
    static Optional<byte[]> withQuotedStringsAsHex(byte[] content) {
        String text = new String(content, StandardCharsets.ISO_8859_1);
        if (text.startsWith("(")) {
            return Optional.empty();
        }
        String[] lines = text.split("\n", -1);
        StringBuilder out = new StringBuilder(text.length() * 2);
        int i = 0;
        boolean found = false;
        while (i < lines.length) {
            String line = lines[i];
            if (!line.regionMatches(true, 0, KEY_ITEM, 0, KEY_ITEM.length())) {
                out.append(line);
                if (i < lines.length - 1) {
                    out.append('\n');
                }
                i++;
                continue;
            }
            StringBuilder value = new StringBuilder(stripTrailing(line.substring(KEY_ITEM.length())));
            i++;
            while (i < lines.length && isContinuation(lines[i])) {
                value.append(stripTrailing(lines[i].substring(1)));
                i++;
            }
            Optional<String> rewritten = quotedStringsAsHex(value.toString().strip());
            if (rewritten.isEmpty()) {
                return Optional.empty();
            }
            out.append(KEY_ITEM).append(' ').append(rewritten.get()).append('\n');
            found = true;
        }
        return found ? Optional.of(out.toString().getBytes(StandardCharsets.ISO_8859_1)) : Optional.empty();
    }

    private static boolean isContinuation(String line) {
        return !line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t');
    }

    private static String stripTrailing(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) <= ' ') {
            end--;
        }
        return s.substring(0, end);
    }

    /** Every {@code "..."} outside hex as {@code #...#}; empty when a string is unterminated or badly escaped. */
    static Optional<String> quotedStringsAsHex(String sexp) {
        StringBuilder out = new StringBuilder(sexp.length() * 2);
        int i = 0;
        while (i < sexp.length()) {
            char c = sexp.charAt(i);
            if (c == '#') {
                int end = sexp.indexOf('#', i + 1);
                if (end < 0) {
                    return Optional.empty();
                }
                out.append(sexp, i, end + 1);
                i = end + 1;
            } else if (c == '"') {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                i = unquote(sexp, i + 1, bytes);
                if (i < 0) {
                    return Optional.empty();
                }
                out.append('#').append(HexFormat.of().withUpperCase().formatHex(bytes.toByteArray())).append('#');
            } else {
                out.append(c);
                i++;
            }
        }
        return Optional.of(out.toString());
    }

    /** Decodes a quoted string with libgcrypt's escapes from {@code start}; returns the index after the quote. */
    private static int unquote(String s, int start, ByteArrayOutputStream bytes) {
        int i = start;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c != '\\') {
                bytes.write(c);
                i++;
                continue;
            }
            if (i + 1 >= s.length()) {
                return -1;
            }
            char e = s.charAt(i + 1);
            i += 2;
            switch (e) {
                case 'b' -> bytes.write('\b');
                case 't' -> bytes.write('\t');
                case 'v' -> bytes.write(0x0b);
                case 'n' -> bytes.write('\n');
                case 'f' -> bytes.write('\f');
                case 'r' -> bytes.write('\r');
                case '"', '\'', '\\' -> bytes.write(e);
                case 'x' -> {
                    if (i + 2 > s.length()) {
                        return -1;
                    }
                    int hi = Character.digit(s.charAt(i), 16);
                    int lo = Character.digit(s.charAt(i + 1), 16);
                    if (hi < 0 || lo < 0) {
                        return -1;
                    }
                    bytes.write(hi << 4 | lo);
                    i += 2;
                }
                case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                    if (i + 2 > s.length()) {
                        return -1;
                    }
                    int d1 = Character.digit(s.charAt(i), 8);
                    int d2 = Character.digit(s.charAt(i + 1), 8);
                    if (d1 < 0 || d2 < 0) {
                        return -1;
                    }
                    bytes.write(((e - '0') << 6 | d1 << 3 | d2) & 0xff);
                    i += 2;
                }
                default -> {
                    return -1;
                }
            }
        }
        return -1;
    }
}
