package org.walj.layout;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * wal-j's integrity manifest of one base backup ({@code walj_manifest.jsonl}, see docs/integrity.md): JSON Lines, a
 * header naming the backup, one {@link ManifestEntry} per tar member in any order (partitions are written in
 * parallel), and a trailer with the counts, so a manifest cut short is recognised even when its container is not:
 *
 * <pre>
 * {"walj_manifest": 2, "backup": "base_000000010000000000000002_00000040", "digest": "sha256"}
 * {"partition": 0, "name": "./", "type": "dir", "mode": "0700"}
 * {"partition": 0, "name": "base/1/1259", "type": "file", "mode": "0600", "size": 8192, "sha256": "9f86d0…"}
 * {"partition": 0, "name": "pg_wal", "type": "symlink", "mode": "0777", "target": "/srv/wal"}
 * {"end": true, "members": 3, "files": 1, "bytes": 8192}
 * </pre>
 *
 * Version 2 lists <em>every</em> member ({@link #complete()}), so a member it does not list was not written by
 * backup-push. Version 1 (wal-j before it) listed regular files only, with size and SHA-256 and no mode; it is still
 * read, and checked as before (files only).
 *
 * <p>Lines are written one at a time ({@link #headerLine}, {@link ManifestEntry#toJsonLine}, {@link #trailerLine}),
 * so building one never holds the list in memory. Reading it keeps the entries packed ({@code ManifestEntries}, about
 * 70 bytes and the name per member), looked up by member name and numbered in manifest order.
 */
public final class BackupManifest {
    /** The version backup-push writes: every member listed. */
    public static final int FORMAT_VERSION = 2;
    /** Files only, no modes: still read. */
    public static final int FILES_ONLY_VERSION = 1;
    private static final Pattern MODE = Pattern.compile("[0-7]{4}");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    /** Member names are at most a few KiB; a longer line is not a manifest line. */
    private static final int MAX_LINE_CHARS = 1 << 20;

    private final BackupName backup;
    private final ManifestEntries entries;
    private final long bytes;
    private final long files;
    private final boolean complete;

    private BackupManifest(BackupName backup, ManifestEntries entries, long files, long bytes,
                           boolean complete) {
        this.backup = backup;
        this.entries = entries;
        this.files = files;
        this.bytes = bytes;
        this.complete = complete;
    }

    /**
     * True for a version 2 manifest, which lists every member of the backup (directories and symbolic links too,
     * with modes); false for a version 1 manifest, which lists regular files only.
     */
    public boolean complete() {
        return complete;
    }

    /** The number of regular files listed. */
    public long files() {
        return files;
    }

    public BackupName backup() {
        return backup;
    }

    /** The number of members listed (files only in a version 1 manifest). */
    public int members() {
        return entries.size();
    }

    /** The entry of the member named exactly {@code name}, or null; safe from several threads. */
    public ManifestEntry get(String name) {
        int i = entries.indexOf(name);
        return i < 0 ? null : entries.get(i);
    }

    /** The number of {@code name}'s entry (0 to {@link #members()} - 1, in manifest order), or -1. */
    public int indexOf(String name) {
        return entries.indexOf(name);
    }

    /** Every entry, in manifest order, each built when it is reached (nothing is held for the iteration). */
    public Iterable<ManifestEntry> all() {
        return () -> java.util.stream.IntStream.range(0, entries.size()).mapToObj(entries::get).iterator();
    }

    /** Entry number {@code i}. */
    public ManifestEntry entry(int i) {
        return entries.get(i);
    }

    /** The partition of entry number {@code i}, without building the entry. */
    public int partition(int i) {
        return entries.partition(i);
    }

    /** The name of entry number {@code i}, without building the entry. */
    public String name(int i) {
        return entries.name(i);
    }

    /** Sum of the files' sizes. */
    public long bytes() {
        return bytes;
    }

    public static String headerLine(BackupName backup) {
        return "{\"walj_manifest\": " + FORMAT_VERSION + ", \"backup\": " + PythonJson.string(backup.toString())
                + ", \"digest\": \"sha256\"}";
    }

    /** {@code members}: every entry; {@code files} and {@code bytes}: the regular files' count and total size. */
    public static String trailerLine(long members, long files, long bytes) {
        return "{\"end\": true, \"members\": " + members + ", \"files\": " + files + ", \"bytes\": " + bytes
                + "}";
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
        int v = version instanceof BigDecimal d && (d.compareTo(BigDecimal.valueOf(FILES_ONLY_VERSION)) == 0
                || d.compareTo(BigDecimal.valueOf(FORMAT_VERSION)) == 0) ? d.intValue() : 0;
        if (v == 0 || !"sha256".equals(header.get("digest"))) {
            throw new IOException("manifest: line 1 is not a version " + FILES_ONLY_VERSION + " or " + FORMAT_VERSION
                    + " wal-j manifest header");
        }
        boolean complete = v == FORMAT_VERSION;
        String name = JsonFields.string(header, "backup", "manifest line 1");
        if (!name.equals(expected.toString())) {
            throw new IOException("manifest: it belongs to backup " + name + ", not to " + expected);
        }
        ManifestEntries entries = new ManifestEntries();
        long bytes = 0;
        long files = 0;
        while ((line = nextLine(in, lineNumber + 1)) != null) {
            lineNumber++;
            Map<String, Object> o = object(line, lineNumber);
            if (o.containsKey("end")) {
                long countedFiles = number(o, "files", lineNumber);
                long total = number(o, "bytes", lineNumber);
                long members = complete ? number(o, "members", lineNumber) : countedFiles;
                if (members != entries.size() || countedFiles != files || total != bytes) {
                    throw new IOException("manifest: the trailer counts " + (complete ? members + " members, " : "")
                            + countedFiles + " files of " + total + " bytes, the manifest lists "
                            + (complete ? entries.size() + " members, " : "") + files + " of " + bytes);
                }
                if (nextLine(in, lineNumber + 1) != null) {
                    throw new IOException("manifest: text after the trailer on line " + (lineNumber + 1));
                }
                return new BackupManifest(expected, entries, files, bytes, complete);
            }
            ManifestEntry e = complete ? entry(o, lineNumber) : fileEntry(o, lineNumber);
            if (!entries.add(e)) {
                throw new IOException("manifest: \"" + e.name() + "\" is listed twice (line " + lineNumber + ")");
            }
            if (e.type() == ManifestEntry.Type.FILE) {
                files++;
                bytes += e.size();
            }
        }
        throw new IOException("manifest: truncated after line " + lineNumber + " (no trailer)");
    }

    /** A version 1 line: a regular file, no type, no mode. */
    private static ManifestEntry fileEntry(Map<String, Object> o, int line) throws IOException {
        int partition = partition(o, line);
        String name = name(o, line);
        long size = number(o, "size", line);
        return new ManifestEntry(partition, name, size, sha256(o, line));
    }

    /** A version 2 line: any member, with its type and mode. */
    private static ManifestEntry entry(Map<String, Object> o, int line) throws IOException {
        String what = "manifest line " + line;
        int partition = partition(o, line);
        String name = name(o, line);
        ManifestEntry.Type type = ManifestEntry.Type.ofJson(JsonFields.string(o, "type", what));
        String mode = JsonFields.string(o, "mode", what);
        if (type == null || !MODE.matcher(mode).matches()) {
            throw new IOException(what + ": not a member entry (type \"file\", \"dir\" or \"symlink\", and a mode "
                    + "of four octal digits)");
        }
        int bits = Integer.parseInt(mode, 8);
        return switch (type) {
            case FILE -> ManifestEntry.file(partition, name, bits, number(o, "size", line), sha256(o, line));
            case DIRECTORY -> ManifestEntry.directory(partition, name, bits);
            case SYMLINK -> {
                String target = JsonFields.string(o, "target", what);
                if (target.isEmpty() || target.indexOf('\0') >= 0) {
                    throw new IOException(what + ": not a symbolic link's target");
                }
                yield ManifestEntry.symlink(partition, name, bits, target);
            }
        };
    }

    private static int partition(Map<String, Object> o, int line) throws IOException {
        long partition = number(o, "partition", line);
        if (partition > Integer.MAX_VALUE) {
            throw new IOException("manifest line " + line + ": not a partition number");
        }
        return (int) partition;
    }

    private static String name(Map<String, Object> o, int line) throws IOException {
        String name = JsonFields.string(o, "name", "manifest line " + line);
        if (name.isEmpty() || name.indexOf('\n') >= 0) {
            throw new IOException("manifest line " + line + ": not a member name");
        }
        return name;
    }

    private static byte[] sha256(Map<String, Object> o, int line) throws IOException {
        String hex = JsonFields.string(o, "sha256", "manifest line " + line);
        if (!SHA256_HEX.matcher(hex).matches()) {
            throw new IOException("manifest line " + line + ": not a file entry");
        }
        return HexFormat.of().parseHex(hex);
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
