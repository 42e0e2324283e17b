package org.walj.retention;

import java.util.Optional;
import org.walj.UserException;
import org.walj.layout.BackupName;
import org.walj.postgres.SegmentName;

/** What {@code delete} was asked to do, checked before anything is listed. */
public sealed interface DeleteRequest {

    /**
     * {@code delete before NAME}: backups starting before NAME's segment, and WAL before it. NAME is a backup name
     * (WAL-E's only working form) or a 24-hex-digit segment name (what WAL-E's help text promised). As in WAL-E only
     * the log and segment parts count; the named backup need not exist.
     */
    record Before(String given, SegmentName horizon) implements DeleteRequest {
    }

    /** {@code delete retain N}: keep the N newest complete backups and the WAL they need. */
    record Retain(int count) implements DeleteRequest {
    }

    /** {@code delete old-versions}: WAL-E's obsolete {@code basebackups_000..004/} and {@code wal_000..004/}. */
    record OldVersions() implements DeleteRequest {
    }

    /** {@code delete everything}: everything under {@code basebackups_005/} and {@code wal_005/}. */
    record Everything() implements DeleteRequest {
    }

    /** Checks {@code NAME}; one clear error when it is neither a backup nor a segment name. */
    static Before before(String name) {
        Optional<SegmentName> segment = BackupName.parse(name).map(BackupName::startSegment)
                .or(() -> SegmentName.parse(name));
        return new Before(name, segment.orElseThrow(() -> new UserException(
                "delete before: \"" + name + "\" is not a backup name or WAL segment name",
                "Expected base_<24 hex digits>_<8 digits> as backup-list shows it, or a 24-hex-digit WAL segment name.",
                "Nothing was deleted.")));
    }

    /** Checks {@code N}: a whole number of at least 1. */
    static Retain retain(String count) {
        int n;
        try {
            n = Integer.parseInt(count.strip());
        } catch (NumberFormatException e) {
            throw badCount(count);
        }
        if (n < 1) {
            throw badCount(count);
        }
        return new Retain(n);
    }

    private static UserException badCount(String count) {
        return new UserException("delete retain: \"" + count + "\" is not a number of backups to keep (1 or more)",
                "WAL-E took 0 to mean \"keep all\" and indexed oddly with negative numbers; wal-j refuses both.",
                "Nothing was deleted.");
    }
}
