package org.walj.backup;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.walj.layout.BackupCatalog;
import org.walj.layout.BackupSentinel;
import org.walj.storage.Storage;

/** backup-list: the rows for the complete backups a query selects, in storage listing order. */
public final class BackupList {
    private final Storage storage;

    public BackupList(Storage storage) {
        this.storage = storage;
    }

    /**
     * With {@code detail}, every selected backup's sentinel is read for the size and stop position, on every
     * backend (WAL-E's file backend leaves those columns empty).
     */
    public List<BackupRow> rows(Optional<String> query, boolean detail) throws IOException {
        BackupCatalog catalog = new BackupCatalog(storage);
        List<BackupRow> rows = new ArrayList<>();
        for (BackupCatalog.Entry e : catalog.select(query)) {
            String start = e.name().startSegment().toString();
            String startOffset = e.name().startOffset();
            if (detail) {
                BackupSentinel s = catalog.sentinel(e);
                rows.add(new BackupRow(e.name().toString(), e.sentinel().lastModified(),
                        OptionalLong.of(s.expandedSizeBytes()), start, startOffset, s.stopSegment().toString(),
                        s.stopOffset()));
            } else {
                rows.add(new BackupRow(e.name().toString(), e.sentinel().lastModified(), OptionalLong.empty(),
                        start, startOffset, null, null));
            }
        }
        return rows;
    }
}
