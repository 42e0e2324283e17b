package org.walj.wal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.walj.archive.Archive;
import org.walj.layout.ArchiveLayout;
import org.walj.layout.WalFileName;
import org.walj.logging.LogEvent;
import org.walj.logging.LoggerNames;
import org.walj.logging.WalELog;
import org.walj.pipeline.CompressionCodec;
import org.walj.pipeline.ObjectCodec;
import org.walj.storage.ObjectNotFoundException;

/**
 * wal-fetch's download: finds a WAL file in the archive whatever compression wrote it, decodes it into a temporary
 * file beside the destination, and renames it into place only once every checksum verified. The destination is
 * therefore either absent or complete.
 */
public final class WalRestorer {
    private static final WalELog LOG = WalELog.get(LoggerNames.OPERATOR_BACKUP);
    private static final int COPY_BUFFER_BYTES = 1 << 20;
    private static final Set<PosixFilePermission> WAL_FILE_MODE = PosixFilePermissions.fromString("rw-------");

    /** What PostgreSQL needs to know: restored, or not in the archive (its end-of-archive signal). */
    public enum Outcome { RESTORED, NOT_FOUND }

    private final Archive archive;
    private final ObjectCodec codec;

    public WalRestorer(Archive archive) {
        this.archive = archive;
        this.codec = archive.codec();
    }

    public Outcome restore(WalFileName name, Path destination) throws IOException {
        Path dir = destination.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new NoDestinationDirectoryException(destination);
        }
        Optional<Found> found = open(name);
        if (found.isEmpty()) {
            // "not found" ends PostgreSQL's recovery: say it only of a place that is recognisably the archive
            archive.presence().requireArchive();
            LOG.info(LogEvent.msg("could no longer locate object while performing wal restore")
                    .detail("The absolute URI that could not be located is "
                            + archive.storage().url(ArchiveLayout.walObjectKey(name, codec.suffix())) + ".")
                    .hint("This can be normal when Postgres is trying to detect what timelines are available "
                            + "during restoration.")
                    .kv("action", "wal-fetch").kv("prefix", archive.prefix().pathPrefix()).kv("seg", name.value())
                    .kv("state", "not-found"));
            return Outcome.NOT_FOUND;
        }
        String url = archive.storage().url(found.get().key());
        LOG.info(LogEvent.msg("begin wal restore")
                .kv("action", "wal-fetch").kv("key", url).kv("prefix", archive.prefix().pathPrefix())
                .kv("seg", name.value()).kv("state", "begin"));
        writeVerified(found.get(), temporarySibling(destination), destination);
        LOG.info(LogEvent.msg("complete wal restore")
                .kv("action", "wal-fetch").kv("key", url).kv("prefix", archive.prefix().pathPrefix())
                .kv("seg", name.value()).kv("state", "complete"));
        return Outcome.RESTORED;
    }

    /**
     * Decodes the whole object into {@code tmp}, then renames it to {@code destination} (same file system);
     * on failure neither is left behind. The file is mode 0600 whatever the umask, as PostgreSQL's own WAL files: a
     * daemon started by hand (umask 022) must not hand the server world-readable WAL.
     */
    static void writeVerified(Found found, Path tmp, Path destination) throws IOException {
        try {
            decode(found, tmp, out -> out);
            Files.move(tmp, destination, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Decodes the whole object into the new file {@code tmp}, every checksum verified, through {@code wrap} (which
     * sees exactly the bytes written) and returns the wrapper, closed. On failure {@code tmp} may be left for the
     * caller to remove.
     */
    static <T extends OutputStream> T decode(Found found, Path tmp, Function<OutputStream, T> wrap)
            throws IOException {
        T wrapped;
        try (InputStream raw = found.stream();
             InputStream plain = found.codec().decoder(found.key(), raw);
             T out = wrap.apply(Channels.newOutputStream(Files.newByteChannel(tmp,
                     Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                     PosixFilePermissions.asFileAttribute(WAL_FILE_MODE))))) {
            // the umask masks the creation mode and could take the owner's bits too
            Files.setPosixFilePermissions(tmp, WAL_FILE_MODE);
            copy(plain, out);
            wrapped = out;
        }
        return wrapped;
    }

    /**
     * In 1 MiB writes: {@code transferTo}'s 8 KiB ones made 2,048 write calls per 16 MiB segment, each with its own
     * copy into the JDK's temporary direct buffer (docs/performance.md, "Recovery through restore_command").
     */
    private static void copy(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[COPY_BUFFER_BYTES];
        int n;
        while ((n = in.readNBytes(buffer, 0, buffer.length)) > 0) {
            out.write(buffer, 0, n);
        }
    }

    /** The archive this restorer reads, as prefetch records name it. */
    String archiveUrl() {
        return archive.prefix().urlOf("");
    }

    /** The archived object for {@code name}, trying the configured compression's suffix first. */
    Optional<Found> open(WalFileName name) throws IOException {
        for (CompressionCodec c : codec.searchOrder()) {
            String key = ArchiveLayout.walObjectKey(name, c.suffix());
            try {
                return Optional.of(new Found(key, codec, archive.storage().get(key)));
            } catch (ObjectNotFoundException absent) {
                // try the next suffix
            }
        }
        return Optional.empty();
    }

    static Path temporarySibling(Path destination) {
        String tmpName = "." + destination.getFileName() + ".wal-j-tmp-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong());
        return destination.toAbsolutePath().resolveSibling(tmpName);
    }

    /** One archived WAL object, open for reading. */
    record Found(String key, ObjectCodec codec, InputStream stream) {
    }
}
