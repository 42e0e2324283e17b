package org.walj.storage.file;

import java.util.regex.Pattern;

/**
 * Checks that keys and list prefixes can only name paths below the storage root.
 *
 * <p>The rules are stricter than any filesystem's so that a key means the same thing everywhere: '/' is the only
 * separator, no segment is empty, "." or "..", and no key contains NUL or a backslash (which would be a separator on
 * Windows). Keys naming one of our temporary files are refused too, because such an object could never be listed.
 */
final class FileKeys {

    /**
     * Names of in-flight uploads: {@code .<name>.tmp-<16 hex>}. The leading dot keeps them from matching any WAL-E
     * object regex (those all start with a hex digit, {@code base_} or {@code part_}).
     */
    static final Pattern TEMP_NAME = Pattern.compile("\\..*\\.tmp-[0-9a-f]{16}", Pattern.DOTALL);

    private FileKeys() {
    }

    /** Throws {@link IllegalArgumentException} unless {@code key} is a well-formed object key. */
    static String requireValidKey(String key) {
        if (key == null) {
            throw new IllegalArgumentException("key is null");
        }
        if (key.isEmpty()) {
            throw new IllegalArgumentException("empty key");
        }
        requireValidSegments(key, key, false);
        return key;
    }

    /**
     * Throws {@link IllegalArgumentException} unless {@code prefix} is a well-formed list prefix: empty, or a key
     * optionally ending in '/', or a key whose last segment is only the start of a name.
     */
    static String requireValidPrefix(String prefix) {
        if (prefix == null) {
            throw new IllegalArgumentException("key prefix is null");
        }
        if (prefix.isEmpty()) {
            return prefix;
        }
        requireValidSegments(prefix, prefix, true);
        return prefix;
    }

    private static void requireValidSegments(String text, String shown, boolean prefix) {
        if (text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("key contains NUL: " + printable(shown));
        }
        if (text.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("key contains a backslash: " + printable(shown));
        }
        if (text.startsWith("/")) {
            throw new IllegalArgumentException("key must be relative, not absolute: " + printable(shown));
        }
        String[] segments = text.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            boolean last = i == segments.length - 1;
            if (last && prefix) {
                // The tail of a prefix is the start of a name ("base_0000") or nothing (prefix ends in '/').
                // It is matched against names, never resolved as a path, so "." or ".." there cannot escape.
                break;
            }
            if (segment.isEmpty()) {
                throw new IllegalArgumentException("key has an empty path segment: " + printable(shown));
            }
            if (segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("key has a '" + segment + "' segment: " + printable(shown));
            }
            if (TEMP_NAME.matcher(segment).matches()) {
                throw new IllegalArgumentException("key names a temporary upload file: " + printable(shown));
            }
        }
    }

    /**
     * Throws {@link IllegalArgumentException} unless {@code name} is a temporary file's name below the root: a valid
     * key's directories and a last segment that is a temporary name (the only files {@code deleteLeftovers} removes).
     */
    static String requireLeftoverName(String name) {
        if (name == null) {
            throw new IllegalArgumentException("name is null");
        }
        int slash = name.lastIndexOf('/');
        if (!isTempName(name.substring(slash + 1))) {
            throw new IllegalArgumentException("not a temporary upload file: " + printable(name));
        }
        if (slash >= 0) {
            requireValidSegments(name.substring(0, slash), name, false);
        }
        if (name.indexOf('\0') >= 0 || name.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("name contains NUL or a backslash: " + printable(name));
        }
        return name;
    }

    static boolean isTempName(String fileName) {
        return TEMP_NAME.matcher(fileName).matches();
    }

    /** The key for messages: control characters would break the one-line rule of log messages. */
    private static String printable(String key) {
        StringBuilder sb = new StringBuilder(key.length() + 2).append('"');
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
