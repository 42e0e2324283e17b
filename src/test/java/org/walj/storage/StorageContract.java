package org.walj.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Storage} backend promises. A backend's test extends this class and supplies a fresh, empty
 * storage; backend-specific behaviour is tested next to it.
 */
public abstract class StorageContract {

    /** S3 lists 1,000 keys per page; more than that exercises pagination. */
    protected static final int MANY_KEYS = 1_234;
    private static final int MIB = 1024 * 1024;
    /** Tolerated difference between the test's clock and the storage's (a remote server's clock may differ). */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(10);

    protected Storage storage;
    private Instant startedAt;

    /** A new storage with no objects in it, used by one test and closed after it. */
    protected abstract Storage newEmptyStorage() throws Exception;

    /** What {@link Storage#url} must return for {@code key} on the storage {@link #newEmptyStorage} last returned. */
    protected abstract String expectedUrl(String key);

    @BeforeEach
    void openStorage() throws Exception {
        startedAt = Instant.now();
        storage = newEmptyStorage();
    }

    @AfterEach
    void closeStorage() throws Exception {
        if (storage != null) {
            storage.close();
        }
    }

    // ------------------------------------------------------------------------------------------- round trips

    @Test
    void roundTripEmptyObject() throws Exception {
        assertRoundTrip("wal_005/000000010000000000000001.lzo", new byte[0]);
    }

    @Test
    void roundTripOneByte() throws Exception {
        assertRoundTrip("wal_005/000000010000000000000002.lzo", new byte[] {42});
    }

    @Test
    void roundTripFiveMebibytes() throws Exception {
        assertRoundTrip("basebackups_005/base_000000010000000000000002_00000040/tar_partitions/part_00000000.tar.lzo",
                randomBytes(5 * MIB, 1));
    }

    private void assertRoundTrip(String key, byte[] content) throws Exception {
        storage.put(key, new ByteArrayInputStream(content), "application/octet-stream");
        assertArrayEquals(content, read(key));
        ObjectInfo info = storage.stat(key).orElseThrow(() -> new AssertionError("stat found nothing for " + key));
        assertEquals(key, info.key());
        assertEquals(content.length, info.size());
        assertPlausibleTime(info.lastModified());
        assertEquals(List.of(key), keys(storage.list(key)));
    }

    @Test
    void putReplacesAnExistingObject() throws Exception {
        String key = "wal_005/000000010000000000000003.lzo";
        storage.put(key, new ByteArrayInputStream(randomBytes(100_000, 2)), null);
        byte[] second = "shorter second version".getBytes();
        storage.put(key, new ByteArrayInputStream(second), null);
        assertArrayEquals(second, read(key));
        assertEquals(second.length, storage.stat(key).orElseThrow().size());
        assertEquals(List.of(key), keys(storage.list("wal_005/")));
    }

    @Test
    void plainTextAndJsonObjects() throws Exception {
        String sentinel = "basebackups_005/base_000000010000000000000002_00000040_backup_stop_sentinel.json";
        byte[] json = "{\"wal_segment_backup_stop\": \"000000010000000000000004\"}".getBytes();
        storage.put(sentinel, new ByteArrayInputStream(json), "application/json");
        String version = "basebackups_005/base_000000010000000000000002_00000040/extended_version.txt";
        storage.put(version, new ByteArrayInputStream("PostgreSQL 16.2".getBytes()), "text/plain");
        assertArrayEquals(json, read(sentinel));
        assertEquals("PostgreSQL 16.2", new String(read(version)));
    }

    // ------------------------------------------------------------------------------------------- missing objects

    @Test
    void getOfMissingKeyThrowsObjectNotFound() {
        String key = "wal_005/0000000100000000000000FF.lzo";
        ObjectNotFoundException e = assertThrows(ObjectNotFoundException.class, () -> storage.get(key).close());
        assertEquals(key, e.key());
    }

    @Test
    void statOfMissingKeyIsEmpty() throws Exception {
        assertEquals(Optional.empty(), storage.stat("wal_005/0000000100000000000000FF.lzo"));
    }

    @Test
    void aKeyPrefixIsNotAnObject() throws Exception {
        storage.put("basebackups_005/base_X/tar_partitions/part_00000000.tar.lzo", bytes("p"), null);
        for (String notAnObject : List.of("basebackups_005", "basebackups_005/base_X", "basebackups_005/base_")) {
            boolean directory = prefixesAreDirectories() && !notAnObject.endsWith("_");
            // where a prefix is a directory (file backend), a get of it is a broken archive, not an absence
            Class<? extends IOException> expected = directory ? StorageUnavailableException.class
                    : ObjectNotFoundException.class;
            assertThrows(expected, () -> storage.get(notAnObject).close(), notAnObject);
            assertEquals(Optional.empty(), storage.stat(notAnObject), notAnObject);
        }
    }

    /** True for the file backend: a key prefix ending at a '/' exists as a directory. */
    protected boolean prefixesAreDirectories() {
        return false;
    }

    @Test
    void getBelowAnObjectIsNotFound() throws Exception {
        storage.put("wal_005/X.lzo", bytes("x"), null);
        assertThrows(ObjectNotFoundException.class, () -> storage.get("wal_005/X.lzo/Y").close());
        assertEquals(Optional.empty(), storage.stat("wal_005/X.lzo/Y"));
    }

    // ------------------------------------------------------------------------------------------- list

    @Test
    void listOfEmptyStorageIsEmpty() throws Exception {
        assertEquals(List.of(), storage.list(""));
        assertEquals(List.of(), storage.list("wal_005/"));
        assertEquals(List.of(), storage.list("basebackups_005/base_0000"));
    }

    @Test
    void listByPrefixIsRecursiveAndOrderedByKey() throws Exception {
        List<String> backupKeys = List.of(
                "basebackups_005/base_000000010000000000000002_00000040/extended_version.txt",
                "basebackups_005/base_000000010000000000000002_00000040/tar_partitions/part_00000000.tar.lzo",
                "basebackups_005/base_000000010000000000000002_00000040/tar_partitions/part_00000001.tar.lzo",
                "basebackups_005/base_000000010000000000000002_00000040_backup_stop_sentinel.json",
                "basebackups_005/base_000000010000000000000009_00000128/tar_partitions/part_00000000.tar.lzo");
        List<String> walKeys = List.of(
                "wal_005/000000010000000000000001.lzo",
                "wal_005/000000010000000000000002.lzo",
                "wal_005/000000010000000000000002.00000028.backup.lzo",
                "wal_005/00000002.history.lzo");
        List<String> all = new ArrayList<>(backupKeys);
        all.addAll(walKeys);
        all.add("basebackups_005x/decoy");
        all.add("wal_004/000000010000000000000001.lzo");
        List<String> shuffled = new ArrayList<>(all);
        Collections.shuffle(shuffled, new Random(3));
        for (String key : shuffled) {
            storage.put(key, bytes(key), null);
        }

        assertEquals(sorted(all), keys(storage.list("")));
        assertEquals(sorted(backupKeys), keys(storage.list("basebackups_005/")));
        assertEquals(sorted(walKeys), keys(storage.list("wal_005/")));
        // a prefix that ends inside a name matches files and directories starting with it
        assertEquals(sorted(backupKeys), keys(storage.list("basebackups_005/base_0000")));
        assertEquals(sorted(backupKeys.subList(0, 4)),
                keys(storage.list("basebackups_005/base_000000010000000000000002_00000040")));
        assertEquals(sorted(backupKeys.subList(0, 3)),
                keys(storage.list("basebackups_005/base_000000010000000000000002_00000040/")));
        assertEquals(List.of(backupKeys.get(1), backupKeys.get(2)),
                keys(storage.list("basebackups_005/base_000000010000000000000002_00000040/tar_partitions/part_")));
        assertEquals(List.of("wal_005/00000002.history.lzo"), keys(storage.list("wal_005/00000002")));
        assertEquals(sorted(List.of("basebackups_005x/decoy", backupKeys.get(0), backupKeys.get(1),
                        backupKeys.get(2), backupKeys.get(3), backupKeys.get(4))),
                keys(storage.list("basebackups_005")));
        // the prefix of the whole key lists that one object
        assertEquals(List.of(walKeys.get(0)), keys(storage.list(walKeys.get(0))));
        // prefixes that match nothing
        assertEquals(List.of(), storage.list("wal_005/1"));
        assertEquals(List.of(), storage.list("nothing/here/"));
        assertEquals(List.of(), storage.list("wal_005/000000010000000000000001.lzo/"));
    }

    @Test
    void listReportsSizeAndTime() throws Exception {
        storage.put("wal_005/A", new ByteArrayInputStream(new byte[0]), null);
        storage.put("wal_005/B", new ByteArrayInputStream(new byte[1234]), null);
        List<ObjectInfo> listed = storage.list("wal_005/");
        assertEquals(List.of("wal_005/A", "wal_005/B"), keys(listed));
        assertEquals(0, listed.get(0).size());
        assertEquals(1234, listed.get(1).size());
        for (ObjectInfo info : listed) {
            assertPlausibleTime(info.lastModified());
            ObjectInfo stat = storage.stat(info.key()).orElseThrow();
            assertEquals(info.size(), stat.size());
            // object stores give listings and HEAD responses different precision (S3: milliseconds vs seconds)
            Duration apart = Duration.between(stat.lastModified(), info.lastModified()).abs();
            assertTrue(apart.compareTo(Duration.ofSeconds(1)) <= 0,
                    () -> "list says " + info.lastModified() + ", stat says " + stat.lastModified());
        }
    }

    @Test
    void listPagesThroughMoreThanAThousandKeys() throws Exception {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < MANY_KEYS; i++) {
            expected.add(String.format("wal_005/%08X%08X%08X.lzo", 1, i / 256, i % 256));
        }
        List<String> shuffled = new ArrayList<>(expected);
        Collections.shuffle(shuffled, new Random(4));
        List<Callable<Void>> puts = shuffled.stream().<Callable<Void>>map(key -> () -> {
            storage.put(key, bytes(key), null);
            return null;
        }).collect(Collectors.toList());
        runAll(puts, 8);
        storage.put("wal_005x.lzo", bytes("outside"), null);

        List<ObjectInfo> listed = storage.list("wal_005/");
        assertEquals(expected, keys(listed));
        for (ObjectInfo info : listed) {
            assertEquals(info.key().length(), info.size());
        }
        assertEquals(MANY_KEYS + 1, storage.list("").size());
        assertEquals(256, storage.list("wal_005/0000000100000002").size());
    }

    // ------------------------------------------------------------------------------------------- delete

    @Test
    void deleteRemovesABatchAndIgnoresMissingKeys() throws Exception {
        List<String> keys = List.of("wal_005/A.lzo", "wal_005/B.lzo", "wal_005/C.lzo",
                "basebackups_005/base_X/tar_partitions/part_00000000.tar.lzo",
                "basebackups_005/base_X_backup_stop_sentinel.json");
        for (String key : keys) {
            storage.put(key, bytes(key), null);
        }
        storage.delete(List.of("wal_005/A.lzo", "wal_005/never-existed.lzo", "wal_005/C.lzo",
                "basebackups_005/base_X/tar_partitions/part_00000000.tar.lzo", "no/such/dir/key"));
        assertEquals(List.of("basebackups_005/base_X_backup_stop_sentinel.json", "wal_005/B.lzo"),
                keys(storage.list("")));
        assertThrows(ObjectNotFoundException.class, () -> storage.get("wal_005/A.lzo").close());
        assertArrayEquals("wal_005/B.lzo".getBytes(), read("wal_005/B.lzo"));

        storage.delete(List.of());
        storage.delete(List.of("wal_005/A.lzo")); // deleting again is not an error
        storage.delete(List.of("wal_005/B.lzo", "basebackups_005/base_X_backup_stop_sentinel.json"));
        assertEquals(List.of(), storage.list(""));
    }

    @Test
    void deleteOfManyKeys() throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < MANY_KEYS; i++) {
            keys.add(String.format("wal_005/%08X%08X%08X.lzo", 1, 0, i));
        }
        runAll(keys.stream().<Callable<Void>>map(k -> () -> {
            storage.put(k, bytes("x"), null);
            return null;
        }).collect(Collectors.toList()), 8);
        storage.put("keep/me", bytes("keep"), null);
        storage.delete(keys);
        assertEquals(List.of("keep/me"), keys(storage.list("")));
    }

    @Test
    void aDeletedKeyCanBeWrittenAgain() throws Exception {
        storage.put("a/b/c", bytes("one"), null);
        storage.delete(List.of("a/b/c"));
        storage.put("a/b/c", bytes("two"), null);
        assertEquals("two", new String(read("a/b/c")));
    }

    // ------------------------------------------------------------------------------------------- failures

    @Test
    void aFailingContentStreamLeavesNoObject() throws Exception {
        String key = "wal_005/000000010000000000000004.lzo";
        IOException boom = new IOException("compressor died");
        IOException thrown = assertThrows(IOException.class,
                () -> storage.put(key, new FailingStream(3 * MIB, boom), null));
        assertTrue(causedBy(thrown, boom), () -> "put must surface the content's exception, got " + thrown);
        assertThrows(ObjectNotFoundException.class, () -> storage.get(key).close());
        assertEquals(Optional.empty(), storage.stat(key));
        assertEquals(List.of(), storage.list(""));
    }

    @Test
    void aFailingContentStreamKeepsThePreviousVersion() throws Exception {
        String key = "wal_005/000000010000000000000005.lzo";
        byte[] original = randomBytes(1000, 5);
        storage.put(key, new ByteArrayInputStream(original), null);
        assertThrows(IOException.class, () -> storage.put(key, new FailingStream(2 * MIB, new IOException("x")), null));
        assertArrayEquals(original, read(key));
        List<ObjectInfo> listed = storage.list("");
        assertEquals(List.of(key), keys(listed));
        assertEquals(original.length, listed.get(0).size());
    }

    @Test
    void aContentStreamThrowingAnUncheckedExceptionLeavesNoObject() throws Exception {
        String key = "wal_005/000000010000000000000006.lzo";
        RuntimeException boom = new IllegalStateException("bug in a pipeline stage");
        Exception thrown = assertThrows(Exception.class,
                () -> storage.put(key, new FailingStream(100_000, boom), null));
        assertTrue(causedBy(thrown, boom), () -> "got " + thrown);
        assertEquals(Optional.empty(), storage.stat(key));
        assertEquals(List.of(), storage.list(""));
    }

    // ------------------------------------------------------------------------------------------- concurrency

    @Test
    void concurrentWritersToDifferentKeys() throws Exception {
        int writers = 8;
        int perWriter = 15;
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            tasks.add(() -> {
                for (int i = 0; i < perWriter; i++) {
                    String key = "basebackups_005/base_X/tar_partitions/part_" + String.format("%08d", writer * 100 + i)
                            + ".tar.lzo";
                    storage.put(key, new ByteArrayInputStream(randomBytes(10_000 + i, writer * 100 + i)), null);
                }
                return null;
            });
        }
        runAll(tasks, writers);
        List<ObjectInfo> listed = storage.list("basebackups_005/");
        assertEquals(writers * perWriter, listed.size());
        for (int w = 0; w < writers; w++) {
            for (int i = 0; i < perWriter; i++) {
                String key = "basebackups_005/base_X/tar_partitions/part_" + String.format("%08d", w * 100 + i)
                        + ".tar.lzo";
                assertArrayEquals(randomBytes(10_000 + i, w * 100 + i), read(key), key);
            }
        }
    }

    @Test
    void concurrentWritersToTheSameKeyNeverMix() throws Exception {
        String key = "wal_005/000000010000000000000007.lzo";
        int writers = 6;
        int rounds = 4;
        List<byte[]> contents = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            byte[] c = new byte[MIB + w * 4096];
            Arrays.fill(c, (byte) ('A' + w));
            contents.add(c);
        }
        AtomicBoolean writing = new AtomicBoolean(true);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                byte[] mine = contents.get(w);
                writes.add(pool.submit(() -> {
                    start.await();
                    for (int r = 0; r < rounds; r++) {
                        // a slow stream widens the window in which writers overlap
                        storage.put(key, new TrickleStream(mine, 64 * 1024), null);
                    }
                    return null;
                }));
            }
            Future<Integer> reader = pool.submit(() -> {
                start.await();
                int seen = 0;
                while (writing.get()) {
                    try (InputStream in = storage.get(key)) {
                        assertOneOf(contents, in.readAllBytes());
                        seen++;
                    } catch (ObjectNotFoundException notYet) {
                        // nothing complete has landed yet
                    }
                }
                return seen;
            });
            start.countDown();
            for (Future<?> f : writes) {
                f.get(5, TimeUnit.MINUTES);
            }
            writing.set(false);
            reader.get(1, TimeUnit.MINUTES);
        } finally {
            pool.shutdownNow();
        }
        byte[] result = read(key);
        assertOneOf(contents, result);
        assertEquals(result.length, storage.stat(key).orElseThrow().size());
        assertEquals(List.of(key), keys(storage.list("")));
    }

    // ------------------------------------------------------------------------------------------- url

    @Test
    void urlIsWhatWalEPrints() {
        for (String key : List.of("wal_005/000000010000000000000002.lzo",
                "basebackups_005/base_000000010000000000000002_00000040_backup_stop_sentinel.json")) {
            String url = storage.url(key);
            assertEquals(expectedUrl(key), url);
            assertTrue(url.endsWith("/" + key), url);
        }
    }

    // ------------------------------------------------------------------------------------------- helpers

    // ------------------------------------------------------------------------------------------- holdsDirectory

    @Test
    void holdsDirectoryOnlyOnceSomethingIsStoredUnderIt() throws Exception {
        // what tells an archive from an empty prefix (ArchivePresence): wal-fetch's "not found" depends on it
        assertFalse(storage.holdsDirectory("wal_005/"));
        assertFalse(storage.holdsDirectory("basebackups_005/"));
        storage.put("wal_005/000000010000000000000002.lzo", bytes("w"), null);
        storage.put("wal_005/000000010000000000000003.lzo", bytes("w"), null);
        storage.put("wal_0050/000000010000000000000002.lzo", bytes("w"), null);
        assertTrue(storage.holdsDirectory("wal_005/"));
        assertFalse(storage.holdsDirectory("basebackups_005/"));
        storage.put("basebackups_005/base_000000010000000000000002_00000040_backup_stop_sentinel.json",
                bytes("{}"), null);
        assertTrue(storage.holdsDirectory("basebackups_005/"));
    }

    protected final byte[] read(String key) throws IOException {
        try (InputStream in = storage.get(key)) {
            return in.readAllBytes();
        }
    }

    protected static InputStream bytes(String text) {
        return new ByteArrayInputStream(text.getBytes());
    }

    protected static List<String> keys(List<ObjectInfo> infos) {
        return infos.stream().map(ObjectInfo::key).collect(Collectors.toList());
    }

    protected static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static List<String> sorted(List<String> keys) {
        List<String> copy = new ArrayList<>(keys);
        Collections.sort(copy);
        return copy;
    }

    private void assertPlausibleTime(Instant t) {
        Instant now = Instant.now();
        assertFalse(t.isBefore(startedAt.minus(CLOCK_SKEW)) || t.isAfter(now.plus(CLOCK_SKEW)),
                () -> "last-modified " + t + " is not near the time of the test (" + startedAt + " .. " + now + ")");
    }

    private static void assertOneOf(List<byte[]> candidates, byte[] actual) {
        for (byte[] c : candidates) {
            if (Arrays.equals(c, actual)) {
                return;
            }
        }
        fail("content of " + actual.length + " bytes is not one of the complete versions written (a mix or a torn write)");
    }

    private static boolean causedBy(Throwable thrown, Throwable expected) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t == expected) {
                return true;
            }
        }
        return false;
    }

    private static void runAll(List<Callable<Void>> tasks, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (Future<Void> f : pool.invokeAll(tasks)) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Yields {@code before} bytes, then fails the way a dying compressor or network read would. */
    protected static final class FailingStream extends InputStream {
        private final Exception failure;
        private long remaining;

        public FailingStream(long before, Exception failure) {
            this.remaining = before;
            this.failure = failure;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (remaining == 0) {
                if (failure instanceof IOException io) {
                    throw io;
                }
                throw (RuntimeException) failure;
            }
            int n = (int) Math.min(len, remaining);
            Arrays.fill(b, off, off + n, (byte) 'z');
            remaining -= n;
            return n;
        }
    }

    /** Hands out its content in small pieces, yielding the CPU between them. */
    protected static final class TrickleStream extends InputStream {
        private final byte[] content;
        private final int piece;
        private int pos;

        public TrickleStream(byte[] content, int piece) {
            this.content = content;
            this.piece = piece;
        }

        @Override
        public int read() {
            return pos < content.length ? content[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (pos >= content.length) {
                return -1;
            }
            Thread.yield();
            int n = Math.min(Math.min(len, piece), content.length - pos);
            System.arraycopy(content, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
