package org.walj.cli;

import org.walj.layout.WalArchiveIndex;

/** Reads timeline history objects (compressed, maybe encrypted) as text for the layout's WAL index. */
final class HistoryFiles {
    private HistoryFiles() {
    }

    static WalArchiveIndex.HistoryReader reader(ArchiveAccess archive) {
        return WalArchiveIndex.historyReader(archive.storage(), archive.codec());
    }
}
