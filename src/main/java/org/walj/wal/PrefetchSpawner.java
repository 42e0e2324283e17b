package org.walj.wal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.walj.postgres.SegmentName;

/** Starts a detached {@code wal-prefetch BASE SEGMENT…} process; the CLI knows how to start itself. */
@FunctionalInterface
public interface PrefetchSpawner {
    void spawn(Path base, List<SegmentName> segments) throws IOException;
}
