package org.walj.resident;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Objects;

/**
 * Size and mtime of a WAL file when it was stored: a later request for the same name is the same file only if both
 * still match (a cluster initialised again in the same directory reuses segment names).
 */
record SegmentStamp(long size, FileTime mtime) {
    SegmentStamp {
        Objects.requireNonNull(mtime, "mtime");
    }

    /** The file's stamp, or null when it does not exist (or is not a regular file). */
    static SegmentStamp of(Path file) throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return a.isRegularFile() ? new SegmentStamp(a.size(), a.lastModifiedTime()) : null;
        } catch (NoSuchFileException gone) {
            return null;
        }
    }
}
