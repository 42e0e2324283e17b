package org.walj.backup;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One tar member of a base backup, with its metadata fixed when the file list was made: the size recorded here is
 * what goes into the tar, whatever the file's size is when it is read (WAL replay repairs the difference).
 *
 * @param source     where it is on disk (for tablespaces: through the {@code pg_tblspc} link)
 * @param name       the member name, relative to the data directory ({@code ./} for the data directory itself)
 * @param linkTarget for symlinks, the target exactly as readlink returned it; otherwise null
 */
public record ClusterMember(Path source, String name, Type type, long size, int mode, long mtimeMillis,
                            int uid, int gid, String owner, String group, String linkTarget) {

    public enum Type { DIRECTORY, FILE, SYMLINK }

    public ClusterMember {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (size < 0 || (type != Type.FILE && size != 0)) {
            throw new IllegalArgumentException("bad size " + size + " for " + type + " " + name);
        }
        if (type == Type.SYMLINK && linkTarget == null) {
            throw new IllegalArgumentException("symlink without target: " + name);
        }
    }
}
