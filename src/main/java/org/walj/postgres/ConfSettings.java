package org.walj.postgres;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings in PostgreSQL's configuration file syntax ({@code postgresql.auto.conf}): {@code name = value} or
 * {@code name value}, a value quoted with {@code '...'} ({@code ''} or {@code \'} inside) or bare up to whitespace or
 * {@code #}, comments from {@code #}. A later line for a name wins, as in the server. Lines that do not parse are
 * skipped: this reads what a backup brought along, to report it, never to decide anything by itself.
 */
public final class ConfSettings {
    private ConfSettings() {
    }

    /** Names (lower case, as the server folds them) to values, in the order first seen. */
    public static Map<String, String> parse(String text) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String line : text.split("\n", -1)) {
            parseLine(line.strip(), settings);
        }
        return settings;
    }

    private static void parseLine(String line, Map<String, String> settings) {
        int i = 0;
        while (i < line.length() && isNameChar(line.charAt(i))) {
            i++;
        }
        if (i == 0) {
            return; // empty, a comment, or not a setting
        }
        String name = line.substring(0, i).toLowerCase(java.util.Locale.ROOT);
        String rest = line.substring(i).stripLeading();
        if (rest.startsWith("=")) {
            rest = rest.substring(1).stripLeading();
        }
        if (rest.startsWith("'")) {
            StringBuilder value = new StringBuilder();
            int j = 1;
            while (j < rest.length()) {
                char c = rest.charAt(j);
                if (c == '\'' && j + 1 < rest.length() && rest.charAt(j + 1) == '\'') {
                    value.append('\'');
                    j += 2;
                } else if (c == '\\' && j + 1 < rest.length()) {
                    value.append(rest.charAt(j + 1));
                    j += 2;
                } else if (c == '\'') {
                    settings.put(name, value.toString());
                    return;
                } else {
                    value.append(c);
                    j++;
                }
            }
            return; // unterminated quote: not a setting the server would accept either
        }
        int end = 0;
        while (end < rest.length() && !Character.isWhitespace(rest.charAt(end)) && rest.charAt(end) != '#') {
            end++;
        }
        if (end > 0) {
            settings.put(name, rest.substring(0, end));
        }
    }

    private static boolean isNameChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.';
    }
}
