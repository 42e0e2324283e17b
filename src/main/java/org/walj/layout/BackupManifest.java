package org.walj.layout;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * wal-j's integrity manifest of one base backup ({@code walj_manifest.jsonl}, see docs/integrity.md): JSON Lines, a
 * header naming the backup, one {@link ManifestEntry} per regular file in any order (partitions are written in
 * parallel), and a trailer with the count, so a manifest cut short is recognised even when its container is not:
 *
 * <pre>
 * {"walj_manifest": 1, "backup": "base_000000010000000000000002_00000040", "digest": "sha256"}
 * {"partition": 0, "name": "base/1/1259", "size": 8192, "sha256": "9f86d0…"}
 * {"end": true, "files": 1, "bytes": 8192}
 * </pre>
 *
 * Lines are written one at a time ({@link #headerLine}, {@link ManifestEntry#toJsonLine}, {@link #trailerLine}), so
 * building one never holds the list in memory. Reading it does: {@link #entries()} is looked up by member name.
 */
public final class BackupManifest {
    public static final int FORMAT_VERSION = 1;
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    /** Member names are at most a few KiB; a longer line is not a manifest line. */
    private static final int MAX_LINE_CHARS = 1 << 20;

    private final BackupName backup;
    private final Map<String, ManifestEntry> entries;
    private final long bytes;

    private BackupManifest(BackupName backup, Map<String, ManifestEntry> entries, long bytes) {
        this.backup = backup;
        this.entries = Collections.unmodifiableMap(entries);
        this.bytes = bytes;
    }

    public BackupName backup() {
        return backup;
    }

    /** Member name → entry; safe to read from several threads. */
    public Map<String, ManifestEntry> entries() {
        return entries;
    }

    /** Sum of the files' sizes. */
    public long bytes() {
        return bytes;
    }

    public static String headerLine(BackupName backup) {
        return "{\"walj_manifest\": " + FORMAT_VERSION + ", \"backup\": " + PythonJson.string(backup.toString())
                + ", \"digest\": \"sha256\"}";
    }

    public static String trailerLine(long files, long bytes) {
        return "{\"end\": true, \"files\": " + files + ", \"bytes\": " + bytes + "}";
    }

    /**
     * Reads a manifest (plain text, already decoded) and checks it belongs to {@code expected}. Every failure is an
     * IOException with one line saying what is wrong and on which line.
     */
    public static BackupManifest read(InputStream plain, BackupName expected) throws IOException {
        Lines in = new Lines(new InputStreamReader(plain, StandardCharsets.UTF_8));
        int lineNumber = 0;
        String line = nextLine(in, 1);
        if (line == null) {
            throw new IOException("manifest: empty");
        }
        lineNumber++;
        Map<String, Object> header = object(line, lineNumber);
        Object version = header.get("walj_manifest");
        if (!(version instanceof BigDecimal v) || v.intValue() != FORMAT_VERSION
                || !"sha256".equals(header.get("digest"))) {
            throw new IOException("manifest: line 1 is not a version " + FORMAT_VERSION + " wal-j manifest header");
        }
        String name = JsonFields.string(header, "backup", "manifest line 1");
        if (!name.equals(expected.toString())) {
            throw new IOException("manifest: it belongs to backup " + name + ", not to " + expected);
        }
        Map<String, ManifestEntry> entries = new HashMap<>();
        long bytes = 0;
        while ((line = nextLine(in, lineNumber + 1)) != null) {
            lineNumber++;
            Map<String, Object> o = object(line, lineNumber);
            if (o.containsKey("end")) {
                long files = number(o, "files", lineNumber);
                long total = number(o, "bytes", lineNumber);
                if (files != entries.size() || total != bytes) {
                    throw new IOException("manifest: the trailer counts " + files + " files of " + total
                            + " bytes, the manifest lists " + entries.size() + " of " + bytes);
                }
                if (nextLine(in, lineNumber + 1) != null) {
                    throw new IOException("manifest: text after the trailer on line " + (lineNumber + 1));
                }
                return new BackupManifest(expected, entries, bytes);
            }
            ManifestEntry e = entry(o, lineNumber);
            if (entries.putIfAbsent(e.name(), e) != null) {
                throw new IOException("manifest: \"" + e.name() + "\" is listed twice (line " + lineNumber + ")");
            }
            bytes += e.size();
        }
        throw new IOException("manifest: truncated after line " + lineNumber + " (no trailer)");
    }

    private static ManifestEntry entry(Map<String, Object> o, int line) throws IOException {
        String what = "manifest line " + line;
        long partition = number(o, "partition", line);
        String name = JsonFields.string(o, "name", what);
        long size = number(o, "size", line);
        String hex = JsonFields.string(o, "sha256", what);
        if (partition > Integer.MAX_VALUE || !SHA256_HEX.matcher(hex).matches() || name.isEmpty()
                || name.indexOf('\n') >= 0) {
            throw new IOException(what + ": not a file entry");
        }
        return new ManifestEntry((int) partition, name, size, HexFormat.of().parseHex(hex));
    }

    private static long number(Map<String, Object> o, String key, int line) throws IOException {
        try {
            if (o.get(key) instanceof BigDecimal d && d.signum() >= 0) {
                return d.longValueExact();
            }
        } catch (ArithmeticException e) {
            // not an integer: reported below
        }
        throw new IOException("manifest line " + line + ": \"" + key + "\" must be a non-negative integer");
    }

    private static Map<String, Object> object(String line, int number) throws IOException {
        try {
            return JsonFields.object(Json.parse(line), "manifest line " + number);
        } catch (Json.JsonException e) {
            throw new IOException("manifest line " + number + ": " + e.getMessage(), e);
        }
    }

    private static String nextLine(Lines in, int number) throws IOException {
        return in.next(number);
    }

    /** Lines of a reader, read in blocks; bounded, so a damaged manifest cannot exhaust memory. */
    private static final class Lines {
        private final Reader in;
        private final char[] buffer = new char[1 << 16];
        private int position;
        private int limit;

        Lines(Reader in) {
            this.in = in;
        }

        /** The next line without its newline, or null at the end. */
        String next(int number) throws IOException {
            StringBuilder b = null;
            while (true) {
                if (position == limit) {
                    limit = in.read(buffer, 0, buffer.length);
                    position = 0;
                    if (limit <= 0) {
                        limit = 0;
                        if (b != null && b.length() > 0) {
                            throw new IOException("manifest line " + number + ": no newline at the end (truncated)");
                        }
                        return null;
                    }
                }
                int start = position;
                while (position < limit && buffer[position] != '\n') {
                    position++;
                }
                int length = position - start;
                if ((b == null ? 0 : b.length()) + length > MAX_LINE_CHARS) {
                    throw new IOException("manifest line " + number + ": longer than " + MAX_LINE_CHARS
                            + " characters");
                }
                if (position < limit) {
                    position++; // the newline
                    if (b == null) {
                        return new String(buffer, start, length);
                    }
                    return b.append(buffer, start, length).toString();
                }
                if (b == null) {
                    b = new StringBuilder(length + 128);
                }
                b.append(buffer, start, length);
            }
        }
    }
}
