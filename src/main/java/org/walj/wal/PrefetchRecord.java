package org.walj.wal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import org.walj.postgres.WalNames;

/**
 * What wal-j's prefetcher verified before it put a segment into the prefetch area: the segment's name, the archive it
 * came from, and the size and CRC32C of the decoded bytes it wrote. wal-fetch promotes a prefetched file only when
 * its record exists and the file still matches it, so a file it did not write and verify itself (a leftover of
 * another tool or another archive, a crash's debris, bytes placed there by hand) is never handed to PostgreSQL.
 *
 * <p>CRC32C, not a cryptographic hash: the area is the PostgreSQL user's own directory, and whoever can write there
 * can write pg_wal directly. The check is against accidents, and must cost little on the recovery's hot path (a
 * 16 MiB segment checks in a few milliseconds).
 */
record PrefetchRecord(String segment, String archive, long size, int crc32c) {
    static final String SUFFIX = ".walj-verified";
    private static final String HEADER = "wal-j verified prefetch 1";
    private static final int MAX_BYTES = 4096;
    private static final long MAP_BYTES = 64L << 20;
    private static final Pattern FORMAT = Pattern.compile(HEADER + "\nsegment=(" + WalNames.SEGMENT + ")\narchive=([^\n]{1,2048})"
            + "\nsize=(0|[1-9][0-9]{0,18})\ncrc32c=([0-9a-f]{8})\n");

    String format() {
        return HEADER + "\nsegment=" + segment + "\narchive=" + archive + "\nsize=" + size + "\ncrc32c="
                + HexFormat.of().toHexDigits(crc32c) + "\n";
    }

    /** Empty for anything that is not exactly a record this version writes. */
    static Optional<PrefetchRecord> parse(byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            return Optional.empty();
        }
        Matcher m = FORMAT.matcher(new String(bytes, StandardCharsets.UTF_8));
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new PrefetchRecord(m.group(1), m.group(2), Long.parseLong(m.group(3)),
                    HexFormat.fromHexDigits(m.group(4))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    static int maxBytes() {
        return MAX_BYTES;
    }

    /** Whether {@code file} is what this record describes, for {@code segment} of {@code archive}. */
    boolean describes(Path file, String expectedSegment, String expectedArchive) throws IOException {
        if (!segment.equals(expectedSegment) || !archive.equals(expectedArchive)) {
            return false;
        }
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            if (in.size() != size) {
                return false;
            }
            // mapped, not read: the checksum reads the page cache in place instead of a copy of 16 MiB per segment
            CRC32C crc = new CRC32C();
            for (long at = 0; at < size; at += MAP_BYTES) {
                crc.update(in.map(FileChannel.MapMode.READ_ONLY, at, Math.min(MAP_BYTES, size - at)));
            }
            return in.size() == size && (int) crc.getValue() == crc32c;
        }
    }

    /** Counts and checksums what passes through it: the decoded bytes as they are written to the file. */
    static final class Digesting extends OutputStream {
        private final OutputStream out;
        private final CRC32C crc = new CRC32C();
        private long size;

        Digesting(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            crc.update(b);
            size++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            crc.update(b, off, len);
            size += len;
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }

        PrefetchRecord record(String segment, String archive) {
            return new PrefetchRecord(segment, archive, size, (int) crc.getValue());
        }
    }
}
