package org.walj.wal;

import java.io.IOException;
import java.nio.file.Path;

/** wal-fetch was asked to write into a directory that does not exist. */
public final class NoDestinationDirectoryException extends IOException {
    public NoDestinationDirectoryException(Path destination) {
        super("the directory of the destination " + destination + " does not exist");
    }
}
