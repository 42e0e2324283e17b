package org.walj.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walj.pipeline.EncoderOptions;
import org.walj.UserException;
import org.walj.archive.Archives;
import org.walj.pipeline.codecs.Compression;
import org.walj.pipeline.Encryption;
import org.walj.pipeline.ObjectCodec;
import org.walj.storage.ObjectInfo;
import org.walj.storage.file.FileStorage;

class WalArchiverTest {
    @TempDir
    Path tmp;
    Path pgWal;
    Path status;
    FileStorage storage;
    WalArchiver archiver;

    @BeforeEach
    void setUp() throws IOException {
        pgWal = Files.createDirectories(tmp.resolve("pg_wal"));
        status = Files.createDirectories(pgWal.resolve("archive_status"));
        Path archive = Files.createDirectories(tmp.resolve("archive").resolve("wal_005")).getParent(); // an archive: wal_005/ exists
        storage = new FileStorage(archive);
        archiver = new WalArchiver(Archives.on(storage, archive, Archives.LZO));
    }

    @Test
    void storesTheSegmentUnderWalEsNameAndItDecodesToTheSameBytes() throws IOException {
        byte[] content = segment("000000010000000000000003", 7);
        archiver.archive(pgWal.resolve("000000010000000000000003"), 1);
        try (InputStream in = Compression.LZO.decompress(storage.get("wal_005/000000010000000000000003.lzo"))) {
            assertArrayEquals(content, in.readAllBytes());
        }
    }

    @Test
    void alsoArchivesOtherReadySegmentsAndMarksOnlyThoseDone() throws IOException {
        for (int i = 1; i <= 5; i++) {
            segment("00000001000000000000000" + i, i);
            ready("00000001000000000000000" + i);
        }
        Files.writeString(pgWal.resolve("00000002.history"), "1\t0/3000000\tno recovery target specified\n");
        ready("00000002.history");

        archiver.archive(pgWal.resolve("000000010000000000000002"), 3);

        assertEquals(List.of("wal_005/000000010000000000000001.lzo", "wal_005/000000010000000000000002.lzo",
                "wal_005/000000010000000000000003.lzo"), keys());
        assertTrue(Files.exists(status.resolve("000000010000000000000001.done")));
        assertTrue(Files.exists(status.resolve("000000010000000000000003.done")));
        // the explicit segment's status is PostgreSQL's to change; the rest were not taken
        assertTrue(Files.exists(status.resolve("000000010000000000000002.ready")));
        assertTrue(Files.exists(status.resolve("000000010000000000000004.ready")));
        assertTrue(Files.exists(status.resolve("00000002.history.ready")));
    }

    @Test
    void aReadySegmentWhoseFileVanishedIsSkippedAndLeftToPostgres() throws IOException {
        segment("000000010000000000000001", 1);
        ready("000000010000000000000001");
        ready("000000010000000000000002");

        archiver.archive(pgWal.resolve("000000010000000000000001"), 4);

        assertEquals(List.of("wal_005/000000010000000000000001.lzo"), keys());
        assertTrue(Files.exists(status.resolve("000000010000000000000002.ready")));
        assertFalse(Files.exists(status.resolve("000000010000000000000002.done")));
    }

    @Test
    void aMissingFileIsWalEsUserErrorAndStoresNothing() throws IOException {
        UserException e = assertThrows(UserException.class,
                () -> archiver.archive(pgWal.resolve("000000010000000000000009"), 1));
        assertEquals("could not find file for wal-push", e.getMessage());
        assertEquals(List.of(), keys());
    }

    @Test
    void anEmptyRootIsNeverMadeIntoANewArchive() throws IOException {
        // an unmounted mount point is an empty directory of the local disk
        Path empty = Files.createDirectories(tmp.resolve("unmounted"));
        WalArchiver intoEmpty = new WalArchiver(Archives.on(new FileStorage(empty), empty, Archives.LZO));
        segment("000000010000000000000003", 7);
        UserException e = assertThrows(UserException.class,
                () -> intoEmpty.archive(pgWal.resolve("000000010000000000000003"), 1));
        assertEquals("refusing to start a new archive in " + empty + ": it holds neither wal_005/ nor basebackups_005/",
                e.getMessage());
        assertTrue(e.hint().orElseThrow().contains("mkdir " + empty + "/wal_005"), e.hint().orElseThrow());
        try (Stream<Path> left = Files.list(empty)) {
            assertEquals(List.of(), left.toList(), "nothing written");
        }
    }

    @Test
    void aRootHoldingOnlyBackupsGetsItsWalDirectory() throws IOException {
        Path backupsOnly = Files.createDirectories(tmp.resolve("backups-only/basebackups_005")).getParent();
        FileStorage store = new FileStorage(backupsOnly);
        WalArchiver archiver = new WalArchiver(Archives.on(store, backupsOnly, Archives.LZO));
        segment("000000010000000000000003", 7);
        archiver.archive(pgWal.resolve("000000010000000000000003"), 1);
        assertTrue(store.stat("wal_005/000000010000000000000003.lzo").isPresent());
    }

    @Test
    void historyFilesKeepTheirName() throws IOException {
        Files.writeString(pgWal.resolve("00000002.history"), "1\t0/3000000\tno recovery target specified\n");
        archiver.archive(pgWal.resolve("00000002.history"), 1);
        assertEquals(List.of("wal_005/00000002.history.lzo"), keys());
    }

    /**
     * A segment pushed alone is compressed on several cores (this machine has two): the stored object must be byte
     * for byte the sequential encoder's (for LZO the same lzop header with the file's mode and mtime, same blocks),
     * and the compression threads must all have ended.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(Compression.class)
    void aSegmentPushedAloneIsStoredExactlyAsTheSequentialEncoderWritesIt(Compression compression) throws Exception {
        ObjectCodec codec = compression.with(Encryption.NONE);
        Path archive = Files.createDirectories(tmp.resolve("archive-" + compression).resolve("wal_005")).getParent();
        FileStorage store = new FileStorage(archive);
        WalArchiver alone = new WalArchiver(Archives.on(store, archive, codec));
        byte[] content = new byte[16 << 20];
        Random r = new Random(11);
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i % 8192 < 6000 ? i % 251 : r.nextInt()); // compressed and stored blocks
        }
        Path file = pgWal.resolve("000000010000000000000009");
        Files.write(file, content);
        // the pool's threads are looked for while the push runs: afterwards they may be gone, and "none found"
        // must not pass for "all ended"
        java.util.Set<Thread> compressors = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.atomic.AtomicBoolean pushing = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread spotter = new Thread(() -> {
            while (pushing.get()) {
                Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> t.getName().startsWith("walj-compress-")) // BlockCompressors' threads
                        .forEach(compressors::add);
                Thread.onSpinWait();
            }
        });
        spotter.start();
        try {
            alone.archive(file, 32);
        } finally {
            pushing.set(false);
            spotter.join(60_000);
        }

        SourceFile source = SourceFile.open(file);
        java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
        try (InputStream in = source.stream();
             java.io.OutputStream out = codec.encoder(expected, EncoderOptions.file(source.mode(), source.mtimeSeconds()))) {
            in.transferTo(out);
        }
        try (InputStream stored = store.get("wal_005/000000010000000000000009" + compression.suffix())) {
            assertArrayEquals(expected.toByteArray(), stored.readAllBytes());
        }
        assertFalse(compressors.isEmpty(), "the segment was compressed by a pool of threads");
        for (Thread t : compressors) {
            t.join(60_000); // the pool was shut down: an idle thread ends at once
            assertFalse(t.isAlive(), "a compression thread outlived the push");
        }
    }

    private byte[] segment(String name, int seed) throws IOException {
        byte[] content = new byte[1 << 20];
        Random r = new Random(seed);
        for (int i = 0; i < content.length; i += 64) {
            content[i] = (byte) r.nextInt();
        }
        Files.write(pgWal.resolve(name), content);
        return content;
    }

    private void ready(String name) throws IOException {
        Files.createFile(status.resolve(name + ".ready"));
    }

    private List<String> keys() throws IOException {
        return storage.list("").stream().map(ObjectInfo::key).collect(Collectors.toList());
    }
}
