package org.walj.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reads timeline history objects (compressed, maybe encrypted) as text for the WAL index. */
final class HistoryFiles {
    private HistoryFiles() {
    }

    static WalIndexLoader.HistoryReader reader(Archive archive) {
        return key -> {
            try (InputStream in = archive.codec().decoder(key, archive.storage().get(key))) {
                return new String(SmallObjects.readAll(in, archive.storage().url(key), "timeline history"),
                        StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IOException("cannot read " + archive.storage().url(key) + ": " + e.getMessage(), e);
            }
        };
    }
}
