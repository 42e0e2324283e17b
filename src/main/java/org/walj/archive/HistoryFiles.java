package org.walj.archive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reads timeline history objects (compressed, maybe encrypted) as text for the WAL index. */
final class HistoryFiles {
    /** A history file has one short line per ancestor timeline; anything this large is not one. */
    private static final int MAX_BYTES = 1 << 20;

    private HistoryFiles() {
    }

    static WalIndexLoader.HistoryReader reader(Archive archive) {
        return key -> {
            try (InputStream in = archive.codec().decoder(key, archive.storage().get(key))) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                byte[] buf = new byte[8192];
                int n;
                while ((n = in.read(buf)) > 0) {
                    out.write(buf, 0, n);
                    if (out.size() > MAX_BYTES) {
                        throw new IOException(archive.storage().url(key)
                                + ": larger than 1 MiB, not a timeline history");
                    }
                }
                return out.toString(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IOException("cannot read " + archive.storage().url(key) + ": " + e.getMessage(), e);
            }
        };
    }
}
