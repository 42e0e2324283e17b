package org.walj.backup;

import java.io.IOException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Told about every member read from a partition: directories and links before they are handed on, regular files
 * after their content, with the bytes read and their SHA-256. backup-fetch throws at the first member that does not
 * match the manifest; backup-verify records it and goes on.
 */
interface FileCheck {
    /** A directory, symbolic link or hard link ({@code type} as the reader decided it). */
    void member(TarArchiveEntry entry, MemberType type) throws IOException;

    /** A regular file, after its content (the reader refuses devices, FIFOs and other types: {@link MemberType}). */
    void file(TarArchiveEntry entry, long size, byte[] sha256) throws IOException;
}
