package org.walj.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.walj.UserException;
import org.walj.archive.Archives;
import org.walj.layout.BackupLayout;
import org.walj.layout.BackupManifest;
import org.walj.layout.BackupName;
import org.walj.layout.BackupSentinel;
import org.walj.layout.ManifestEntry;
import org.walj.layout.RestoreSpec;
import org.walj.layout.Tablespace;
import org.walj.pipeline.CorruptObjectException;
import org.walj.pipeline.EncoderOptions;
import org.walj.postgres.SegmentName;
import org.walj.storage.ObjectInfo;
import org.walj.storage.RetryPolicy;
import org.walj.storage.Storage;
import org.walj.storage.file.FileStorage;

/**
 * backup-fetch over an existing directory: {@code --delta}, the rerun of an interrupted fetch (the restore marker),
 * and a partition read that fails and goes on. Backups are built here member by member with a version 2 manifest
 * that describes them exactly, as backup-push writes it.
 */
@Timeout(120)
class DeltaRestoreTest {
    static final String NAME = BackupFetchTest.NAME;

    @TempDir
    Path tmp;
    FileStorage files;
    Path data;
    Path outside;

    @BeforeEach
    void setUp() throws IOException {
        files = new FileStorage(Files.createDirectories(tmp.resolve("archive")));
        data = tmp.resolve("restore/data");
        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "do not touch");
        Files.writeString(outside.resolve("pg_control"), "not ours");
    }

    /** A backup being described: its members by partition, and the manifest lines they make. */
    final class Backup {
        final Map<Integer, Tars> tars = new TreeMap<>();
        final List<ManifestEntry> entries = new ArrayList<>();

        Tars tar(int p) {
            return tars.computeIfAbsent(p, k -> new Tars());
        }

        Backup dir(int p, String name) throws IOException {
            tar(p).dir(name, 0700);
            entries.add(ManifestEntry.directory(p, name, 0700));
            return this;
        }

        Backup file(int p, String name, String content) throws IOException {
            tar(p).file(name, content);
            byte[] b = content.getBytes(StandardCharsets.UTF_8);
            entries.add(ManifestEntry.file(p, name, 0600, b.length, ManifestEntry.newDigest().digest(b)));
            return this;
        }

        Backup symlink(int p, String name, String target) throws IOException {
            tar(p).symlink(name, target, 0777);
            entries.add(ManifestEntry.symlink(p, name, 0777, target));
            return this;
        }

        /** A manifest line with no member behind it (a crafted manifest). */
        Backup listedOnly(ManifestEntry e) {
            entries.add(e);
            return this;
        }

        void store(List<Tablespace> tablespaces) throws IOException {
            for (Map.Entry<Integer, Tars> t : tars.entrySet()) {
                put(String.format("basebackups_005/%s/tar_partitions/part_%08d.tar.lzo", NAME, t.getKey()),
                        t.getValue().bytes());
            }
            StringBuilder m = new StringBuilder(BackupManifest.headerLine(BackupName.parse(NAME).orElseThrow()))
                    .append('\n');
            long bytes = 0;
            long fileCount = 0;
            for (ManifestEntry e : entries) {
                m.append(e.toJsonLine()).append('\n');
                if (e.type() == ManifestEntry.Type.FILE) {
                    fileCount++;
                    bytes += e.size();
                }
            }
            m.append(BackupManifest.trailerLine(entries.size(), fileCount, bytes)).append('\n');
            put(BackupLayout.manifestKey(BackupName.parse(NAME).orElseThrow(), Archives.LZO.suffix()),
                    m.toString().getBytes(StandardCharsets.UTF_8));
            sentinel(tablespaces);
        }
    }

    void put(String key, byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream enc = Archives.LZO.encoder(out, EncoderOptions.pipe())) {
            enc.write(plain);
        }
        files.put(key, new ByteArrayInputStream(out.toByteArray()), null);
    }

    void sentinel(List<Tablespace> tablespaces) throws IOException {
        BackupSentinel s = new BackupSentinel(SegmentName.parse("000000010000000000000002").orElseThrow(), "00000312",
                10, new RestoreSpec("/original/data/", tablespaces));
        files.put("basebackups_005/" + NAME + "_backup_stop_sentinel.json",
                new ByteArrayInputStream(s.toJson().getBytes(StandardCharsets.UTF_8)), null);
    }

    /** Three partitions: data files; pg_control with PG_VERSION; backup_label (the final partition). */
    Backup cluster() throws IOException {
        return new Backup().dir(0, "./").dir(0, "base/").dir(0, "base/1/").file(0, "base/1/1259", "catalog")
                .file(0, "base/1/2600", "table one").dir(0, "pg_wal/")
                .dir(1, "global/").file(1, "global/pg_control", "control").file(1, "PG_VERSION", "15\n")
                .file(1, "postgresql.auto.conf", "# backed up\n")
                .file(2, "backup_label", "label");
    }

    static BackupFetch.Options options(boolean delta) {
        return new BackupFetch.Options(2, false, BackupFetch.RestoreSpecOption.NONE, false, false, delta,
                RetryPolicy.DEFAULT);
    }

    void fetch(Storage storage, BackupFetch.Options options) throws IOException {
        new BackupFetch(Archives.on(storage, tmp.resolve("archive"), Archives.LZO)).fetch(data, NAME, options);
    }

    static Object inode(Path p) throws IOException {
        return Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * The file's inode number, kept in use by a hard link outside the data directory: a file written anew can then
     * never get the same number (ext4 hands a freed number out again at once), so "rewritten" shows as a new number.
     */
    Object heldInode(Path p) throws IOException {
        Files.createLink(tmp.resolve("held-" + System.nanoTime()), p);
        return inode(p);
    }

    /** What a restored copy looks like after it ran: changed, grown, shrunk, with new files and directories. */
    @Test
    void keepsWhatMatchesRewritesWhatDiffersAndRemovesWhatTheBackupLacks() throws IOException {
        cluster().store(List.of());
        fetch(files, options(false));
        Object catalogInode = inode(data.resolve("base/1/1259"));
        Files.writeString(data.resolve("base/1/2600"), "table ONE"); // same size, other bytes
        Files.writeString(data.resolve("global/pg_control"), "control, later");
        Files.move(data.resolve("backup_label"), data.resolve("backup_label.old"));
        Files.writeString(data.resolve("base/1/16384"), "a table the backup does not have");
        Files.createDirectories(data.resolve("base/5/sub"));
        Files.writeString(data.resolve("base/5/sub/x"), "a database the backup does not have");
        Files.writeString(data.resolve("pg_wal/000000020000000000000003"), "WAL of another timeline");
        Files.writeString(data.resolve("postgresql.conf"), "port = 5433\n");
        Files.writeString(data.resolve("pg_hba.conf"), "local all all trust\n");
        Files.writeString(data.resolve("standby.signal"), "");
        Files.writeString(data.resolve("postgresql.auto.conf"), "# ALTER SYSTEM on the copy\n");
        Files.setPosixFilePermissions(data.resolve("PG_VERSION"), PosixFilePermissions.fromString("rw-rw-rw-"));

        fetch(files, options(true));

        assertEquals(catalogInode, inode(data.resolve("base/1/1259")), "a matching file is kept, not rewritten");
        assertEquals("table one", Files.readString(data.resolve("base/1/2600")));
        assertEquals("control", Files.readString(data.resolve("global/pg_control")));
        assertEquals("label", Files.readString(data.resolve("backup_label")));
        assertEquals("# backed up\n", Files.readString(data.resolve("postgresql.auto.conf")),
                "postgresql.auto.conf is backup content: restored like any file");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                data.resolve("PG_VERSION"))), "a kept file gets the recorded mode");
        for (String gone : List.of("backup_label.old", "base/1/16384", "base/5", "pg_wal/000000020000000000000003",
                RestoreMarker.NAME, "global/pg_control" + PartitionExtractor.INCOMPLETE_SUFFIX)) {
            assertFalse(Files.exists(data.resolve(gone), LinkOption.NOFOLLOW_LINKS), gone);
        }
        assertTrue(Files.isDirectory(data.resolve("pg_wal")));
        assertEquals("port = 5433\n", Files.readString(data.resolve("postgresql.conf")), "the operator's");
        assertEquals("local all all trust\n", Files.readString(data.resolve("pg_hba.conf")));
        assertTrue(Files.exists(data.resolve("standby.signal")));
    }

    /** A partition whose members are all in place is not downloaded: here it is not even there any more. */
    @Test
    void partitionsWhoseMembersAllMatchAreNotRead() throws IOException {
        cluster().store(List.of());
        fetch(files, options(false));
        Files.writeString(data.resolve("global/pg_control"), "control, later");
        Files.delete(data.resolve("backup_label"));
        files.delete(List.of(String.format("basebackups_005/%s/tar_partitions/part_%08d.tar.lzo", NAME, 0)));
        CountingStorage counting = new CountingStorage(files, Integer.MAX_VALUE, -1);

        fetch(counting, options(true));

        assertEquals(List.of("part_00000001.tar.lzo", "part_00000002.tar.lzo"), counting.partitionsRead());
        assertEquals("control", Files.readString(data.resolve("global/pg_control")));
        assertEquals("table one", Files.readString(data.resolve("base/1/2600")));
    }

    /** When nothing differs, no partition is read: pg_control and backup_label are kept under their own rules. */
    @Test
    void anUnchangedCopyReadsNothing() throws IOException {
        cluster().store(List.of());
        fetch(files, options(false));
        CountingStorage counting = new CountingStorage(files, Integer.MAX_VALUE, -1);
        fetch(counting, options(true));
        assertEquals(List.of(), counting.partitionsRead());
        assertEquals("control", Files.readString(data.resolve("global/pg_control")));
        assertEquals("label", Files.readString(data.resolve("backup_label")));
    }

    /** The data directory is ours; links in it are removed as links, never followed, and nothing outside changes. */
    @Test
    void linksInTheDataDirectoryAreNeverFollowed() throws IOException {
        cluster().symlink(0, "pg_stat", outside.toString()).store(List.of());
        fetch(files, options(false));
        Files.delete(data.resolve("base/1/1259"));
        Files.createSymbolicLink(data.resolve("base/1/1259"), outside.resolve("secret"));
        Files.delete(data.resolve("global/pg_control"));
        Files.delete(data.resolve("global"));
        Files.createSymbolicLink(data.resolve("global"), outside); // holds a "pg_control"
        Files.createSymbolicLink(data.resolve("base/5"), outside);
        Files.createSymbolicLink(data.resolve("postgresql.auto.conf.new"), outside.resolve("secret"));

        fetch(files, options(true));

        assertEquals("do not touch", Files.readString(outside.resolve("secret")));
        assertEquals("not ours", Files.readString(outside.resolve("pg_control")));
        assertEquals(List.of("pg_control", "secret"), list(outside));
        assertEquals("catalog", Files.readString(data.resolve("base/1/1259")));
        assertFalse(Files.isSymbolicLink(data.resolve("base/1/1259")));
        assertFalse(Files.isSymbolicLink(data.resolve("global")));
        assertEquals("control", Files.readString(data.resolve("global/pg_control")));
        assertFalse(Files.exists(data.resolve("base/5"), LinkOption.NOFOLLOW_LINKS));
        assertEquals(outside, Files.readSymbolicLink(data.resolve("pg_stat")), "the recorded link is kept");
    }

    /**
     * A manifest can name anything: names that leave the target match nothing on disk, so their partition is read
     * and the extractor refuses the member; nothing outside is touched, and PostgreSQL would not start the result.
     */
    @Test
    void manifestNamesThatLeaveTheTargetAreNeverFollowed() throws IOException {
        byte[] secret = "do not touch".getBytes(StandardCharsets.UTF_8);
        Backup b = cluster();
        b.tar(0).file("../outside/secret", "replaced");
        b.listedOnly(ManifestEntry.file(0, "../outside/secret", 0600, 8,
                ManifestEntry.newDigest().digest("replaced".getBytes(StandardCharsets.UTF_8))));
        b.listedOnly(ManifestEntry.file(1, "/" + outside.resolve("secret").toString().substring(1), 0600,
                secret.length, ManifestEntry.newDigest().digest(secret)));
        b.store(List.of());
        Files.createDirectories(data);
        Files.writeString(data.resolve("PG_VERSION"), "15\n");

        IOException e = assertThrows(IOException.class, () -> fetch(files, options(true)));
        assertTrue(e.getMessage().contains("../outside/secret"), e.getMessage());
        assertEquals("do not touch", Files.readString(outside.resolve("secret")));
        assertFalse(Files.exists(data.resolve("global/pg_control")), "PostgreSQL refuses what is left");
        assertTrue(RestoreMarker.present(data), "a rerun continues");
    }

    /**
     * Two manifest names for one path keep nothing there (the extractor refuses the duplicate), and a link whose
     * target differs from the recorded one is removed as a link and made again, never followed.
     */
    @Test
    void ambiguousNamesKeepNothingAndOtherLinkTargetsAreReplaced() throws IOException {
        Backup b = cluster().symlink(0, "pg_stat", "/var/lib/elsewhere");
        b.store(List.of());
        fetch(files, options(false));
        Files.delete(data.resolve("pg_stat"));
        Files.createSymbolicLink(data.resolve("pg_stat"), outside);
        fetch(files, options(true));
        assertEquals(Path.of("/var/lib/elsewhere"), Files.readSymbolicLink(data.resolve("pg_stat")));
        assertEquals(List.of("pg_control", "secret"), list(outside));

        assertNothingKeptWhenAlsoListedAs("./base/1/1259");
    }

    /** base/1/1259 listed a second time as {@code otherName}: not kept, rewritten, and the fetch fails. */
    private void assertNothingKeptWhenAlsoListedAs(String otherName) throws IOException {
        Backup twice = cluster();
        twice.listedOnly(ManifestEntry.file(0, otherName, 0600, 7,
                ManifestEntry.newDigest().digest("catalog".getBytes(StandardCharsets.UTF_8))));
        twice.store(List.of());
        Object before = heldInode(data.resolve("base/1/1259"));
        IOException e = assertThrows(IOException.class, () -> fetch(files, options(true)));
        assertTrue(e.getMessage().contains(otherName), e.getMessage());
        assertNotEquals(before, inode(data.resolve("base/1/1259")), "not kept: written again from the partition");
        assertFalse(Files.exists(data.resolve("global/pg_control")));
    }

    /**
     * A name spelled otherwise than backup-push writes it ({@code base/./1/1259}) still leads to its path: with the
     * plain name also listed, nothing is kept there, as above.
     */
    @Test
    void anOddlySpelledNameIsAmbiguousWithThePlainOne() throws IOException {
        cluster().store(List.of());
        fetch(files, options(false));
        assertNothingKeptWhenAlsoListedAs("base/./1/1259");
    }

    /** Tablespaces: the directory's contents are compared too, and the pg_tblspc link is made anew. */
    @Test
    void tablespaceContentsAreComparedAndTheLinkRemade() throws IOException {
        Path ts = tmp.resolve("ts1");
        cluster().dir(0, "pg_tblspc/").file(0, "pg_tblspc/16385/PG_15_1/5/16390", "ts data")
                .file(0, "pg_tblspc/16385/PG_15_1/5/16391", "ts more").store(List.of(
                        new Tablespace("16385", ts + "/", "pg_tblspc/16385")));
        BackupFetch.Options spec = new BackupFetch.Options(2, false, BackupFetch.RestoreSpecOption.SOURCE, false,
                false, false, RetryPolicy.DEFAULT);
        fetch(files, spec);
        Object kept = inode(ts.resolve("PG_15_1/5/16390"));
        Files.writeString(ts.resolve("PG_15_1/5/16391"), "ts MORE");
        Files.writeString(ts.resolve("PG_15_1/5/99999"), "new in the tablespace");
        Files.delete(data.resolve("pg_tblspc/16385"));
        Files.createSymbolicLink(data.resolve("pg_tblspc/16385"), outside);

        fetch(files, new BackupFetch.Options(2, false, BackupFetch.RestoreSpecOption.SOURCE, false, false, true,
                RetryPolicy.DEFAULT));

        assertEquals(kept, inode(ts.resolve("PG_15_1/5/16390")));
        assertEquals("ts more", Files.readString(ts.resolve("PG_15_1/5/16391")));
        assertFalse(Files.exists(ts.resolve("PG_15_1/5/99999")));
        assertEquals(ts, Files.readSymbolicLink(data.resolve("pg_tblspc/16385")));
        assertEquals(List.of("pg_control", "secret"), list(outside));
    }

    /** A WAL-E backup has no manifest: a delta restore removes everything but the protected files and restores all. */
    @Test
    void withoutAManifestEverythingIsRewritten() throws IOException {
        put(String.format("basebackups_005/%s/tar_partitions/part_%08d.tar.lzo", NAME, 0), new Tars()
                .file("global/pg_control", "control").file("base/1/1", "one").bytes());
        sentinel(List.of());
        fetch(files, options(false));
        Object before = heldInode(data.resolve("base/1/1"));
        Files.writeString(data.resolve("base/1/2"), "extra");
        Files.writeString(data.resolve("pg_ident.conf"), "mine\n");

        fetch(files, options(true));

        assertNotEquals(before, inode(data.resolve("base/1/1")), "rewritten");
        assertEquals("one", Files.readString(data.resolve("base/1/1")));
        assertFalse(Files.exists(data.resolve("base/1/2")));
        assertEquals("mine\n", Files.readString(data.resolve("pg_ident.conf")));
    }

    /**
     * An interrupted fetch leaves its marker and no pg_control; a plain rerun continues it (no --delta), keeping
     * what was restored. A non-empty directory without the marker, or with a link of that name, is refused.
     */
    @Test
    void aRerunContinuesItsOwnInterruptedRestoreOnly() throws IOException {
        Backup b = cluster();
        b.store(List.of());
        String part1 = String.format("basebackups_005/%s/tar_partitions/part_%08d.tar.lzo", NAME, 1);
        byte[] good = Files.readAllBytes(tmp.resolve("archive").resolve(part1));
        files.put(part1, new ByteArrayInputStream(new byte[] {1, 2, 3}), null);
        assertThrows(IOException.class, () -> fetch(files, options(false)));
        assertTrue(RestoreMarker.present(data));
        assertFalse(Files.exists(data.resolve("global/pg_control")));
        Object restored = inode(data.resolve("base/1/1259"));

        files.put(part1, new ByteArrayInputStream(good), null);
        fetch(files, options(false));
        assertEquals(restored, inode(data.resolve("base/1/1259")), "kept from the interrupted run");
        assertEquals("control", Files.readString(data.resolve("global/pg_control")));
        assertFalse(RestoreMarker.present(data));

        UserException refused = assertThrows(UserException.class, () -> fetch(files, options(false)));
        assertEquals("refusing to restore into the non-empty data directory " + data, refused.getMessage());

        Path other = tmp.resolve("other");
        Files.createDirectories(other);
        Files.createSymbolicLink(other.resolve(RestoreMarker.NAME), outside.resolve("secret"));
        UserException linked = assertThrows(UserException.class, () -> new BackupFetch(
                Archives.on(files, tmp.resolve("archive"), Archives.LZO)).fetch(other, NAME, options(false)));
        assertTrue(linked.getMessage().startsWith("refusing to restore into the non-empty"), linked.getMessage());
    }

    /** backup-push never stores the marker: a backup of a directory that still has one restores normally. */
    @Test
    void theMarkerIsNeverBackedUp() throws IOException {
        Path cluster = Files.createDirectories(tmp.resolve("cluster/global"));
        Files.writeString(cluster.resolve("pg_control"), "c");
        Files.writeString(cluster.getParent().resolve(RestoreMarker.NAME), "left by a crash after pg_control");
        List<String> names = ClusterListing.of(cluster.getParent()).members().stream().map(ClusterMember::name)
                .toList();
        assertEquals(List.of("./", "global", "global/pg_control"), names);
    }

    /** A read that breaks off goes on where it stopped: one fetch, nothing written twice. */
    @Test
    void aFailedPartitionReadIsRetriedWhereItBrokeOff() throws IOException {
        cluster().store(List.of());
        CountingStorage flaky = new CountingStorage(files, 2, 40);
        fetch(flaky, new BackupFetch.Options(1, false, BackupFetch.RestoreSpecOption.NONE, false, false, false,
                new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofSeconds(30))));
        assertEquals("table one", Files.readString(data.resolve("base/1/2600")));
        assertTrue(flaky.gets.get() > 3, "the failed reads were opened again");
    }

    /** Bounded: a read that keeps failing fails the fetch after the policy's attempts. */
    @Test
    void aReadThatKeepsFailingFailsTheFetch() throws IOException {
        cluster().store(List.of());
        CountingStorage broken = new CountingStorage(files, Integer.MAX_VALUE, 40);
        IOException e = assertThrows(IOException.class, () -> fetch(broken, new BackupFetch.Options(1, false,
                BackupFetch.RestoreSpecOption.NONE, false, false, false,
                new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofSeconds(30)))));
        assertTrue(e.getMessage().contains("connection reset (test)"), e.getMessage());
        assertEquals(3, broken.readsOf("part_00000000.tar.lzo"),
                "three reads of the first partition, then the fetch failed");
    }

    /** A corrupt object is not transient: read once, refused. */
    @Test
    void aCorruptPartitionIsNotRetried() throws IOException {
        cluster().store(List.of());
        String part0 = String.format("basebackups_005/%s/tar_partitions/part_%08d.tar.lzo", NAME, 0);
        byte[] stored = Files.readAllBytes(tmp.resolve("archive").resolve(part0));
        stored[stored.length / 2] ^= 0x55;
        files.put(part0, new ByteArrayInputStream(stored), null);
        CountingStorage counting = new CountingStorage(files, Integer.MAX_VALUE, -1);
        IOException e = assertThrows(IOException.class, () -> fetch(counting, new BackupFetch.Options(1, false,
                BackupFetch.RestoreSpecOption.NONE, false, false, false, RetryPolicy.DEFAULT)));
        assertTrue(e.getMessage().contains("part_00000000"), e.getMessage());
        assertEquals(1, counting.readsOf("part_00000000.tar.lzo"), e.getMessage());
        assertTrue(hasCause(e, CorruptObjectException.class) || e.getMessage().contains("checksum")
                || e.getMessage().contains("corrupt"), e.getMessage());
    }

    private static boolean hasCause(Throwable t, Class<?> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> list(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /**
     * Counts partition reads; the first {@code failures} partition streams throw after {@code failAfter} bytes
     * (never when {@code failAfter} is negative).
     */
    static final class CountingStorage implements Storage {
        private final Storage inner;
        private final int failures;
        private final int failAfter;
        final AtomicInteger gets = new AtomicInteger();
        final AtomicInteger partitionGets = new AtomicInteger();
        private final List<String> read = java.util.Collections.synchronizedList(new ArrayList<>());

        CountingStorage(Storage inner, int failures, int failAfter) {
            this.inner = inner;
            this.failures = failures;
            this.failAfter = failAfter;
        }

        List<String> partitionsRead() {
            return read.stream().sorted().distinct().toList();
        }

        long readsOf(String partition) {
            return read.stream().filter(partition::equals).count();
        }

        @Override
        public InputStream get(String key) throws IOException {
            gets.incrementAndGet();
            InputStream in = inner.get(key);
            if (!key.contains("/tar_partitions/")) {
                return in;
            }
            read.add(key.substring(key.lastIndexOf('/') + 1));
            int n = partitionGets.incrementAndGet();
            if (failAfter < 0 || n > failures) {
                return in;
            }
            return new java.io.FilterInputStream(in) {
                private long position;

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (position >= failAfter) {
                        throw new IOException("connection reset (test)");
                    }
                    int r = super.read(b, off, (int) Math.min(len, failAfter - position));
                    position += Math.max(r, 0);
                    return r;
                }

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }
            };
        }

        @Override
        public void put(String key, InputStream content, String contentType) throws IOException {
            inner.put(key, content, contentType);
        }

        @Override
        public Optional<ObjectInfo> stat(String key) throws IOException {
            return inner.stat(key);
        }

        @Override
        public List<ObjectInfo> list(String keyPrefix) throws IOException {
            return inner.list(keyPrefix);
        }

        @Override
        public void delete(Collection<String> keys) throws IOException {
            inner.delete(keys);
        }

        @Override
        public String url(String key) {
            return inner.url(key);
        }
    }
}
