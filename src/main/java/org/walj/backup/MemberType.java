package org.walj.backup;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.walj.layout.ManifestEntry;

/**
 * What a tar member is, judged by its type flag. Commons Compress's {@code TarArchiveEntry.isFile()} is true for
 * anything that is not a directory (a FIFO or a device too), so a restore that trusted it wrote devices and FIFOs as
 * empty regular files; here only the types a restore recreates are named, everything else is {@link #OTHER}.
 */
enum MemberType {
    FILE("a regular file"), DIRECTORY("a directory"), SYMLINK("a symbolic link"), HARD_LINK("a hard link"),
    OTHER("a tar member of a type that is not restored");

    private final String words;

    MemberType(String words) {
        this.words = words;
    }

    static MemberType of(TarArchiveEntry e) {
        byte flag = e.getLinkFlag();
        if (e.isSparse()) {
            return OTHER; // GNU or PAX sparse: not what WAL-E or wal-j write, and its holes are not restored
        }
        return switch (flag) {
            case TarConstants.LF_DIR -> DIRECTORY;
            case TarConstants.LF_SYMLINK -> SYMLINK;
            case TarConstants.LF_LINK -> HARD_LINK;
            // a name ending in / marks a directory in pre-POSIX tars (as Commons Compress and Python's tarfile read it)
            case TarConstants.LF_NORMAL, TarConstants.LF_OLDNORM, TarConstants.LF_CONTIG ->
                    e.getName().endsWith("/") ? DIRECTORY : FILE;
            default -> OTHER;
        };
    }

    /** The member's type for an error message, e.g. {@code FIFO, type flag '6'}. */
    static String describe(TarArchiveEntry e) {
        byte flag = e.getLinkFlag();
        String what = switch (flag) {
            case TarConstants.LF_CHR -> "character device";
            case TarConstants.LF_BLK -> "block device";
            case TarConstants.LF_FIFO -> "FIFO";
            case TarConstants.LF_GNUTYPE_SPARSE -> "GNU sparse file";
            default -> e.isSparse() ? "sparse file" : "unknown type";
        };
        String shown = flag >= 0x21 && flag < 0x7f ? "'" + (char) flag + "'" : String.format("0x%02x", flag & 0xff);
        return what + ", type flag " + shown;
    }

    /** E.g. "a symbolic link". */
    String words() {
        return words;
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
