package org.walj.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.walj.pipeline.EncoderOptions;
import org.walj.UserException;
import org.walj.layout.BackupSentinel;
import org.walj.layout.RestoreSpec;
import org.walj.layout.Tablespace;
import org.walj.logging.LoggerNames;
import org.walj.pipeline.codecs.Compression;
import org.walj.pipeline.Encryption;
import org.walj.pipeline.ObjectCodec;
import org.walj.postgres.SegmentName;
import org.walj.storage.file.FileStorage;

/**
 * One restore's world for hostile-archive tests, on the real file backend: an archive, a target that does not exist
 * yet ({@code restore/data}, tablespaces go to {@code restore/ts*}), and outside them a decoy file and a decoy
 * directory whose bytes, modes and times are recorded before the fetch and compared after it.
 */
final class HostileSandbox {
    static final String NAME = "base_000000010000000000000002_00000040";
    static final ObjectCodec CODEC = Compression.LZO.with(Encryption.NONE);
    static final String PARTITION_0 = "part_00000000.tar.lzo";

    final Path root;
    final Path data;
    final Path restore;
    final Path outside;
    final Path decoy;
    final Path decoyDir;
    final FileStorage storage;
    private final Map<String, String> before;

    HostileSandbox(Path root) throws IOException {
        this.root = Files.createDirectories(root);
        restore = Files.createDirectories(root.resolve("restore"));
        data = restore.resolve("data");
        outside = Files.createDirectories(root.resolve("outside"));
        decoy = Files.writeString(outside.resolve("decoy"), "precious\n");
        Files.setPosixFilePermissions(decoy, PosixFilePermissions.fromString("rw-r-----"));
        Files.setLastModifiedTime(decoy, FileTime.fromMillis(1_000_000_000_000L));
        decoyDir = Files.createDirectories(outside.resolve("dir"));
        Files.setPosixFilePermissions(decoyDir, PosixFilePermissions.fromString("rwxr-x---"));
        Files.setLastModifiedTime(decoyDir, FileTime.fromMillis(1_000_000_000_000L));
        Files.setLastModifiedTime(outside, FileTime.fromMillis(1_000_000_000_000L));
        storage = new FileStorage(Files.createDirectories(root.resolve("archive")));
        before = snapshot();
    }

    Path tablespace(String name) {
        return restore.resolve(name);
    }

    void partition(int n, byte[] tar) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream enc = CODEC.encoder(out, EncoderOptions.pipe())) {
            enc.write(tar);
        }
        storage.put(String.format("basebackups_005/%s/tar_partitions/part_%08d.tar.lzo", NAME, n),
                new ByteArrayInputStream(out.toByteArray()), null);
    }

    void sentinel(List<Tablespace> tablespaces) throws IOException {
        BackupSentinel s = new BackupSentinel(SegmentName.parse("000000010000000000000002").orElseThrow(), "00000312",
                10, new RestoreSpec("/original/data/", tablespaces));
        storage.put("basebackups_005/" + NAME + "_backup_stop_sentinel.json",
                new ByteArrayInputStream(s.toJson().getBytes(StandardCharsets.UTF_8)), null);
    }

    /** The fetch's failure, or null when it succeeded. */
    Exception fetch(BackupFetch.RestoreSpecOption spec, boolean owners) {
        try {
            new BackupFetch(storage, CODEC, LoggerNames.WORKER_FILE).fetch(data, NAME,
                    new BackupFetch.Options(3, false, spec, owners));
            return null;
        } catch (IOException | UserException e) {
            return e;
        }
    }

    /** The fetch failed with one line naming {@code needle}, left no pg_control and touched nothing outside. */
    void assertRefusedSafely(Exception failure, String needle) throws IOException {
        assertNotNull(failure, "the fetch must fail (" + needle + ")");
        String m = failure.getMessage();
        assertTrue(m.contains(needle), "expected " + needle + " in: " + m);
        assertFalse(m.contains("\n") || m.contains("\r"), "one line: " + m);
        assertNoPgControl();
        assertOutsideUntouched();
    }

    void assertNoPgControl() {
        assertFalse(Files.exists(data.resolve("global/pg_control"), LinkOption.NOFOLLOW_LINKS),
                "a failed fetch leaves no global/pg_control");
    }

    /** The decoys have their bytes, modes and times, and nothing appeared beside the target or the archive. */
    void assertOutsideUntouched() throws IOException {
        assertEquals(before, snapshot(), "outside the target");
        try (Stream<Path> s = Files.list(root)) {
            assertEquals(Set.of("archive", "restore", "outside"),
                    s.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
        }
        try (Stream<Path> s = Files.list(restore)) {
            s.forEach(p -> assertTrue(p.getFileName().toString().equals("data")
                    || p.getFileName().toString().startsWith("ts"), "beside the target: " + p));
        }
    }

    private Map<String, String> snapshot() throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(outside)) {
            for (Path p : s.toList()) {
                StringBuilder b = new StringBuilder();
                b.append(PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS)))
                        .append(' ').append(Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toMillis())
                        .append(' ').append(Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS))
                        .append(' ').append(Files.getAttribute(p, "unix:nlink", LinkOption.NOFOLLOW_LINKS));
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    b.append(' ').append(sha256(Files.readAllBytes(p)));
                } else if (Files.isSymbolicLink(p)) {
                    b.append(" -> ").append(Files.readSymbolicLink(p));
                }
                m.put(outside.relativize(p).toString(), b.toString());
            }
        }
        return m;
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean runningAsRoot() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
