package org.walj.archive;

import java.io.IOException;
import org.walj.UserException;
import org.walj.layout.ArchiveLayout;
import org.walj.layout.StoragePrefix;
import org.walj.storage.Storage;

/**
 * The one rule telling "this archive holds no such object" from "this is not the archive" (docs/wal-path.md): a
 * prefix is an archive when it holds {@code wal_005/} or {@code basebackups_005/} (on the file backend: the
 * directory exists; on object stores: at least one object under it).
 *
 * <p>Why it matters: PostgreSQL takes wal-fetch's "not found" for the end of the archive and promotes. An unmounted
 * mount point, a wrong prefix or an empty bucket answer "not found" for every segment, so without this check a
 * recovery would end early with WAL missing; and a wal-push into an unmounted mount point would archive to the
 * local disk.
 */
public final class ArchivePresence {
    private static final String WAL = ArchiveLayout.WAL_DIRECTORY;
    private static final String BACKUPS = ArchiveLayout.BASEBACKUP_DIRECTORY;

    private final Storage storage;
    private final StoragePrefix prefix;

    public ArchivePresence(Storage storage, StoragePrefix prefix) {
        this.storage = storage;
        this.prefix = prefix;
    }

    /**
     * For a reader that did not find an object: returns when the prefix is an archive (the object is really absent),
     * throws otherwise. Costs one or two look-ups, so it is asked on the not-found path only.
     */
    public void requireArchive() throws IOException {
        if (!isArchive()) {
            throw new UserException("the archive at " + prefix.urlOf("") + " holds neither " + WAL + " nor " + BACKUPS,
                    "A prefix without either is not an archive: the object was not looked for in the right place.",
                    "Is the archive mounted, and is the prefix right? Once it is, run the command again (for a "
                            + "stopped recovery: start the server again).");
        }
    }

    /**
     * For a writer: returns when the write may go ahead. Object stores start a new archive on the first write; the
     * file backend only writes into a root that already holds {@code wal_005/} or {@code basebackups_005/}
     * (either may then create the other).
     */
    public void requireWritable() throws IOException {
        if (storage.mayStartArchive() || isArchive()) {
            return;
        }
        String root = "file".equals(prefix.scheme()) ? withoutSlash(prefix.fileRoot()) : prefix.urlOf("");
        throw new UserException("refusing to start a new archive in " + root + ": it holds neither " + WAL + " nor "
                + BACKUPS,
                "An empty directory may be an unmounted mount point; writing there would archive to the local disk. "
                        + "Nothing was written; PostgreSQL keeps the WAL and retries.",
                "Is the archive mounted, and is the prefix right? To start a new archive there, create it as the "
                        + "PostgreSQL user: mkdir " + withSlash(root) + WAL.substring(0, WAL.length() - 1)
                        + " (owned by that user).");
    }

    /** wal_005/ first: one look-up in the common case; a wal_005 that is a file or a dangling link throws. */
    private boolean isArchive() throws IOException {
        return storage.holdsDirectory(WAL) || storage.holdsDirectory(BACKUPS);
    }

    private static String withSlash(String dir) {
        return dir.endsWith("/") ? dir : dir + "/";
    }

    private static String withoutSlash(String dir) {
        return dir.length() > 1 && dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir;
    }
}
