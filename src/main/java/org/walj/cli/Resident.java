package org.walj.cli;

import java.nio.file.Path;
import java.util.Optional;
import org.walj.archive.Archive;
import org.walj.wal.PrefetchSpawner;
import org.walj.wal.PushAhead;

/**
 * What a command run by the resident daemon uses instead of opening its own: the archive the daemon opened once,
 * the client's working directory (PostgreSQL passes paths relative to its data directory), in-process
 * prefetching, and wal-push's background push-ahead (empty when the daemon runs with {@code --push-ahead 0}).
 */
record Resident(Archive archive, Path workingDirectory, PrefetchSpawner prefetch, Optional<PushAhead> pushAhead) {
    Resident {
        if (!workingDirectory.isAbsolute()) {
            throw new IllegalArgumentException("working directory must be absolute: " + workingDirectory);
        }
    }
}
