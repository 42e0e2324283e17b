package org.walj.layout;

import java.util.Optional;
import java.util.regex.Matcher;
import org.walj.postgres.SegmentName;
import org.walj.postgres.WalNames;

/**
 * The name of a file PostgreSQL archives: a 24-hex-digit segment, a timeline history file
 * ({@code 00000002.history}), a backup history file ({@code <segment>.<8 hex>.backup}) or a partial segment; or any
 * other plain name, since names PostgreSQL hands us are archived whatever they are, as WAL-E does. Names are checked
 * so that they can never escape the WAL directory of the archive. What the name says about the WAL is a
 * {@link SegmentName}; this type only adds the kind of file.
 */
public record WalFileName(String value) {
    /** The kinds of file PostgreSQL archives. */
    public enum Kind { SEGMENT, PARTIAL_SEGMENT, BACKUP_HISTORY, TIMELINE_HISTORY }

    /**
     * A name of a known kind and the segment it is about: the segment itself, the partial segment, the segment a
     * backup history file's backup started in; for the history file of timeline T, T's log 0 segment 0.
     */
    public record Known(Kind kind, SegmentName segment) {
    }

    public WalFileName {
        if (!isSafe(value)) {
            throw new IllegalArgumentException("not a WAL file name: " + value);
        }
    }

    /** Names PostgreSQL hands us are archived whatever they are, as WAL-E does, as long as they are plain names. */
    public static boolean isSafe(String name) {
        return name != null && !name.isEmpty() && name.length() <= 255 && !name.equals(".") && !name.equals("..")
                && name.chars().noneMatch(c -> c == '/' || c == '\\' || c == 0 || c < 0x20);
    }

    /** The kind and segment, when this names one of the files PostgreSQL archives. */
    public Optional<Known> known() {
        Matcher m = WalNames.ANY_WAL_FILE.matcher(value);
        if (!m.matches()) {
            return Optional.empty();
        }
        String timeline = m.group("timeline");
        if (timeline != null) {
            return Optional.of(new Known(Kind.TIMELINE_HISTORY, new SegmentName(Long.parseLong(timeline, 16), 0, 0)));
        }
        String suffix = m.group("suffix");
        Kind kind = suffix == null ? Kind.SEGMENT
                : suffix.equals(WalNames.PARTIAL_SUFFIX) ? Kind.PARTIAL_SEGMENT : Kind.BACKUP_HISTORY;
        return Optional.of(new Known(kind, SegmentName.parse(m.group("segment")).orElseThrow()));
    }

    /** The segment this name denotes, when it is a plain 24-hex-digit segment name. */
    public Optional<SegmentName> segment() {
        return SegmentName.parse(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
