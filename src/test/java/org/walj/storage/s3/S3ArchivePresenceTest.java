package org.walj.storage.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walj.UserException;
import org.walj.layout.StoragePrefix;
import org.walj.layout.WalFileName;
import org.walj.pipeline.codecs.Compression;
import org.walj.pipeline.Encryption;
import org.walj.pipeline.ObjectCodec;
import org.walj.storage.RetryPolicy;
import org.walj.wal.WalArchiver;
import org.walj.wal.WalRestorer;

/**
 * wal-fetch's "not found" against a real S3 server (S3Proxy): only a prefix holding at least one object under
 * {@code wal_005/} or {@code basebackups_005/} is an archive; an empty prefix (a wrong prefix, an emptied bucket) is a
 * failure, so that PostgreSQL stops recovery instead of promoting. Writes may start a new archive on object stores.
 */
class S3ArchivePresenceTest {
    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static final String SEG = "000000010000000000000007";

    @TempDir
    Path tmp;
    S3Storage storage;
    StoragePrefix prefix;
    ObjectCodec codec = Compression.LZO.with(Encryption.NONE);

    @BeforeEach
    void open() {
        S3ProxyServer server = S3ProxyServer.shared();
        server.createBucket(S3StorageTest.BUCKET);
        String path = "presence/run-" + ProcessHandle.current().pid() + "-" + PREFIXES.incrementAndGet() + "/";
        storage = new S3Storage(S3StorageTest.settings(server, S3StorageTest.BUCKET, path, RetryPolicy.DEFAULT));
        prefix = StoragePrefix.parse("s3://" + S3StorageTest.BUCKET + "/" + path);
    }

    @AfterEach
    void close() throws Exception {
        storage.close();
    }

    @Test
    void anEmptyPrefixIsNotAnArchiveNeverNotFound() throws Exception {
        WalRestorer restorer = new WalRestorer(storage, prefix, codec);
        UserException e = assertThrows(UserException.class,
                () -> restorer.restore(new WalFileName(SEG), tmp.resolve("RECOVERYXLOG")));
        assertTrue(e.getMessage().startsWith("the archive at s3://" + S3StorageTest.BUCKET + "/presence/"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("holds neither wal_005/ nor basebackups_005/"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("RECOVERYXLOG")));
    }

    @Test
    void aPrefixHoldingABackupIsAnArchiveSoAMissingSegmentIsNotFound() throws Exception {
        storage.put("basebackups_005/base_000000010000000000000002_00000040_backup_stop_sentinel.json",
                new ByteArrayInputStream("{}".getBytes()), null);
        assertEquals(WalRestorer.Outcome.NOT_FOUND,
                new WalRestorer(storage, prefix, codec).restore(new WalFileName(SEG), tmp.resolve("RECOVERYXLOG")));
    }

    @Test
    void aWalPushStartsANewArchiveInAnEmptyPrefixThenMissingSegmentsAreNotFound() throws Exception {
        Path segment = tmp.resolve("000000010000000000000002");
        Files.write(segment, new byte[8192]);
        new WalArchiver(storage, prefix, codec).archive(segment, 1);
        assertTrue(storage.holdsDirectory("wal_005/"));
        assertEquals(WalRestorer.Outcome.NOT_FOUND,
                new WalRestorer(storage, prefix, codec).restore(new WalFileName(SEG), tmp.resolve("RECOVERYXLOG")));
    }
}
