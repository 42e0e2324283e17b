package org.walj.backup;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.walj.UserException;

/**
 * A backup stores every name as UTF-8 (PAX records, the manifest, the sentinel), and the JVM sees a file name only as
 * a String decoded with its file-name encoding ({@code sun.jnu.encoding}, from the locale's character type). A name
 * that decoding changed (bytes that are not UTF-8 become U+FFFD) would be stored under another name, and two such
 * names would collide: the backup would exit 0 and fail to restore. Such a name fails the push instead, named with
 * its exact bytes.
 *
 * <p>With a UTF-8 file-name encoding a name is exact when encoding its String gives its bytes back. With any other
 * encoding (the launcher sets a UTF-8 one; a JVM started otherwise under {@code LANG=C} has ASCII) only ASCII names
 * are: a non-ASCII name would not restore with the same bytes.
 */
final class ExactNames {
    private static final boolean UTF8_FILE_NAMES = isUtf8(System.getProperty("sun.jnu.encoding"));

    private ExactNames() {
    }

    /**
     * Throws unless {@code path}'s last name is exact. {@code shownDirectory}: the member name of its directory
     * (exact already, "" at the top), for the message.
     */
    static void requireExactName(Path path, String shownDirectory) {
        Path name = path.getFileName();
        if (name != null && !exact(name)) {
            String shown = escape(shownDirectory.getBytes(StandardCharsets.UTF_8)) + escape(lastNameBytes(path));
            throw new UserException("cannot back up \"" + shown + "\": its name cannot be stored exactly", why(),
                    hint());
        }
    }

    /** Throws unless {@code target}, the target of the symbolic link that is member {@code shown}, is exact. */
    static void requireExactTarget(String shown, Path target) {
        if (!exact(target)) {
            throw new UserException("cannot back up \"" + escape(shown.getBytes(StandardCharsets.UTF_8))
                    + "\": the target of this symbolic link cannot be stored exactly", why(),
                    hint());
        }
    }

    static boolean exact(Path name) {
        String text = name.toString();
        if (!UTF8_FILE_NAMES) {
            return text.chars().allMatch(c -> c < 0x80);
        }
        try {
            // UnixPath equality compares bytes: false when decoding replaced anything
            return name.getFileSystem().getPath(text).equals(name);
        } catch (InvalidPathException e) {
            return false;
        }
    }

    private static String why() {
        return UTF8_FILE_NAMES
                ? "The name is not valid UTF-8; a backup stores names as UTF-8, so it would be restored under"
                        + " another name (\\xNN are its bytes). Nothing was backed up."
                : "The JVM's file-name encoding is " + System.getProperty("sun.jnu.encoding") + ", not UTF-8, so it"
                        + " cannot read non-ASCII names exactly (\\xNN are the name's bytes). Nothing was backed up.";
    }

    private static String hint() {
        return UTF8_FILE_NAMES
                ? "Rename the file to a UTF-8 name (or remove it) and run backup-push again."
                : "Run wal-j through its launcher, which selects a UTF-8 character type (C.UTF-8), or set LC_ALL to"
                        + " a UTF-8 locale that is installed.";
    }

    /**
     * The raw bytes of {@code path}'s last name. A file URI is made from the path's bytes, each byte outside URI
     * syntax percent-encoded: the one public way to the bytes that the String lost.
     */
    static byte[] lastNameBytes(Path path) {
        String raw = path.toAbsolutePath().toUri().getRawPath();
        if (raw.endsWith("/") && raw.length() > 1) {
            raw = raw.substring(0, raw.length() - 1); // a directory's URI ends in a slash
        }
        raw = raw.substring(raw.lastIndexOf('/') + 1);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length()) {
                bytes.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                bytes.write(c); // URI syntax is ASCII
            }
        }
        return bytes.toByteArray();
    }

    /** Printable ASCII as itself, a backslash doubled, every other byte as {@code \xNN}: one line, exact bytes. */
    static String escape(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            int u = b & 0xff;
            if (u == '\\') {
                sb.append("\\\\");
            } else if (u >= 0x20 && u < 0x7f) {
                sb.append((char) u);
            } else {
                sb.append(String.format("\\x%02x", u));
            }
        }
        return sb.toString();
    }

    private static boolean isUtf8(String charsetName) {
        try {
            return charsetName != null && Charset.forName(charsetName).equals(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
