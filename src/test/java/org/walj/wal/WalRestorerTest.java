package org.walj.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walj.UserException;
import org.walj.archive.Archives;
import org.walj.layout.WalFileName;
import org.walj.pipeline.codecs.Compression;
import org.walj.pipeline.CorruptObjectException;
import org.walj.storage.StorageUnavailableException;
import org.walj.storage.file.FileStorage;

class WalRestorerTest {
    static final String SEG = "000000010000000000000004";

    @TempDir
    Path tmp;
    Path archive;
    Path pgWal;
    FileStorage storage;
    WalRestorer restorer;
    byte[] content;

    @BeforeEach
    void setUp() throws IOException {
        archive = Files.createDirectories(tmp.resolve("archive").resolve("wal_005")).getParent(); // an archive: wal_005/ exists
        pgWal = Files.createDirectories(tmp.resolve("pg_wal"));
        storage = new FileStorage(archive);
        restorer = new WalRestorer(Archives.on(storage, archive, Archives.LZO));
        content = new byte[3 << 20];
        new Random(4).nextBytes(content);
        Arrays.fill(content, 1 << 20, 2 << 20, (byte) 7);
    }

    @Test
    void restoresTheExactBytes() throws IOException {
        store("wal_005/" + SEG + ".lzo", encode(Compression.LZO, content));
        assertEquals(WalRestorer.Outcome.RESTORED, restorer.restore(new WalFileName(SEG), pgWal.resolve("RECOVERYXLOG")));
        assertArrayEquals(content, Files.readAllBytes(pgWal.resolve("RECOVERYXLOG")));
        assertEquals(List.of("RECOVERYXLOG"), files(pgWal));
    }

    /** The decoded bytes are written in 1 MiB pieces: a size that is no multiple of that, and an empty object. */
    @Test
    void restoresSizesThatAreNoMultipleOfTheWriteBufferAndEmptyObjects() throws IOException {
        for (int size : new int[] {(5 << 19) + 7, 0, 1}) {
            byte[] c = Arrays.copyOf(content, size);
            store("wal_005/" + SEG + ".lzo", encode(Compression.LZO, c));
            Path dest = pgWal.resolve("RECOVERYXLOG");
            assertEquals(WalRestorer.Outcome.RESTORED, restorer.restore(new WalFileName(SEG), dest));
            assertArrayEquals(c, Files.readAllBytes(dest), "size " + size);
            assertEquals(List.of("RECOVERYXLOG"), files(pgWal));
        }
    }

    /** issue 12 item 10: under a daemon's umask 022 the restored WAL was 0644. */
    @Test
    void theRestoredFileIs0600WhateverTheUmask() throws IOException {
        Path probe = Files.createFile(tmp.resolve("probe"));
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(probe)), "this test needs the usual umask 022 to mean anything");
        store("wal_005/" + SEG + ".lzo", encode(Compression.LZO, content));
        assertEquals(WalRestorer.Outcome.RESTORED, restorer.restore(new WalFileName(SEG), pgWal.resolve("RECOVERYXLOG")));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(pgWal.resolve("RECOVERYXLOG"))));
    }

    @Test
    void findsAnLz4ObjectWhenNoLzoOneExists() throws IOException {
        store("wal_005/" + SEG + ".lz4", encode(Compression.LZ4, content));
        assertEquals(WalRestorer.Outcome.RESTORED, restorer.restore(new WalFileName(SEG), pgWal.resolve("RECOVERYXLOG")));
        assertArrayEquals(content, Files.readAllBytes(pgWal.resolve("RECOVERYXLOG")));
    }

    @Test
    void aMissingSegmentIsNotFoundAndWritesNothing() throws IOException {
        assertEquals(WalRestorer.Outcome.NOT_FOUND, restorer.restore(new WalFileName(SEG), pgWal.resolve("RECOVERYXLOG")));
        assertEquals(List.of(), files(pgWal));
    }

    @Test
    void aCorruptObjectFailsAndLeavesNoFileBehind() throws IOException {
        byte[] encoded = encode(Compression.LZO, content);
        encoded[encoded.length / 2] ^= 0x10;
        store("wal_005/" + SEG + ".lzo", encoded);
        assertThrows(CorruptObjectException.class,
                () -> restorer.restore(new WalFileName(SEG), pgWal.resolve("RECOVERYXLOG")));
        assertEquals(List.of(), files(pgWal));
    }

    @Test
    void aTruncatedObjectFailsAndLeavesNoFileBehind() throws IOException {
        byte[] encoded = encode(Compression.LZO, content);
        store("wal_005/" + SEG + ".lzo", Arrays.copyOf(encoded, encoded.length - 4));
        assertThrows(CorruptObjectException.class,
                () -> restorer.restore(new WalFileName(SEG), pgWal.resolve("RECOVERYXLOG")));
        assertEquals(List.of(), files(pgWal));
    }

    @Test
    void aDestinationInAMissingDirectoryIsAnError() {
        assertThrows(NoDestinationDirectoryException.class,
                () -> restorer.restore(new WalFileName(SEG), tmp.resolve("nowhere/RECOVERYXLOG")));
    }

    @Test
    void aMissingArchiveRootIsUnavailableNeverNotFound() throws IOException {
        Files.delete(archive.resolve("wal_005"));
        Files.delete(archive);
        assertThrows(StorageUnavailableException.class,
                () -> restorer.restore(new WalFileName(SEG), pgWal.resolve("RECOVERYXLOG")));
    }

    // "not found" ends PostgreSQL's recovery: only a place that is recognisably the archive may answer it

    @Test
    void anEmptyRootIsNotAnArchiveNeverNotFound() throws IOException {
        Files.delete(archive.resolve("wal_005")); // what an unmounted mount point looks like: an empty directory
        UserException e = assertThrows(UserException.class,
                () -> restorer.restore(new WalFileName(SEG), pgWal.resolve("RECOVERYXLOG")));
        assertEquals("the archive at file://localhost" + archive + "/ holds neither wal_005/ nor basebackups_005/",
                e.getMessage());
        assertTrue(e.hint().orElseThrow().contains("mounted"), e.hint().orElseThrow());
        assertEquals(List.of(), files(pgWal));
    }

    @Test
    void aRootHoldingOnlyBackupsIsAnArchive() throws IOException {
        Files.delete(archive.resolve("wal_005"));
        Files.createDirectory(archive.resolve("basebackups_005"));
        assertEquals(WalRestorer.Outcome.NOT_FOUND,
                restorer.restore(new WalFileName(SEG), pgWal.resolve("RECOVERYXLOG")));
    }

    @Test
    void aLinkedWalDirectoryIsFollowed() throws IOException {
        Path elsewhere = Files.createDirectory(tmp.resolve("elsewhere"));
        Files.delete(archive.resolve("wal_005"));
        Files.createSymbolicLink(archive.resolve("wal_005"), elsewhere);
        assertEquals(WalRestorer.Outcome.NOT_FOUND,
                restorer.restore(new WalFileName(SEG), pgWal.resolve("RECOVERYXLOG")));
    }

    @Test
    void aWalDirectoryThatIsARegularFileIsAFailure() throws IOException {
        Files.delete(archive.resolve("wal_005"));
        Files.writeString(archive.resolve("wal_005"), "not a directory");
        Files.createDirectory(archive.resolve("basebackups_005")); // even beside backups: the archive is broken
        StorageUnavailableException e = assertThrows(StorageUnavailableException.class,
                () -> restorer.restore(new WalFileName(SEG), pgWal.resolve("RECOVERYXLOG")));
        assertTrue(e.getMessage().contains("wal_005 exists but is not a directory"), e.getMessage());
    }

    @Test
    void aDanglingWalDirectoryLinkIsAFailure() throws IOException {
        Files.delete(archive.resolve("wal_005"));
        Files.createSymbolicLink(archive.resolve("wal_005"), tmp.resolve("unmounted/wal_005"));
        Files.createDirectory(archive.resolve("basebackups_005"));
        StorageUnavailableException e = assertThrows(StorageUnavailableException.class,
                () -> restorer.restore(new WalFileName(SEG), pgWal.resolve("RECOVERYXLOG")));
        assertTrue(e.getMessage().contains("dangling symbolic link"), e.getMessage());
    }

    @Test
    void anObjectKeyThatIsADirectoryIsAFailure() throws IOException {
        Files.createDirectory(archive.resolve("wal_005/" + SEG + ".lzo"));
        StorageUnavailableException e = assertThrows(StorageUnavailableException.class,
                () -> restorer.restore(new WalFileName(SEG), pgWal.resolve("RECOVERYXLOG")));
        assertTrue(e.getMessage().contains("is not a file (a directory)"), e.getMessage());
        assertEquals(List.of(), files(pgWal));
    }

    @Test
    void anObjectKeyThatIsADanglingLinkIsAFailure() throws IOException {
        Files.createSymbolicLink(archive.resolve("wal_005/" + SEG + ".lzo"), tmp.resolve("gone.lzo"));
        assertThrows(StorageUnavailableException.class,
                () -> restorer.restore(new WalFileName(SEG), pgWal.resolve("RECOVERYXLOG")));
    }

    static byte[] encode(Compression c, byte[] plain) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = c.compress(bytes)) {
            out.write(plain);
        }
        return bytes.toByteArray();
    }

    private void store(String key, byte[] bytes) throws IOException {
        storage.put(key, new ByteArrayInputStream(bytes), "application/octet-stream");
    }

    static List<String> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    static void assertAbsent(Path p) {
        assertFalse(Files.exists(p), p + " should not exist");
    }
}
