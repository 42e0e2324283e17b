package org.walj.postgres;

import java.util.regex.Pattern;

/**
 * The shapes of the file names PostgreSQL gives WAL, as regular-expression fragments, so that every reader of a WAL
 * name (archive keys, backup names, {@code archive_status/}, prefetch records) agrees on one spelling of them.
 */
public final class WalNames {
    /** A segment: timeline, log and segment number, 8 upper-case hex digits each. */
    public static final String SEGMENT = "[0-9A-F]{24}";
    /** A timeline ID as history file names write it. */
    public static final String TIMELINE = "[0-9A-F]{8}";
    /** What may follow a segment name: a partial segment, or a backup history file (segment, start offset). */
    public static final String SEGMENT_SUFFIXES = "\\.partial|\\." + TIMELINE + "\\.backup";
    public static final String PARTIAL_SUFFIX = ".partial";
    public static final String HISTORY_SUFFIX = ".history";
    /** {@code archive_status/} marks a segment waiting to be archived with this. */
    public static final String READY_SUFFIX = ".ready";

    public static final Pattern SEGMENT_NAME = Pattern.compile(SEGMENT);
    /**
     * Any kind of file PostgreSQL archives: segment, partial segment, backup history, timeline history. Groups:
     * {@code segment} and {@code suffix} (absent for a plain segment), or {@code timeline} for a timeline history.
     */
    public static final Pattern ANY_WAL_FILE = Pattern.compile(
            "(?<segment>" + SEGMENT + ")(?<suffix>" + SEGMENT_SUFFIXES + ")?|(?<timeline>" + TIMELINE + ")\\"
                    + HISTORY_SUFFIX);
    /** A plain segment's {@code archive_status/} entry; history and backup-history files are not taken. */
    public static final Pattern READY_SEGMENT = Pattern.compile(SEGMENT + "\\" + READY_SUFFIX);

    private WalNames() {
    }
}
