package org.walj.backup;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * What a tar member is, judged by its type flag. Commons Compress's {@code TarArchiveEntry.isFile()} is true for
 * anything that is not a directory (a FIFO or a device too), so a restore that trusted it wrote devices and FIFOs as
 * empty regular files; here only the types a restore recreates are named, everything else is {@link #OTHER}.
 */
enum MemberType {
    FILE, DIRECTORY, SYMLINK, HARD_LINK, OTHER;

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

    /** The member's type for an error message, e.g. {@code FIFO (type flag '6')}. */
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
}
