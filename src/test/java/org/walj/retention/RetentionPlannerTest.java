package org.walj.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walj.UserException;
import org.walj.archive.Archive;
import org.walj.archive.Archives;
import org.walj.archive.BackupCatalog;
import org.walj.storage.Storage;

class RetentionPlannerTest {
    // four backups; a promotion at segment 0x0A made timeline 2 (00000002.history), 0x09 partial on timeline 1
    static final String B1 = "base_000000010000000000000002_00000040";
    static final String B2 = "base_000000010000000000000005_00000040";
    static final String B3 = "base_00000002000000000000000C_00000040";
    static final String B4 = "base_00000002000000000000000F_00000040";

    @TempDir
    Path dir;
    TestArchive a;

    @BeforeEach
    void archive() {
        a = new TestArchive(dir);
        a.segments(1, 1, 9, 1000).wal(1000, TestArchive.segment(1, 9) + ".partial", "00000002.history",
                TestArchive.segment(1, 2) + ".00000040.backup", TestArchive.segment(1, 5) + ".00000040.backup");
        a.segments(2, 0x0A, 0x12, 2000).wal(2000, TestArchive.segment(2, 0x0C) + ".00000040.backup");
        a.backup(B1, 100).backup(B2, 200).backup(B3, 300).backup(B4, 400);
    }

    private Set<String> run(DeleteRequest r, boolean dryRun) throws IOException {
        TreeSet<String> before = a.keys();
        new Deleter(a.opened(), dryRun).execute(new RetentionPlanner(a.opened()).plan(r));
        TreeSet<String> gone = new TreeSet<>(before);
        gone.removeAll(a.keys());
        return gone;
    }

    private static Set<String> walBelow(long timeline, long first, long end) {
        Set<String> s = new TreeSet<>();
        for (long n = first; n < end; n++) {
            s.add("wal_005/" + TestArchive.segment(timeline, n) + ".lzo");
        }
        return s;
    }

    @Test
    void retainTwoKeepsTheTwoNewestAndTheWalFromTheOlderOfThem() throws IOException {
        Set<String> expected = new TreeSet<>();
        expected.addAll(TestArchive.backupKeys(B1));
        expected.addAll(TestArchive.backupKeys(B2));
        expected.addAll(walBelow(1, 1, 10)); // every timeline-1 segment lies before B3's segment 0x0C
        expected.add("wal_005/" + TestArchive.segment(1, 9) + ".partial.lzo");
        expected.add("wal_005/" + TestArchive.segment(1, 2) + ".00000040.backup.lzo");
        expected.add("wal_005/" + TestArchive.segment(1, 5) + ".00000040.backup.lzo");
        expected.addAll(walBelow(2, 0x0A, 0x0C));
        assertEquals(expected, run(new DeleteRequest.Retain(2), false));
        assertTrue(a.keys().contains("wal_005/00000002.history.lzo"), "history files are never deleted");
        List<String> left = new BackupCatalog(a.storage).all().stream().map(e -> e.name().toString()).toList();
        assertEquals(List.of(B3, B4), left);
    }

    @Test
    void retainMoreThanThereAreDeletesOnlyWhatPrecedesTheOldest() throws IOException {
        a.incomplete("base_000000010000000000000001_00000040", 50);
        Set<String> expected = new TreeSet<>(walBelow(1, 1, 2));
        expected.add("basebackups_005/base_000000010000000000000001_00000040/extended_version.txt");
        expected.add("basebackups_005/base_000000010000000000000001_00000040/tar_partitions/part_00000000.tar.lzo");
        expected.add("basebackups_005/base_000000010000000000000001_00000040/tar_partitions/part_00000001.tar.lzo");
        assertEquals(expected, run(new DeleteRequest.Retain(10), false));
    }

    @Test
    void beforeANameDeletesBackupsAndWalBeforeItsSegmentOnEveryTimeline() throws IOException {
        Set<String> expected = new TreeSet<>();
        expected.addAll(TestArchive.backupKeys(B1));
        expected.addAll(walBelow(1, 1, 5));
        expected.add("wal_005/" + TestArchive.segment(1, 2) + ".00000040.backup.lzo");
        assertEquals(expected, run(DeleteRequest.before(B2), false));
        // a segment name works as well, and the named backup need not exist
        Set<String> more = run(DeleteRequest.before(TestArchive.segment(7, 6)), false);
        Set<String> expected2 = new TreeSet<>(TestArchive.backupKeys(B2));
        expected2.add("wal_005/" + TestArchive.segment(1, 5) + ".lzo");
        expected2.add("wal_005/" + TestArchive.segment(1, 5) + ".00000040.backup.lzo");
        assertEquals(expected2, more);
    }

    @Test
    void aDryRunDeletesNothingWhateverTheRequest() throws IOException {
        a.put("wal_004/000000010000000000000001.lzo", "old", 10);
        for (DeleteRequest r : List.of(new DeleteRequest.Retain(1), new DeleteRequest.Retain(100),
                DeleteRequest.before(B4), DeleteRequest.before("FFFFFFFFFFFFFFFFFFFFFFFF"),
                new DeleteRequest.Everything(), new DeleteRequest.OldVersions())) {
            assertEquals(Set.of(), run(r, true), r.toString());
        }
    }

    @Test
    void lz4AndLzoCopiesBothGoAndUnknownKeysStay() throws IOException {
        a.wal(1000, TestArchive.segment(1, 3) + ".lz4").put("wal_005/garbage.txt", "g", 1000)
                .put("wal_005/000000010000000000000003.lzo.tmp", "t", 1000);
        a.put("basebackups_005/notabackup/x", "x", 10);
        Set<String> gone = run(DeleteRequest.before(B2), false);
        assertTrue(gone.contains("wal_005/" + TestArchive.segment(1, 3) + ".lz4"));
        assertTrue(gone.contains("wal_005/" + TestArchive.segment(1, 3) + ".lzo"));
        assertTrue(a.keys().containsAll(List.of("wal_005/garbage.txt", "wal_005/000000010000000000000003.lzo.tmp",
                "basebackups_005/notabackup/x")));
    }

    @Test
    void refusesWhenThePositionOrderWouldDeleteTheNewestBackup() throws IOException {
        // a point-in-time recovery to segment 3 continued on timeline 3; its backup starts "before" B2..B4
        String branched = "base_000000030000000000000004_00000040";
        a.segments(3, 3, 6, 3000).wal(3000, "00000003.history").backup(branched, 500);
        TreeSet<String> before = a.keys();
        UserException e = assertThrows(UserException.class,
                () -> new RetentionPlanner(a.opened()).plan(new DeleteRequest.Retain(2)));
        assertTrue(e.getMessage().contains(branched), e.getMessage());
        assertEquals(before, a.keys());
    }

    @Test
    void aBackupStillBeingPushedKeepsItsDataAndItsWal() throws IOException {
        // started at segment 3, still writing partitions after B3 (the oldest kept with retain 2) completed
        String running = "base_000000010000000000000003_00000040";
        a.incomplete(running, 350);
        String dead = "base_000000010000000000000004_00000040";
        a.incomplete(dead, 150);
        Set<String> gone = run(new DeleteRequest.Retain(2), false);
        assertTrue(a.keys().containsAll(TestArchive.backupKeys(running).subList(0, 3)), "in-progress push kept");
        assertTrue(gone.containsAll(TestArchive.backupKeys(dead).subList(0, 3)), "dead push deleted");
        assertTrue(a.keys().containsAll(walBelow(1, 3, 10)), "WAL from the running push's start on kept");
        assertTrue(gone.containsAll(walBelow(1, 1, 3)));
        assertTrue(gone.containsAll(TestArchive.backupKeys(B1)) && gone.containsAll(TestArchive.backupKeys(B2)));
    }

    @Test
    void aWalGBackupInTheSamePrefixKeepsItsWal() throws IOException {
        a.put("basebackups_005/base_000000010000000000000003_backup_stop_sentinel.json", "{}", 150)
                .put("basebackups_005/base_000000010000000000000003/tar_partitions/part_1.tar.lz4", "g", 150);
        Set<String> gone = run(new DeleteRequest.Retain(1), false);
        assertEquals(walBelow(1, 1, 3), gone.stream().filter(k -> k.matches("wal_005/[0-9A-F]{24}\\.lzo"))
                .collect(java.util.stream.Collectors.toCollection(TreeSet::new)));
        assertTrue(a.keys().contains("basebackups_005/base_000000010000000000000003_backup_stop_sentinel.json"));
        assertTrue(gone.containsAll(TestArchive.backupKeys(B3)), "wal-j's own backups still go");
    }

    @Test
    void everythingAndOldVersions() throws IOException {
        a.put("wal_004/000000010000000000000001.lzo", "old", 10)
                .put("basebackups_004/base_000000010000000000000001_00000040/tar_partitions/part_00000000.tar.lzo",
                        "old", 10)
                .put("basebackups_004/base_000000010000000000000001_00000040_backup_stop_sentinel.json", "{}", 10)
                .put("other/keep.txt", "x", 10);
        TreeSet<String> current = a.keys();
        Set<String> old = run(new DeleteRequest.OldVersions(), false);
        assertEquals(3, old.size(), old.toString());
        assertTrue(old.stream().allMatch(k -> k.startsWith("wal_004/") || k.startsWith("basebackups_004/")));
        run(new DeleteRequest.Everything(), false);
        assertEquals(Set.of("other/keep.txt"), a.keys());
        assertTrue(current.size() > 40);
    }

    /** issue 12 item 10: the temp files of a SIGKILLed push kept "delete everything" from emptying the archive. */
    @Test
    void everythingAlsoRemovesWhatKilledUploadsLeftAndADryRunKeepsIt() throws IOException {
        String killed = "basebackups_005/base_000000010000000000000009_00000040/tar_partitions/";
        a.incomplete("base_000000010000000000000009_00000040", 5000);
        Path partial = a.root.resolve(killed + ".part_00000002.tar.lzo.tmp-0123456789abcdef");
        Path walPartial = a.root.resolve("wal_005/.000000010000000000000009.lzo.tmp-00000000000000ff");
        java.nio.file.Files.writeString(partial, "half a partition");
        java.nio.file.Files.writeString(walPartial, "half a segment");

        run(new DeleteRequest.Everything(), true);
        assertTrue(java.nio.file.Files.exists(partial) && java.nio.file.Files.exists(walPartial), "a dry run");
        run(new DeleteRequest.Everything(), false);
        // the top-level directories stay, so that the root is still an archive (docs/storage.md)
        try (java.util.stream.Stream<Path> left = java.nio.file.Files.list(a.root)) {
            assertEquals(Set.of("basebackups_005", "wal_005"),
                    left.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()));
        }
        assertTrue(isEmpty(a.root.resolve("basebackups_005")), "nothing left of the backups");
        assertTrue(isEmpty(a.root.resolve("wal_005")), "nothing left of the WAL");
    }

    @Test
    void aDeleteThatDiesMidwayLeavesNoListedBackupWithoutItsData() throws IOException {
        Archive dying = Archives.on(new StorageDyingAfterDeletes(a.storage, 1), a.root, Archives.LZO);
        DeletionPlan plan = new RetentionPlanner(dying).plan(new DeleteRequest.Retain(1));
        assertThrows(IOException.class, () -> new Deleter(dying, false).execute(plan));
        for (BackupCatalog.Entry e : new BackupCatalog(a.storage).all()) {
            for (String key : TestArchive.backupKeys(e.name().toString())) {
                assertTrue(a.keys().contains(key), "listed backup " + e.name() + " lost " + key);
            }
        }
        assertFalse(a.keys().contains("basebackups_005/" + B1 + "_backup_stop_sentinel.json"));
    }

    @Test
    void badArguments() {
        for (String n : List.of("-1", "0", "abc", "", "1.5", "99999999999")) {
            assertThrows(UserException.class, () -> DeleteRequest.retain(n), n);
        }
        for (String n : List.of("base_0000000100000000000000_00000040", "LATEST", "../x", "base_", "")) {
            assertThrows(UserException.class, () -> DeleteRequest.before(n), n);
        }
        assertEquals(3, DeleteRequest.retain("3").count());
    }

    /** The real file storage, with deletes that fail after {@code allowed} batches: a process dying midway. */
    static final class StorageDyingAfterDeletes implements Storage {
        private final Storage real;
        private int allowed;

        StorageDyingAfterDeletes(Storage real, int allowed) {
            this.real = real;
            this.allowed = allowed;
        }

        @Override
        public void put(String key, java.io.InputStream content, String contentType) throws IOException {
            real.put(key, content, contentType);
        }

        @Override
        public java.io.InputStream get(String key) throws IOException {
            return real.get(key);
        }

        @Override
        public java.util.Optional<org.walj.storage.ObjectInfo> stat(String key) throws IOException {
            return real.stat(key);
        }

        @Override
        public List<org.walj.storage.ObjectInfo> list(String keyPrefix) throws IOException {
            return real.list(keyPrefix);
        }

        @Override
        public void delete(Collection<String> keys) throws IOException {
            if (allowed-- <= 0) {
                throw new IOException("died while deleting " + new ArrayList<>(keys).get(0));
            }
            real.delete(keys);
        }

        @Override
        public String url(String key) {
            return real.url(key);
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (java.util.stream.Stream<Path> entries = java.nio.file.Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }
}
