package org.walj.backup;

import java.io.IOException;

/**
 * Told about every regular file read from a partition: its name as in the tar, the bytes read and their SHA-256.
 * backup-fetch throws at the first file that does not match the manifest; backup-verify records it and goes on.
 */
@FunctionalInterface
interface FileCheck {
    void file(String name, long size, byte[] sha256) throws IOException;
}
