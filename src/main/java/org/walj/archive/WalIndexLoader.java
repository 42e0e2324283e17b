package org.walj.archive;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.walj.layout.ArchiveLayout;
import org.walj.layout.WalArchiveIndex;
import org.walj.layout.WalArchiveIndex.WalObject;
import org.walj.layout.WalFileName;
import org.walj.postgres.WalCoverage;
import org.walj.postgres.WalSegmentSize;
import org.walj.storage.ObjectInfo;
import org.walj.storage.Storage;

/** Builds the WAL index of an archive: lists {@code wal_005/} and reads every timeline history file. */
final class WalIndexLoader {
    private WalIndexLoader() {
    }

    /** Reads the decoded text of a timeline history object (they are compressed, maybe encrypted). */
    @FunctionalInterface
    interface HistoryReader {
        String read(String key) throws IOException;
    }

    static WalCoverage load(Storage storage, HistoryReader reader, WalSegmentSize segmentSize) throws IOException {
        List<ObjectInfo> listing = storage.list(ArchiveLayout.WAL_DIRECTORY);
        Map<Long, String> historyTexts = new HashMap<>();
        for (ObjectInfo o : listing) {
            Optional<WalObject> w = WalObject.parse(o.key());
            if (w.isPresent() && w.get().kind() == WalFileName.Kind.TIMELINE_HISTORY) {
                // .lzo and .lz4 copies of one history hold the same text; the first read wins
                if (!historyTexts.containsKey(w.get().segment().timeline())) {
                    historyTexts.put(w.get().segment().timeline(), reader.read(o.key()));
                }
            }
        }
        return WalArchiveIndex.of(listing.stream().map(ObjectInfo::key).toList(), historyTexts, segmentSize);
    }
}
