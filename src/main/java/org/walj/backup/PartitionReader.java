package org.walj.backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.walj.layout.ManifestEntry;
import org.walj.pipeline.CountingInputStream;

/**
 * The reading half of backup-fetch, shared with backup-verify: walks one tar partition member by member, refuses
 * names and member types no restore may write ({@link MemberName}; {@link MemberType}: devices, FIFOs, sparse
 * files), checks every regular file is complete and, when a {@link FileCheck} is given, hashes its content on the
 * way through; and requires tar's end-of-archive blocks and reads the stream to its end, so the decompressor below
 * verifies its own checksums.
 * What happens to a member is {@link Members}' business: the extractor writes it, the verifier drops it.
 */
final class PartitionReader {
    private PartitionReader() {
    }

    /** What is done with each member that passed the reader's checks. */
    interface Members {
        void directory(MemberName name, TarArchiveEntry entry) throws IOException;

        /** {@code content} yields the member's bytes; whatever is not read is drained (and checked) afterwards. */
        void file(MemberName name, TarArchiveEntry entry, InputStream content) throws IOException;

        void symlink(MemberName name, TarArchiveEntry entry) throws IOException;

        void hardLink(MemberName name, MemberName target, TarArchiveEntry entry) throws IOException;
    }

    /**
     * Reads one tar stream completely.
     *
     * @param check told about each member before it is handed on, and about each regular file with its SHA-256
     *              after it; null to check and hash nothing (no manifest)
     */
    static void read(InputStream tarStream, Members members, FileCheck check) throws IOException {
        TarEndCheck checked = new TarEndCheck(tarStream);
        // Names are UTF-8, as PAX headers say and as Python's tarfile writes them for WAL-E on a UTF-8 system;
        // the platform default (ASCII under LANG=C on JDK 17) would reject any other byte.
        TarArchiveInputStream tar = new TarArchiveInputStream(checked, StandardCharsets.UTF_8.name());
        MessageDigest sha = check == null ? null : ManifestEntry.newDigest();
        byte[] drain = new byte[64 * 1024];
        TarArchiveEntry entry;
        while ((entry = nextEntry(tar, checked)) != null) {
            MemberName name = MemberName.parse(entry.getName());
            MemberType type = MemberType.of(entry);
            if (type == MemberType.DIRECTORY) {
                if (check != null) {
                    check.member(entry, MemberType.DIRECTORY);
                }
                members.directory(name, entry);
            } else if (type == MemberType.SYMLINK) {
                if (name.isRoot()) {
                    throw new UnsafeMemberException(entry.getName(), "a symbolic link cannot replace the restore "
                            + "directory");
                }
                if (check != null) {
                    check.member(entry, MemberType.SYMLINK);
                }
                members.symlink(name, entry);
            } else if (type == MemberType.HARD_LINK) {
                if (check != null) {
                    check.member(entry, MemberType.HARD_LINK);
                }
                members.hardLink(name, linkTarget(entry), entry);
            } else if (type == MemberType.FILE) {
                if (name.isRoot()) {
                    throw new UnsafeMemberException(entry.getName(), "a file cannot replace the restore directory");
                }
                file(tar, entry, name, members, check, sha, drain);
            } else {
                throw new UnsafeMemberException(entry.getName(), "unsupported tar member type ("
                        + MemberType.describe(entry) + "; only regular files, directories, symbolic and hard links "
                        + "are restored)");
            }
        }
        checked.drainAndCheck();
    }

    /** The next header; the end check learns where it starts, to tell the end-of-archive blocks from garbage. */
    private static TarArchiveEntry nextEntry(TarArchiveInputStream tar, TarEndCheck checked) throws IOException {
        checked.nextHeaderAt();
        return tar.getNextEntry();
    }

    /** A hard link's target, judged as a name; a refusal names the link member, not only its target. */
    private static MemberName linkTarget(TarArchiveEntry entry) throws UnsafeMemberException {
        try {
            return MemberName.parse(entry.getLinkName());
        } catch (UnsafeMemberException e) {
            throw new UnsafeMemberException(entry.getName(), "hard link to \"" + entry.getLinkName() + "\": "
                    + e.why());
        }
    }

    private static void file(TarArchiveInputStream tar, TarArchiveEntry entry, MemberName name, Members members,
                             FileCheck check, MessageDigest sha, byte[] drain) throws IOException {
        if (sha != null) {
            sha.reset();
        }
        Content content = new Content(tar, sha, entry.getName());
        members.file(name, entry, content);
        while (content.read(drain, 0, drain.length) >= 0) {
            // what the handler did not read still counts, and is hashed
        }
        if (content.count() != entry.getSize()) {
            throw new IOException("tar member \"" + entry.getName() + "\" is truncated: " + content.count() + " of "
                    + entry.getSize() + " bytes");
        }
        if (check != null) {
            check.file(entry, content.count(), sha.digest());
        }
    }

    /** One member's bytes, counted and hashed as they pass; closing it does not close the tar. */
    private static final class Content extends CountingInputStream {
        private final MessageDigest sha;
        private final String member;

        Content(InputStream tar, MessageDigest sha, String member) {
            super(tar);
            this.sha = sha;
            this.member = member;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n;
            try {
                n = counted(in.read(b, off, len));
            } catch (IOException e) {
                // the tar reader's own message ("Truncated TAR archive") does not say which member
                throw new IOException("tar member \"" + member + "\" is truncated or unreadable after " + count()
                        + " bytes: " + e.getMessage(), e);
            }
            if (n > 0 && sha != null) {
                sha.update(b, off, n);
            }
            return n;
        }

        @Override
        public void close() {
        }
    }
}
