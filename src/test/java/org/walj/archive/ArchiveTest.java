package org.walj.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walj.layout.StoragePrefix;
import org.walj.logging.LoggerNames;
import org.walj.pipeline.codecs.Compression;
import org.walj.postgres.SegmentName;
import org.walj.postgres.WalCoverage;
import org.walj.postgres.WalSegmentSize;
import org.walj.storage.ObjectInfo;
import org.walj.storage.Storage;
import org.walj.storage.file.FileStorage;

class ArchiveTest {
    @TempDir
    Path dir;

    @Test
    void closingASharedViewLeavesTheDaemonsStorageOpen() throws IOException {
        ClosingStorage storage = new ClosingStorage();
        Archive daemons = Archives.on(storage, Archives.LZO);
        try (Archive request = daemons.sharedView()) {
            assertTrue(request.storage() == storage && request.codec() == daemons.codec());
            assertEquals(daemons.prefix(), request.prefix());
        }
        assertEquals(0, storage.closed, "a request's view must not close the daemon's storage");
        daemons.close();
        assertEquals(1, storage.closed, "the daemon's own archive closes it");
    }

    @Test
    void theWorkerLoggerIsWalEsPerBackendOne() {
        assertEquals(LoggerNames.WORKER_S3, named("s3://bucket/p").workerLoggerName());
        assertEquals(LoggerNames.WORKER_GS, named("gs://bucket/p").workerLoggerName());
        assertEquals(LoggerNames.WORKER_FILE, named("file://localhost/var/backups").workerLoggerName());
    }

    @Test
    void anArchiveNeedsAllThreeParts() {
        assertThrows(IllegalArgumentException.class,
                () -> Archive.of(null, new ClosingStorage(), Archives.LZO));
        assertThrows(IllegalArgumentException.class,
                () -> Archive.of(StoragePrefix.parse("s3://b/p"), null, Archives.LZO));
        assertThrows(IllegalArgumentException.class,
                () -> Archive.of(StoragePrefix.parse("s3://b/p"), new ClosingStorage(), null));
    }

    @Test
    void theWalIndexReadsEncodedHistoryFilesThroughTheCodec() throws IOException {
        FileStorage storage = new FileStorage(dir);
        put(storage, "wal_005/000000010000000000000001.lzo", new byte[1]);
        put(storage, "wal_005/000000010000000000000002.lzo", new byte[1]);
        put(storage, "wal_005/00000002.history.lzo", lzo("1\t0/3000000\tpromoted\n"));
        put(storage, "wal_005/000000020000000000000003.lzo", new byte[1]);
        WalCoverage index = Archives.on(storage, dir, Archives.LZO).walIndex(WalSegmentSize.DEFAULT);
        SegmentName first = SegmentName.parse("000000010000000000000001").orElseThrow();
        assertEquals(2, index.coverage(first).timeline(), "timeline 2's history names timeline 1 as its parent");
        assertTrue(index.coverage(first).complete());
        assertTrue(index.coverage(first).problems().isEmpty(), index.coverage(first).problems().toString());
    }

    @Test
    void aHistoryFileThatDoesNotDecodeIsAnIoErrorNamingIt() throws IOException {
        FileStorage storage = new FileStorage(dir);
        put(storage, "wal_005/00000002.history.lzo", "not lzop".getBytes(StandardCharsets.UTF_8));
        IOException e = assertThrows(IOException.class,
                () -> Archives.file(dir).walIndex(WalSegmentSize.DEFAULT));
        assertTrue(e.getMessage().startsWith("cannot read " + storage.url("wal_005/00000002.history.lzo")),
                e.getMessage());
    }

    @Test
    void aBackupWithoutAManifestHasNone() throws IOException {
        assertFalse(Archives.file(dir).manifest(org.walj.layout.BackupName
                .parse("base_000000010000000000000002_00000040").orElseThrow()).isPresent());
    }

    private static Archive named(String url) {
        return Archive.of(StoragePrefix.parse(url), new ClosingStorage(), Archives.LZO);
    }

    private static byte[] lzo(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = Compression.LZO.compress(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    private static void put(Storage storage, String key, byte[] content) throws IOException {
        storage.put(key, new ByteArrayInputStream(content), null);
    }

    /** An empty storage that counts how often it was closed. */
    private static final class ClosingStorage implements Storage {
        int closed;

        @Override
        public void put(String key, InputStream content, String contentType) {
            throw new UnsupportedOperationException();
        }

        @Override
        public InputStream get(String key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<ObjectInfo> stat(String key) {
            return Optional.empty();
        }

        @Override
        public List<ObjectInfo> list(String keyPrefix) {
            return List.of();
        }

        @Override
        public void delete(Collection<String> keys) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String url(String key) {
            return "closing://" + key;
        }

        @Override
        public void close() {
            closed++;
        }
    }
}
