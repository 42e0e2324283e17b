package org.walj.cli;

import java.nio.file.Path;
import org.walj.wal.PrefetchSpawner;

/**
 * What a command run by the resident daemon uses instead of opening its own: the archive the daemon opened once,
 * the client's working directory (PostgreSQL passes paths relative to its data directory), and in-process
 * prefetching.
 */
record Resident(ArchiveAccess archive, Path workingDirectory, PrefetchSpawner prefetch) {
    Resident {
        if (!workingDirectory.isAbsolute()) {
            throw new IllegalArgumentException("working directory must be absolute: " + workingDirectory);
        }
    }
}
