package org.walj.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.function.LongConsumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.walj.layout.ManifestEntry;
import org.walj.logging.LogEvent;
import org.walj.logging.LoggerNames;
import org.walj.logging.WalELog;

/**
 * Writes one partition as a POSIX (PAX) tar stream, WAL-E's rules for files that change under it: the listed size is
 * authoritative (a grown file is cut, a shrunk one padded with NULs), a file gone since listing is left out, a file
 * that cannot be read fails the backup.
 */
public final class TarPartitionWriter {
    private static final WalELog LOG = WalELog.get(LoggerNames.TAR_PARTITION);
    private static final int BUFFER = 64 * 1024;

    private final ReadRateLimit rateLimit;
    private final LongConsumer written;

    public TarPartitionWriter(ReadRateLimit rateLimit) {
        this(rateLimit, bytes -> { });
    }

    /** {@code written}: told the file bytes put into the tar as they go (backup-push's progress). */
    public TarPartitionWriter(ReadRateLimit rateLimit, LongConsumer written) {
        this.rateLimit = rateLimit;
        this.written = written;
    }

    /**
     * Writes {@code partition} to {@code out} and finishes the archive; does not close {@code out}. Every member is
     * reported to {@code manifest} as written into the tar (name, type, mode, a symbolic link's target), each regular
     * file with the SHA-256 of exactly the bytes that went into the tar, computed as they are written (the file is
     * read once).
     */
    public void write(Partition partition, OutputStream out, ManifestSink manifest) throws IOException {
        TarArchiveOutputStream tar = open(out);
        byte[] buffer = new byte[BUFFER];
        MessageDigest sha = ManifestEntry.newDigest();
        for (ClusterMember m : partition.members()) {
            switch (m.type()) {
                case DIRECTORY, SYMLINK -> {
                    TarArchiveEntry e = entry(m);
                    tar.putArchiveEntry(e);
                    tar.closeArchiveEntry();
                    manifest.add(m.type() == ClusterMember.Type.DIRECTORY
                            ? ManifestEntry.directory(partition.number(), e.getName(), e.getMode() & 07777)
                            : ManifestEntry.symlink(partition.number(), e.getName(), e.getMode() & 07777,
                                    e.getLinkName()));
                }
                case FILE -> writeFile(tar, m, buffer, sha, partition.number(), manifest);
                default -> throw new IllegalStateException("unknown member type " + m.type());
            }
        }
        tar.finish();
    }

    /**
     * An archive of members whose content is given, e.g. {@code backup_label} from the stop call, as partition
     * {@code number}. Members get {@code owner}'s uid, gid and names, so a restore as root hands them to the server's
     * user.
     */
    public static void writeGenerated(OutputStream out, int number, java.util.Map<String, String> members,
                                      long mtimeMillis, ClusterMember owner, ManifestSink manifest)
            throws IOException {
        TarArchiveOutputStream tar = open(out);
        MessageDigest sha = ManifestEntry.newDigest();
        for (var member : members.entrySet()) {
            byte[] bytes = member.getValue().getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry e = new TarArchiveEntry(member.getKey());
            e.setSize(bytes.length);
            e.setMode(0100600);
            e.setModTime(FileTime.fromMillis(mtimeMillis));
            e.setUserId(owner.uid());
            e.setGroupId(owner.gid());
            e.setUserName(owner.owner());
            e.setGroupName(owner.group());
            tar.putArchiveEntry(e);
            tar.write(bytes);
            tar.closeArchiveEntry();
            manifest.add(ManifestEntry.file(number, e.getName(), e.getMode() & 07777, bytes.length,
                    sha.digest(bytes)));
        }
        tar.finish();
    }

    private static TarArchiveOutputStream open(OutputStream out) {
        // 20 records of 512 bytes per block, as Python's tarfile and GNU tar write: the archive ends on 10 KiB
        TarArchiveOutputStream tar = new TarArchiveOutputStream(new NonClosing(out), 10240,
                StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        return tar;
    }

    private void writeFile(TarArchiveOutputStream tar, ClusterMember m, byte[] buffer, MessageDigest sha,
                           int partition, ManifestSink manifest) throws IOException {
        InputStream in;
        try {
            in = Files.newInputStream(m.source());
        } catch (NoSuchFileException vanished) {
            // dropped table, finished temp file: WAL replay knows it is gone
            LOG.debug(LogEvent.msg("tar member additions skipping an unlinked file")
                    .detail("Skipping " + m.source() + "."));
            return;
        } catch (AccessDeniedException denied) {
            throw new IOException("could not read " + m.source() + ": Permission denied");
        }
        try (InputStream source = in) {
            TarArchiveEntry e = entry(m);
            tar.putArchiveEntry(e);
            sha.reset();
            long remaining = m.size();
            while (remaining > 0) {
                int want = (int) Math.min(buffer.length, remaining);
                rateLimit.acquire(want);
                int n = read(source, m, buffer, want);
                if (n < 0) {
                    break; // shrunk since listing: pad below
                }
                tar.write(buffer, 0, n);
                sha.update(buffer, 0, n);
                remaining -= n;
                written.accept(n);
            }
            if (remaining > 0) {
                Arrays.fill(buffer, (byte) 0);
                while (remaining > 0) {
                    int n = (int) Math.min(buffer.length, remaining);
                    tar.write(buffer, 0, n);
                    sha.update(buffer, 0, n);
                    remaining -= n;
                    written.accept(n);
                }
            }
            tar.closeArchiveEntry();
            manifest.add(ManifestEntry.file(partition, e.getName(), e.getMode() & 07777, m.size(), sha.digest()));
        }
    }

    /** A read failure names the file; failures downstream (compressor, upload) keep their own message. */
    private static int read(InputStream source, ClusterMember m, byte[] buffer, int want) throws IOException {
        try {
            return source.read(buffer, 0, want);
        } catch (IOException e) {
            throw new IOException("could not read " + m.source() + ": " + e.getMessage(), e);
        }
    }

    private static TarArchiveEntry entry(ClusterMember m) {
        TarArchiveEntry e;
        switch (m.type()) {
            case DIRECTORY -> {
                e = new TarArchiveEntry(m.name().endsWith("/") ? m.name() : m.name() + "/");
                e.setMode(040000 | m.mode());
            }
            case SYMLINK -> {
                e = new TarArchiveEntry(m.name(), TarConstants.LF_SYMLINK);
                e.setLinkName(m.linkTarget());
                e.setMode(0120000 | m.mode());
            }
            default -> {
                e = new TarArchiveEntry(m.name());
                e.setSize(m.size());
                e.setMode(0100000 | m.mode());
            }
        }
        e.setModTime(FileTime.fromMillis(m.mtimeMillis()));
        e.setUserId(m.uid());
        e.setGroupId(m.gid());
        e.setUserName(m.owner());
        e.setGroupName(m.group());
        return e;
    }

    /** The tar stream must not close the encoder: its caller finishes the object. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
