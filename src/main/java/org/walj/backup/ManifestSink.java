package org.walj.backup;

import java.io.IOException;
import org.walj.layout.ManifestEntry;

/** Where the partition writers report each member they put into a tar; called from several threads. */
@FunctionalInterface
public interface ManifestSink {
    /** Records nothing, for writers whose output needs no manifest. */
    ManifestSink NONE = entry -> {
    };

    void add(ManifestEntry entry) throws IOException;
}
