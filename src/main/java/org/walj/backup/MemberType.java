package org.walj.backup;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.walj.layout.ManifestEntry;

/**
 * What a tar member is, in the words an error uses. {@link PartitionReader} decides directories, symbolic and hard
 * links; what it hands on as a file is {@link #ofFileMember told apart by its type flag}, since the tar library takes
 * any member it does not know (devices, FIFOs, …) for a regular file.
 */
enum MemberType {
    FILE("a regular file"), DIRECTORY("a directory"), SYMLINK("a symbolic link"), HARD_LINK("a hard link"),
    CHARACTER_DEVICE("a character device"), BLOCK_DEVICE("a block device"), FIFO("a FIFO"),
    OTHER("a tar member of an unknown type");

    private final String words;

    MemberType(String words) {
        this.words = words;
    }

    /** E.g. "a symbolic link". */
    String words() {
        return words;
    }

    /** The type of a member the reader handed on as a file: only type flags '0' and NUL are regular files. */
    static MemberType ofFileMember(TarArchiveEntry entry) {
        byte flag = entry.getLinkFlag();
        if (flag == TarConstants.LF_NORMAL || flag == TarConstants.LF_OLDNORM) {
            return FILE;
        }
        if (flag == TarConstants.LF_CHR) {
            return CHARACTER_DEVICE;
        }
        if (flag == TarConstants.LF_BLK) {
            return BLOCK_DEVICE;
        }
        if (flag == TarConstants.LF_FIFO) {
            return FIFO;
        }
        return OTHER;
    }

    /** The manifest type this member would have to be listed as; null for none (wal-j writes no such member). */
    ManifestEntry.Type manifestType() {
        return switch (this) {
            case FILE -> ManifestEntry.Type.FILE;
            case DIRECTORY -> ManifestEntry.Type.DIRECTORY;
            case SYMLINK -> ManifestEntry.Type.SYMLINK;
            default -> null;
        };
    }

    static String words(ManifestEntry.Type type) {
        return switch (type) {
            case FILE -> FILE.words;
            case DIRECTORY -> DIRECTORY.words;
            case SYMLINK -> SYMLINK.words;
        };
    }
}
