package org.walj.backup;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.walj.archive.Archive;
import org.walj.layout.ArchiveLayout;
import org.walj.layout.WalFileName;
import org.walj.pipeline.CompressionCodec;
import org.walj.postgres.SegmentName;
import org.walj.postgres.WalPageHeader;
import org.walj.storage.ObjectNotFoundException;

/**
 * One WAL segment as the archive holds it, for a standby backup's wait: is it there, and whose is it. Only the first
 * bytes are decoded (the segment's long page header), never the whole segment.
 *
 * @param header     the segment's first page header; empty when the object is there but could not be read (an
 *                   encrypted archive whose secret key this machine lacks), then {@code unreadable} says why
 */
record ArchivedSegment(String key, Optional<WalPageHeader> header, String unreadable) {

    /** The archived object of {@code segment} under any readable suffix, the configured one first; empty if none. */
    static Optional<ArchivedSegment> find(Archive archive, SegmentName segment) throws IOException {
        WalFileName name = new WalFileName(segment.toString());
        for (CompressionCodec c : archive.codec().searchOrder()) {
            String key = ArchiveLayout.walObjectKey(name, c.suffix());
            InputStream stored;
            try {
                stored = archive.storage().get(key);
            } catch (ObjectNotFoundException absent) {
                continue;
            }
            try (stored) {
                return Optional.of(readHeader(archive, key, stored));
            }
        }
        return Optional.empty();
    }

    /** Whether a timeline history file ({@code 00000002.history}) is in the archive under any readable suffix. */
    static boolean historyPresent(Archive archive, long timeline) throws IOException {
        WalFileName name = new WalFileName(String.format("%08X.history", timeline));
        for (CompressionCodec c : archive.codec().searchOrder()) {
            if (archive.storage().stat(ArchiveLayout.walObjectKey(name, c.suffix())).isPresent()) {
                return true;
            }
        }
        return false;
    }

    private static ArchivedSegment readHeader(Archive archive, String key, InputStream stored) throws IOException {
        byte[] first;
        try (InputStream plain = archive.codec().decoder(key, stored)) {
            first = plain.readNBytes(WalPageHeader.LENGTH);
        } catch (IOException e) {
            // decryption or decoding: the object exists, its owner cannot be told here
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new ArchivedSegment(key, Optional.empty(), why);
        }
        Optional<WalPageHeader> header = WalPageHeader.parse(first);
        return new ArchivedSegment(key, header, header.isPresent() ? "" : "it does not start with a WAL page header");
    }
}
