package org.walj.backup;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Where a backup is extracted: the data directory and, for each tablespace restored outside it, the directory its
 * {@code pg_tblspc/<oid>} symlink points to. Members below {@code pg_tblspc/<oid>/} of a mapped tablespace are
 * written straight into its directory, never through the symlink. All paths are absolute and real (no symlinks).
 */
public record RestoreTarget(Path dataDirectory, Map<String, Path> tablespaceDirectories) {
    public RestoreTarget {
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        tablespaceDirectories = Map.copyOf(tablespaceDirectories);
    }
}
