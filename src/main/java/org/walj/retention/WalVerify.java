package org.walj.retention;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.walj.archive.Archive;
import org.walj.archive.BackupCatalog;
import org.walj.layout.BackupName;
import org.walj.postgres.SegmentName;
import org.walj.postgres.WalCoverage;
import org.walj.postgres.WalSegmentSize;

/**
 * wal-verify: is every WAL segment there that recovery needs, from the oldest backup to the newest archived
 * segment? Checked along the history of the newest segment's timeline; backups on other branches are named.
 */
public final class WalVerify {
    private final Archive archive;
    private final WalSegmentSize segmentSize;

    public WalVerify(Archive archive, WalSegmentSize segmentSize) {
        this.archive = archive;
        this.segmentSize = segmentSize;
    }

    /**
     * @param fromBackup   the backup the check starts at (the oldest on the newest timeline's history), if any
     * @param coverage     empty when the archive holds no WAL segment at all
     * @param offHistory   backups whose start is not on the newest timeline's history: recovery to the latest
     *                     timeline cannot use them
     */
    public record Report(WalSegmentSize segmentSize, Optional<BackupName> fromBackup,
                         Optional<WalCoverage.Span> coverage, List<BackupName> offHistory) {
        public boolean complete() {
            return coverage.isPresent() && coverage.get().complete();
        }
    }

    public Report run() throws IOException {
        WalCoverage index = archive.walIndex(segmentSize);
        Optional<SegmentName> newest = index.newest();
        List<BackupName> backups = archive.backups().all().stream().map(BackupCatalog.Entry::name)
                .sorted(Comparator.comparingLong((BackupName b) -> b.startSegment().placeInWal())
                        .thenComparing(BackupName::startOffset))
                .toList();
        if (newest.isEmpty()) {
            return new Report(segmentSize, Optional.empty(), Optional.empty(), List.of());
        }
        long timeline = newest.get().timeline();
        Optional<BackupName> from = Optional.empty();
        List<BackupName> offHistory = new ArrayList<>();
        for (BackupName b : backups) {
            if (index.coverage(b.startSegment()).timeline() == timeline) {
                from = from.or(() -> Optional.of(b));
            } else {
                offHistory.add(b);
            }
        }
        SegmentName start = from.map(BackupName::startSegment).orElseGet(() -> index.oldestOnHistoryOf(timeline));
        return new Report(segmentSize, from, Optional.of(index.coverage(start)), List.copyOf(offHistory));
    }
}
