package org.walj.layout;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.walj.postgres.SegmentName;
import org.walj.postgres.WalNames;

/**
 * A WAL-E base backup name, {@code base_<start segment>_<start offset>}: the WAL file holding the backup's start LSN
 * and the LSN's byte offset in it as 8 zero-padded decimal digits (WAL-E's {@code lpad(file_offset::text, 8, '0')}).
 * Readers treat the offset as an opaque 8-character token, as WAL-E's regex accepts {@code [0-9A-F]{8}}.
 */
public record BackupName(SegmentName startSegment, String startOffset) implements Comparable<BackupName> {
    private static final Pattern NAME = Pattern.compile("base_(" + WalNames.SEGMENT + ")_([0-9A-F]{8})");

    public BackupName {
        if (startOffset == null || !startOffset.matches("[0-9A-F]{8}")) {
            throw new IllegalArgumentException("backup offset must be 8 characters of [0-9A-F]: " + startOffset);
        }
    }

    /** The name for a backup starting at byte {@code offset} of {@code segment}, as WAL-E forms it. */
    public static BackupName of(SegmentName segment, long offset) {
        String decimal = Long.toString(offset);
        // lpad() truncates to 8 characters; only possible with segments of 128 MiB and more
        String padded = decimal.length() >= 8 ? decimal.substring(0, 8) : "0".repeat(8 - decimal.length()) + decimal;
        return new BackupName(segment, padded);
    }

    public static Optional<BackupName> parse(String name) {
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            return Optional.empty();
        }
        return SegmentName.parse(m.group(1)).map(s -> new BackupName(s, m.group(2)));
    }

    @Override
    public int compareTo(BackupName o) {
        return toString().compareTo(o.toString());
    }

    @Override
    public String toString() {
        return "base_" + startSegment + "_" + startOffset;
    }
}
