package org.walj.backup;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.walj.layout.ArchiveLayout;
import org.walj.pipeline.codecs.Compression;
import org.walj.postgres.SegmentName;
import org.walj.storage.ObjectInfo;
import org.walj.storage.Storage;

/**
 * Is the WAL a base backup needs to become consistent in the archive? Every segment from the one holding the
 * backup's start to the one holding its stop, each as {@code wal_005/<name>.lzo} or {@code .lz4}. Segments are
 * counted as WAL-E's prefetch counts them ({@link SegmentName#next()}: 16 MiB segments, 256 per log number). One
 * listing per log number the range touches, not one request per segment.
 */
final class WalCoverage {
    /** A backup spanning more than this many segments (16 TiB of WAL) is not a backup's range. */
    private static final int MAX_SEGMENTS = 1 << 20;

    /** What was checked and what is missing, in order. */
    record Result(SegmentName start, SegmentName stop, int segments, List<SegmentName> missing) {
        Result {
            missing = List.copyOf(missing);
        }
    }

    private final Storage storage;
    private final Map<String, Set<String>> listedByLog = new HashMap<>();

    WalCoverage(Storage storage) {
        this.storage = storage;
    }

    /**
     * Checks {@code start} to {@code stop}, both included. A stop on another timeline than the start (a standby
     * promoted during the backup) accepts each segment on either timeline.
     */
    Result check(SegmentName start, SegmentName stop) throws IOException {
        if (stop.placeInWal() < start.placeInWal()) {
            throw new IOException("the backup stops (" + stop + ") before it starts (" + start + ")");
        }
        List<SegmentName> missing = new ArrayList<>();
        int count = 0;
        for (SegmentName s = start; s.placeInWal() <= stop.placeInWal(); s = s.next()) {
            if (++count > MAX_SEGMENTS) {
                throw new IOException("the backup's WAL range " + start + " to " + stop + " is implausibly long");
            }
            SegmentName onStopTimeline = new SegmentName(stop.timeline(), s.log(), s.segment());
            if (!archived(s) && !archived(onStopTimeline)) {
                missing.add(s);
            }
        }
        return new Result(start, stop, count, missing);
    }

    private boolean archived(SegmentName segment) throws IOException {
        String name = segment.toString();
        String logPrefix = ArchiveLayout.WAL_DIRECTORY + name.substring(0, 16);
        Set<String> listed = listedByLog.get(logPrefix);
        if (listed == null) {
            listed = new HashSet<>();
            for (ObjectInfo o : storage.list(logPrefix)) {
                listed.add(o.key().substring(ArchiveLayout.WAL_DIRECTORY.length()));
            }
            listedByLog.put(logPrefix, listed);
        }
        for (Compression c : Compression.values()) {
            if (listed.contains(name + c.suffix())) {
                return true;
            }
        }
        return false;
    }
}
