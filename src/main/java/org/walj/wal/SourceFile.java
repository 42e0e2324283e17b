package org.walj.wal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/** A WAL file opened for archiving, with the mode and mtime lzop records in its header. */
record SourceFile(Path path, InputStream stream, int mode, long mtimeSeconds) {

    static SourceFile open(Path path) throws IOException {
        InputStream in = Files.newInputStream(path);
        try {
            Map<String, Object> unix = Files.readAttributes(path, "unix:mode,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) unix.get("mode");
            long mtime = ((FileTime) unix.get("lastModifiedTime")).toMillis() / 1000;
            return new SourceFile(path, in, mode, mtime);
        } catch (UnsupportedOperationException | IllegalArgumentException noUnixView) {
            return new SourceFile(path, in, 0, Files.getLastModifiedTime(path).toMillis() / 1000);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }
}
