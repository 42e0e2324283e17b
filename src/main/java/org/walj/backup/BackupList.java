package org.walj.backup;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.walj.archive.Archive;
import org.walj.archive.BackupCatalog;
import org.walj.layout.BackupSentinel;
import org.walj.logging.LogEvent;
import org.walj.logging.LoggerNames;
import org.walj.logging.WalELog;
import org.walj.postgres.WalCoverage;
import org.walj.postgres.WalSegmentSize;

/** backup-list: the rows for the complete backups a query selects, in storage listing order. */
public final class BackupList {
    private static final WalELog LOG = WalELog.get(LoggerNames.OPERATOR_BACKUP);

    private final Archive archive;
    private final boolean walCoverage;

    /** With {@code --detail}, also each backup's WAL coverage (backup-list's columns beyond WAL-E's). */
    public BackupList(Archive archive) {
        this(archive, true);
    }

    /** {@code walCoverage} false: WAL-E's columns only, with or without {@code --detail}. */
    public BackupList(Archive archive, boolean walCoverage) {
        this.archive = archive;
        this.walCoverage = walCoverage;
    }

    /**
     * With {@code detail}, every selected backup's sentinel is read for the size and stop position, on every
     * backend (WAL-E's file backend leaves those columns empty).
     */
    public List<BackupRow> rows(Optional<String> query, boolean detail) throws IOException {
        BackupCatalog catalog = archive.backups();
        List<BackupRow> rows = new ArrayList<>();
        Optional<WalCoverage> wal = detail ? walIndex() : Optional.empty();
        for (BackupCatalog.Entry e : catalog.select(query)) {
            String start = e.name().startSegment().toString();
            String startOffset = e.name().startOffset();
            if (detail) {
                BackupSentinel s = catalog.sentinel(e);
                String coverage = null;
                String until = null;
                if (walCoverage) {
                    coverage = "unknown";
                    if (wal.isPresent()) {
                        WalCoverage.Span c = wal.get().coverage(e.name().startSegment());
                        coverage = !c.reaches(s.stopSegment()) ? "missing" : c.complete() ? "complete" : "gap";
                        until = c.replayableUntil().map(Object::toString).orElse(null);
                    }
                }
                rows.add(new BackupRow(e.name().toString(), e.sentinel().lastModified(),
                        OptionalLong.of(s.expandedSizeBytes()), start, startOffset, s.stopSegment().toString(),
                        s.stopOffset(), coverage, until));
            } else {
                rows.add(new BackupRow(e.name().toString(), e.sentinel().lastModified(), OptionalLong.empty(),
                        start, startOffset, null, null));
            }
        }
        return rows;
    }

    /** The WAL index for the coverage columns; a history file that cannot be read makes them "unknown". */
    private Optional<WalCoverage> walIndex() {
        if (!walCoverage) {
            return Optional.empty();
        }
        try {
            return Optional.of(archive.walIndex(WalSegmentSize.DEFAULT));
        } catch (IOException e) {
            LOG.warning(LogEvent.msg("cannot tell the backups' WAL coverage").detail(e.getMessage())
                    .hint("The wal_coverage column says unknown; wal-verify reports the archive's gaps."));
            return Optional.empty();
        }
    }
}
