package org.walj.layout;

import java.util.Optional;
import org.walj.postgres.SegmentName;
import org.walj.postgres.WalNames;

/**
 * The name of a file PostgreSQL archives: a 24-hex-digit segment, a timeline history file
 * ({@code 00000002.history}), a backup history file ({@code <segment>.<8 hex>.backup}) or a partial segment.
 * Names are checked so that they can never escape the WAL directory of the archive.
 */
public record WalFileName(String value) {
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

    public boolean isKnownKind() {
        return WalNames.ANY_WAL_FILE.matcher(value).matches();
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
