package org.walj.storage.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.walj.storage.ObjectInfo;
import org.walj.storage.ObjectNotFoundException;
import org.walj.storage.Storage;
import org.walj.storage.StorageContract;
import org.walj.storage.StorageUnavailableException;

class FileStorageTest extends StorageContract {

    @TempDir
    Path tmp;

    private Path root;

    @Override
    protected Storage newEmptyStorage() throws IOException {
        root = Files.createDirectory(tmp.resolve("archive"));
        return new FileStorage(root);
    }

    @Override
    protected boolean prefixesAreDirectories() {
        return true;
    }

    @Override
    protected String expectedUrl(String key) {
        return "file://localhost" + root + "/" + key;
    }

    // ------------------------------------------------------------------------------------------- layout

    @Test
    void objectsAreFilesAtWalEsPaths() throws Exception {
        byte[] content = randomBytes(3000, 9);
        storage.put("wal_005/000000010000000000000002.lzo", new ByteArrayInputStream(content), null);
        assertArrayEquals(content, Files.readAllBytes(root.resolve("wal_005/000000010000000000000002.lzo")));
        assertEquals(List.of("wal_005"), names(root));
        assertEquals(List.of("000000010000000000000002.lzo"), names(root.resolve("wal_005")));
        assertEquals(root.resolve("wal_005/000000010000000000000002.lzo"),
                ((FileStorage) storage).pathOf("wal_005/000000010000000000000002.lzo"));
    }

    @Test
    void readsFilesWalEWrote() throws Exception {
        Path file = root.resolve("basebackups_005/base_000000010000000000000002_00000040/extended_version.txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "PostgreSQL 9.6.3");
        assertEquals("PostgreSQL 9.6.3", new String(read(
                "basebackups_005/base_000000010000000000000002_00000040/extended_version.txt")));
        ObjectInfo info = storage.stat("basebackups_005/base_000000010000000000000002_00000040/extended_version.txt")
                .orElseThrow();
        assertEquals(16, info.size());
        assertEquals(Files.getLastModifiedTime(file).toInstant(), info.lastModified());
    }

    @Test
    void urlUsesLocalhostAndTheAbsolutePath() {
        FileStorage s = new FileStorage(Paths.get("/backups/pg/"));
        assertEquals("file://localhost/backups/pg/wal_005/000000010000000000000002.lzo",
                s.url("wal_005/000000010000000000000002.lzo"));
        assertEquals(Paths.get("/backups/pg"), s.root());
    }

    @Test
    void rootMustBeAbsolute() {
        assertThrows(IllegalArgumentException.class, () -> new FileStorage(Paths.get("relative/dir")));
    }

    /** issue 12 item 10: a daemon started by hand (umask 022) gave 0644; the archive is a copy of the cluster. */
    @Test
    void objectsAre0600AndTheirDirectories0700WhateverTheUmask() throws Exception {
        Path probe = Files.createFile(tmp.resolve("probe"));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(probe)),
                "this test needs the usual umask 022 to mean anything");
        storage.put("basebackups_005/base_X/tar_partitions/part_0.tar.lzo", bytes("x"), null);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                root.resolve("basebackups_005/base_X/tar_partitions/part_0.tar.lzo"))));
        for (String dir : List.of("basebackups_005", "basebackups_005/base_X", "basebackups_005/base_X/tar_partitions")) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve(dir))),
                    dir);
        }
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(root)),
                "the root is the operator's: left as it is");
    }

    // ------------------------------------------------------------------------------------------- interrupted puts

    /** issue 12 item 10: what a SIGTERM's shutdown hook does while a put is writing. */
    @Test
    void abandonUploadsRemovesTheTempFileOfAPutInProgressAndRefusesLaterPuts() throws Exception {
        String key = "basebackups_005/base_X/tar_partitions/part_1.tar.lzo";
        CountDownLatch halfway = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        InputStream paused = new PausingStream(200_000, halfway, resume);
        FileStorage fileStorage = (FileStorage) storage;
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Path dir = root.resolve("basebackups_005/base_X/tar_partitions");
        try {
            Future<?> put = pool.submit(() -> {
                storage.put(key, paused, null);
                return null;
            });
            assertTrue(halfway.await(30, TimeUnit.SECONDS));
            assertEquals(1, names(dir).size(), "the temp file is there");
            fileStorage.abandonUploads();
            assertEquals(List.of(), names(dir), "removed at once, while its put still writes");
            resume.countDown();
            java.util.concurrent.ExecutionException failed = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> put.get(30, TimeUnit.SECONDS));
            assertTrue(failed.getCause() instanceof StorageUnavailableException, failed.getCause().toString());
        } finally {
            resume.countDown();
            pool.shutdownNow();
        }
        assertEquals(List.of(), names(dir), "nothing under the key, no temp file");
        assertThrows(StorageUnavailableException.class, () -> storage.put("wal_005/A.lzo", bytes("a"), null));
        assertFalse(Files.exists(root.resolve("wal_005")), "a put after abandonUploads stores nothing");
    }

    /** What SIGKILL leaves: found and deleted for delete everything, objects and other dot files untouched. */
    @Test
    void leftoversAreTheTempFilesOfKilledPutsAndOnlyThose() throws Exception {
        storage.put("basebackups_005/base_X/tar_partitions/part_0.tar.lzo", bytes("p0"), null);
        Path parts = root.resolve("basebackups_005/base_X/tar_partitions");
        Files.writeString(parts.resolve(".part_1.tar.lzo.tmp-0123456789abcdef"), "half");
        Files.createDirectories(root.resolve("basebackups_005/base_Y/tar_partitions"));
        Files.writeString(root.resolve("basebackups_005/base_Y/tar_partitions/.part_0.tar.lzo.tmp-fedcba9876543210"),
                "half");
        Files.createDirectories(root.resolve("wal_005"));
        Files.writeString(root.resolve("wal_005/.000000010000000000000002.lzo.tmp-00000000000000aa"), "half");
        Files.writeString(root.resolve("wal_005/.hidden"), "an object");
        Files.writeString(root.resolve(".top.tmp-1111111111111111"), "outside the prefixes");

        assertEquals(List.of("basebackups_005/base_X/tar_partitions/.part_1.tar.lzo.tmp-0123456789abcdef",
                "basebackups_005/base_Y/tar_partitions/.part_0.tar.lzo.tmp-fedcba9876543210"),
                storage.leftovers("basebackups_005/"));
        assertEquals(List.of("wal_005/.000000010000000000000002.lzo.tmp-00000000000000aa"),
                storage.leftovers("wal_005/"));
        for (String bad : List.of("wal_005/.hidden", "wal_005/../.top.tmp-1111111111111111",
                "/etc/.x.tmp-1111111111111111", "basebackups_005/base_X/tar_partitions/part_0.tar.lzo")) {
            assertThrows(IllegalArgumentException.class, () -> storage.deleteLeftovers(List.of(bad)), bad);
        }
        storage.delete(List.of("basebackups_005/base_X/tar_partitions/part_0.tar.lzo"));
        storage.deleteLeftovers(storage.leftovers("basebackups_005/"));
        storage.deleteLeftovers(storage.leftovers("wal_005/"));
        // emptied directories go too, up to the top-level ones, which keep the root an archive
        assertEquals(List.of(), names(root.resolve("basebackups_005")));
        assertEquals(List.of(".hidden"), names(root.resolve("wal_005")));
        assertTrue(Files.exists(root.resolve(".top.tmp-1111111111111111")));
    }

    // ------------------------------------------------------------------------------------------- unreachable root

    @Test
    void missingRootIsUnavailableNotNotFound() throws Exception {
        Path gone = tmp.resolve("unmounted-nfs");
        FileStorage s = new FileStorage(gone);
        for (Executable op : everyOperation(s)) {
            StorageUnavailableException e = assertThrows(StorageUnavailableException.class, op);
            assertEquals("archive directory " + gone + " does not exist", e.getMessage());
        }
        assertFalse(Files.exists(gone), "put must not create a missing archive directory");
    }

    @Test
    void rootThatIsAFileIsUnavailable() throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
        FileStorage s = new FileStorage(file);
        for (Executable op : everyOperation(s)) {
            StorageUnavailableException e = assertThrows(StorageUnavailableException.class, op);
            assertEquals("archive directory " + file + " is not a directory", e.getMessage());
        }
    }

    @Test
    void rootVanishingAfterOpenIsUnavailable() throws Exception {
        storage.put("wal_005/A.lzo", bytes("a"), null);
        Files.delete(root.resolve("wal_005/A.lzo"));
        Files.delete(root.resolve("wal_005"));
        Files.delete(root);
        assertThrows(StorageUnavailableException.class, () -> storage.get("wal_005/A.lzo"));
        assertThrows(StorageUnavailableException.class, () -> storage.stat("wal_005/A.lzo"));
        assertThrows(StorageUnavailableException.class, () -> storage.list("wal_005/"));
    }

    @Test
    void unwritableRootIsUnavailable() throws Exception {
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("---------"));
        try {
            if (permissionsEnforced(root)) {
                StorageUnavailableException put = assertThrows(StorageUnavailableException.class,
                        () -> storage.put("wal_005/A.lzo", bytes("a"), null));
                assertTrue(put.getMessage().startsWith("permission denied: " + root), put.getMessage());
                StorageUnavailableException get = assertThrows(StorageUnavailableException.class,
                        () -> storage.get("wal_005/A.lzo"));
                assertTrue(get.getMessage().startsWith("permission denied: " + root), get.getMessage());
                assertThrows(StorageUnavailableException.class, () -> storage.stat("wal_005/A.lzo"));
                assertThrows(StorageUnavailableException.class, () -> storage.list("wal_005/"));
                assertFalse(get.getMessage().contains("\n"));
                return;
            }
        } finally {
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
        }
        // Running as root (as in many containers): permissions are not enforced, so provoke a write failure that
        // is: the directory an object needs exists as a regular file.
        Files.writeString(root.resolve("wal_005"), "in the way");
        StorageUnavailableException e = assertThrows(StorageUnavailableException.class,
                () -> storage.put("wal_005/A.lzo", bytes("a"), null));
        assertEquals(root.resolve("wal_005") + ": exists and is not a directory", e.getMessage());
        assertEquals(List.of("wal_005"), names(root));
        assertEquals("in the way", Files.readString(root.resolve("wal_005")));
    }

    @Test
    void writeFailureInsideTheRootLeavesNothingBehind() throws Exception {
        // A directory where the object's file should go: the rename fails after the content was written.
        Files.createDirectories(root.resolve("wal_005/X.lzo/inner"));
        assertThrows(StorageUnavailableException.class, () -> storage.put("wal_005/X.lzo", bytes("x"), null));
        assertEquals(List.of("X.lzo"), names(root.resolve("wal_005")));
        assertEquals(List.of(), storage.list(""));
    }

    @Test
    void listReadsOnlyTheSubtreeThePrefixCanMatch() throws Exception {
        storage.put("wal_005/000000010000000000000002.lzo", bytes("w"), null);
        storage.put("basebackups_005/base_X/tar_partitions/part_00000000.tar.lzo", bytes("p"), null);
        assertEquals(List.of("wal_005/000000010000000000000002.lzo"), keys(storage.list("wal_005/")));
        assertEquals(List.of("wal_005/000000010000000000000002.lzo"), keys(storage.list("wal_0")));
    }

    @Test
    void listNeverOpensAnUnreadableSiblingAndReportsOneItMustOpen() throws Exception {
        storage.put("wal_005/000000010000000000000002.lzo", bytes("w"), null);
        storage.put("basebackups_005/base_X/tar_partitions/part_00000000.tar.lzo", bytes("p"), null);
        Path sibling = root.resolve("basebackups_005");
        Files.setPosixFilePermissions(sibling, PosixFilePermissions.fromString("---------"));
        try {
            // root reads an unreadable directory anyway: reported as skipped there, not passed
            assumeTrue(permissionsEnforced(sibling), "permissions are not enforced for this user (root)");
            // an unreadable sibling is never opened for a prefix that cannot match inside it
            assertEquals(List.of("wal_005/000000010000000000000002.lzo"), keys(storage.list("wal_005/")));
            assertEquals(List.of("wal_005/000000010000000000000002.lzo"), keys(storage.list("wal_0")));
            // and a prefix that does reach into it reports the failure instead of an empty listing
            StorageUnavailableException e = assertThrows(StorageUnavailableException.class, () -> storage.list(""));
            assertEquals("permission denied: " + sibling, e.getMessage());
            assertThrows(StorageUnavailableException.class, () -> storage.list("basebackups_005/base_"));
        } finally {
            Files.setPosixFilePermissions(sibling, PosixFilePermissions.fromString("rwx------"));
        }
    }

    private static boolean permissionsEnforced(Path dir) {
        try {
            Files.delete(Files.createFile(dir.resolve("probe")));
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static List<Executable> everyOperation(FileStorage s) {
        return List.of(
                () -> s.get("wal_005/000000010000000000000002.lzo").close(),
                () -> s.stat("wal_005/000000010000000000000002.lzo"),
                () -> s.list(""),
                () -> s.list("wal_005/"),
                () -> s.put("wal_005/000000010000000000000002.lzo", bytes("x"), null),
                () -> s.delete(List.of("wal_005/000000010000000000000002.lzo")));
    }

    // ------------------------------------------------------------------------------------------- temp files

    @Test
    void inFlightUploadIsInvisibleAndUsesAHiddenTempFile() throws Exception {
        String key = "wal_005/000000010000000000000002.lzo";
        CountDownLatch halfway = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        InputStream paused = new PausingStream(2000, halfway, resume);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> put = pool.submit(() -> {
                storage.put(key, paused, null);
                return null;
            });
            assertTrue(halfway.await(30, TimeUnit.SECONDS));
            List<String> files = names(root.resolve("wal_005"));
            assertEquals(1, files.size(), files.toString());
            String temp = files.get(0);
            assertTrue(temp.matches("\\.000000010000000000000002\\.lzo\\.tmp-[0-9a-f]{16}"), temp);
            assertTrue(FileKeys.isTempName(temp));
            assertEquals(List.of(), storage.list(""));
            assertEquals(List.of(), storage.list("wal_005/"));
            assertEquals(List.of(), storage.list("wal_005/."));
            assertEquals(Optional.empty(), storage.stat(key));
            assertThrows(ObjectNotFoundException.class, () -> storage.get(key));
            assertThrows(IllegalArgumentException.class, () -> storage.get("wal_005/" + temp));
            resume.countDown();
            put.get(30, TimeUnit.SECONDS);
        } finally {
            resume.countDown();
            pool.shutdownNow();
        }
        assertEquals(List.of("000000010000000000000002.lzo"), names(root.resolve("wal_005")));
        assertEquals(2000, storage.stat(key).orElseThrow().size());
    }

    @Test
    void strayTempFilesFromACrashAreNeverListed() throws Exception {
        storage.put("wal_005/A.lzo", bytes("a"), null);
        Files.writeString(root.resolve("wal_005/.B.lzo.tmp-0123456789abcdef"), "half");
        Files.writeString(root.resolve(".top.tmp-fedcba9876543210"), "half");
        assertEquals(List.of("wal_005/A.lzo"), keys(storage.list("")));
        assertEquals(List.of("wal_005/A.lzo"), keys(storage.list("wal_005/")));
        // other dot files are ordinary objects (WAL-E would list them too)
        Files.writeString(root.resolve("wal_005/.hidden"), "h");
        assertEquals(List.of("wal_005/.hidden", "wal_005/A.lzo"), keys(storage.list("wal_005/")));
    }

    @Test
    void failedPutRemovesItsTempFile() throws Exception {
        assertThrows(IOException.class,
                () -> storage.put("wal_005/A.lzo", new FailingStream(500_000, new IOException("boom")), null));
        try (Stream<Path> all = Files.walk(root)) {
            List<Path> files = all.filter(Files::isRegularFile).collect(Collectors.toList());
            assertEquals(List.of(), files);
        }
    }

    // ------------------------------------------------------------------------------------------- delete

    @Test
    void deleteRemovesDirectoriesLeftEmptyButNeverTheRootNorItsTopLevelDirectories() throws Exception {
        String base = "basebackups_005/base_000000010000000000000002_00000040";
        List<String> backup = List.of(base + "/extended_version.txt",
                base + "/tar_partitions/part_00000000.tar.lzo", base + "/tar_partitions/part_00000001.tar.lzo");
        for (String key : backup) {
            storage.put(key, bytes(key), null);
        }
        String sentinel = base + "_backup_stop_sentinel.json";
        storage.put(sentinel, bytes("{}"), null);
        storage.put("wal_005/000000010000000000000002.lzo", bytes("w"), null);

        storage.delete(backup);
        assertFalse(Files.exists(root.resolve(base)), "the emptied backup directory is removed");
        assertEquals(List.of(base + "_backup_stop_sentinel.json"), names(root.resolve("basebackups_005")).stream()
                .map(n -> "basebackups_005/" + n).collect(Collectors.toList()));

        storage.delete(List.of(sentinel, "wal_005/000000010000000000000002.lzo"));
        assertTrue(Files.isDirectory(root));
        // the top-level directories stay: they are what marks the root as an archive (ArchivePresence)
        assertEquals(List.of("basebackups_005", "wal_005"), names(root));
        assertEquals(List.of(), names(root.resolve("wal_005")));
        assertEquals(List.of(), names(root.resolve("basebackups_005")));
    }

    @Test
    void deleteKeepsDirectoriesThatStillHoldSomething() throws Exception {
        storage.put("a/b/c/one", bytes("1"), null);
        storage.put("a/b/two", bytes("2"), null);
        Files.createDirectories(root.resolve("a/empty-before"));
        storage.delete(List.of("a/b/c/one"));
        assertFalse(Files.exists(root.resolve("a/b/c")));
        assertTrue(Files.exists(root.resolve("a/b/two")));
        assertTrue(Files.isDirectory(root.resolve("a/empty-before")), "only directories this delete emptied go");
    }

    @Test
    void deleteIgnoresDirectoriesNamedAsKeys() throws Exception {
        storage.put("a/b/c", bytes("1"), null);
        storage.delete(List.of("a/b", "a"));
        assertEquals(List.of("a/b/c"), keys(storage.list("")));
    }

    @Test
    void deleteWithOneBadKeyDeletesNothing() throws Exception {
        storage.put("a/b/c", bytes("1"), null);
        assertThrows(IllegalArgumentException.class, () -> storage.delete(List.of("a/b/c", "../x")));
        assertEquals(List.of("a/b/c"), keys(storage.list("")));
    }

    // ------------------------------------------------------------------------------------------- key validation

    @Test
    void keysThatCouldEscapeTheRootAreRejected() throws Exception {
        Path outside = tmp.resolve("outside");
        Files.writeString(outside, "secret");
        List<String> bad = new ArrayList<>(List.of("", "../outside", "wal_005/../../outside", "..", ".", "a/./b",
                "/etc/passwd", "a//b", "a/", "/", "a\\..\\..\\outside", "a\u0000b", "wal_005/..",
                "wal_005/.X.lzo.tmp-0123456789abcdef"));
        for (String key : bad) {
            assertThrows(IllegalArgumentException.class, () -> storage.get(key), key);
            assertThrows(IllegalArgumentException.class, () -> storage.stat(key), key);
            assertThrows(IllegalArgumentException.class, () -> storage.put(key, bytes("x"), null), key);
            assertThrows(IllegalArgumentException.class, () -> storage.delete(List.of(key)), key);
            assertThrows(IllegalArgumentException.class, () -> storage.url(key), key);
        }
        for (String prefix : List.of("../", "/", "/etc", "a//", "../outside", "a/../", "a\\b", "x\u0000")) {
            assertThrows(IllegalArgumentException.class, () -> storage.list(prefix), prefix);
        }
        assertThrows(IllegalArgumentException.class, () -> storage.get(null));
        assertEquals("secret", Files.readString(outside));
        assertEquals(List.of(), names(root));
    }

    @Test
    void theTailOfAPrefixIsOnlyMatchedAgainstNames() throws Exception {
        storage.put("a/..b", bytes("1"), null);
        storage.put("a/.c", bytes("2"), null);
        assertEquals(List.of("a/..b"), keys(storage.list("a/..")));
        assertEquals(List.of("a/..b", "a/.c"), keys(storage.list("a/.")));
    }

    @Test
    void nonAsciiKeysAreOrderedByCodePoint() throws Exception {
        List<String> keys = List.of("k/a", "k/z", "k/\u00e9", "k/\uffe0", "k/\ud83d\ude00");
        for (String key : keys) {
            storage.put(key, bytes(key), null);
        }
        assertEquals(keys, keys(storage.list("k/")));
    }

    @Test
    void symlinkedFilesAreObjectsButLinkedDirectoriesAreNotWalked() throws Exception {
        Path elsewhere = Files.createDirectory(tmp.resolve("elsewhere"));
        Files.writeString(elsewhere.resolve("f"), "via link");
        Files.createDirectories(root.resolve("d"));
        Files.createSymbolicLink(root.resolve("d/file-link"), elsewhere.resolve("f"));
        Files.createSymbolicLink(root.resolve("d/dir-link"), elsewhere);
        Files.createSymbolicLink(root.resolve("d/dangling"), tmp.resolve("nowhere"));
        assertEquals(List.of("d/file-link"), keys(storage.list("")));
        assertEquals("via link", new String(read("d/file-link")));
        assertEquals(8, storage.stat("d/file-link").orElseThrow().size());
        assertEquals(Optional.empty(), storage.stat("d/dangling"));
    }

    // ------------------------------------------------------------------------------------------- archive presence

    @Test
    void anEmptyDirectoryCountsAsHeldAndLinksAreFollowed() throws Exception {
        Files.createDirectory(root.resolve("wal_005"));
        assertTrue(storage.holdsDirectory("wal_005/"), "mkdir DIR/wal_005 is how an operator starts an archive");
        Path elsewhere = Files.createDirectory(tmp.resolve("elsewhere"));
        Files.createSymbolicLink(root.resolve("basebackups_005"), elsewhere);
        assertTrue(storage.holdsDirectory("basebackups_005/"));
        assertFalse(storage.mayStartArchive(), "an empty root may be an unmounted mount point");
    }

    @Test
    void aDirectoryNameThatIsAFileOrADanglingLinkIsAFailureNotAnAbsence() throws Exception {
        Files.writeString(root.resolve("wal_005"), "x");
        assertThrows(StorageUnavailableException.class, () -> storage.holdsDirectory("wal_005/"));
        Files.createSymbolicLink(root.resolve("basebackups_005"), tmp.resolve("nowhere"));
        StorageUnavailableException e = assertThrows(StorageUnavailableException.class,
                () -> storage.holdsDirectory("basebackups_005/"));
        assertTrue(e.getMessage().contains("dangling symbolic link"), e.getMessage());
    }

    @Test
    void getOfADirectoryOrADanglingLinkIsAFailureNotAnAbsence() throws Exception {
        Files.createDirectories(root.resolve("wal_005/000000010000000000000002.lzo"));
        assertThrows(StorageUnavailableException.class, () -> storage.get("wal_005/000000010000000000000002.lzo"));
        Files.createSymbolicLink(root.resolve("wal_005/000000010000000000000003.lzo"), tmp.resolve("nowhere"));
        assertThrows(StorageUnavailableException.class, () -> storage.get("wal_005/000000010000000000000003.lzo"));
        assertThrows(ObjectNotFoundException.class, () -> storage.get("wal_005/000000010000000000000004.lzo"));
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    /** {@code length} bytes, pausing after the first 1000 until {@code resume}: a put caught halfway. */
    private static final class PausingStream extends InputStream {
        private final int length;
        private final CountDownLatch halfway;
        private final CountDownLatch resume;
        private int sent;

        PausingStream(int length, CountDownLatch halfway, CountDownLatch resume) {
            this.length = length;
            this.halfway = halfway;
            this.resume = resume;
        }

        @Override
        public int read() throws IOException {
            if (sent == 1000) {
                halfway.countDown();
                try {
                    resume.await();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }
            return sent < length ? (sent++ & 0x7f) : -1;
        }
    }
}
