package org.walj.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walj.pipeline.EncoderOptions;
import org.walj.UserException;
import org.walj.layout.BackupSentinel;
import org.walj.layout.ManifestEntry;
import org.walj.layout.RestoreSpec;
import org.walj.logging.LoggerNames;
import org.walj.pipeline.codecs.Compression;
import org.walj.pipeline.Encryption;
import org.walj.pipeline.ObjectCodec;
import org.walj.postgres.SegmentName;
import org.walj.storage.Storage;
import org.walj.storage.file.FileStorage;

/** backup-verify on the file backend: what it finds, what it names, and that it writes nothing locally. */
class BackupVerifyTest {
    static final String NAME = "base_000000010000000000000002_00000040";
    static final ObjectCodec CODEC = Compression.LZO.with(Encryption.NONE);

    @TempDir
    Path tmp;
    Storage storage;
    BackupVerify verify;

    @BeforeEach
    void setUp() throws IOException {
        storage = newEmptyStorage();
        verify = new BackupVerify(storage, CODEC, LoggerNames.WORKER_FILE);
    }

    @AfterEach
    void tearDown() throws IOException {
        storage.close();
    }

    /** The file backend here; {@link BackupVerifyS3Test} runs the same tests against a real S3 server. */
    Storage newEmptyStorage() throws IOException {
        return new FileStorage(Files.createDirectories(tmp.resolve("archive")));
    }

    private void partition(int n, byte[] tar) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream enc = CODEC.encoder(out, EncoderOptions.pipe())) {
            enc.write(tar);
        }
        storage.put(String.format("basebackups_005/%s/tar_partitions/part_%08d.tar.lzo", NAME, n),
                new ByteArrayInputStream(out.toByteArray()), null);
    }

    private void sentinel(String stopSegment) throws IOException {
        BackupSentinel s = new BackupSentinel(SegmentName.parse(stopSegment).orElseThrow(), "00000312", 10,
                new RestoreSpec("/original/data/", List.of()));
        storage.put("basebackups_005/" + NAME + "_backup_stop_sentinel.json",
                new ByteArrayInputStream(s.toJson().getBytes(StandardCharsets.UTF_8)), null);
    }

    private void wal(String... names) throws IOException {
        for (String n : names) {
            storage.put("wal_005/" + n, new ByteArrayInputStream(new byte[]{1}), null);
        }
    }

    private List<ManifestEntry> backup() throws IOException {
        partition(0, new Tars().dir("/", 0755).file("PG_VERSION", "15\n").file("base/1/1", "one").bytes());
        partition(1, new Tars().file("global/pg_control", "control").file("base/1/2", "two").bytes());
        partition(2, new Tars().file("backup_label", "label").bytes());
        sentinel("000000010000000000000004");
        wal("000000010000000000000001.lzo", "000000010000000000000002.lzo", "000000010000000000000003.lz4",
                "000000010000000000000004.lzo", "000000010000000000000004.00000028.backup.lzo");
        return new ArrayList<>(List.of(ManifestObjects.entry(0, "PG_VERSION", "15\n"),
                ManifestObjects.entry(0, "base/1/1", "one"), ManifestObjects.entry(1, "global/pg_control", "control"),
                ManifestObjects.entry(1, "base/1/2", "two"), ManifestObjects.entry(2, "backup_label", "label")));
    }

    private static BackupVerify.Options options() {
        return new BackupVerify.Options(2, false);
    }

    @Test
    void aSoundBackupVerifies() throws IOException {
        ManifestObjects.put(storage, CODEC, NAME, backup());
        List<Path> before = files();
        BackupVerify.Report r = verify.verify("LATEST", options());
        assertEquals(NAME, r.backup());
        assertEquals(3, r.partitions());
        assertEquals(5, r.filesChecksummed());
        assertTrue(r.checksummed());
        assertEquals(new BackupVerify.WalCoverageSummary("000000010000000000000002", "000000010000000000000004", 3),
                r.wal().orElseThrow());
        assertEquals(before, files(), "verify writes nothing");
    }

    @Test
    void aFileThatDiffersIsNamedAndEveryProblemIsCounted() throws IOException {
        List<ManifestEntry> entries = backup();
        entries.set(3, ManifestObjects.entry(1, "base/1/2", "TWO"));
        entries.add(ManifestObjects.entry(2, "base/1/3", "three"));
        ManifestObjects.put(storage, CODEC, NAME, entries);
        UserException e = assertThrows(UserException.class, () -> verify.verify(NAME, options()));
        assertEquals("base backup " + NAME + " failed verification", e.getMessage());
        String detail = e.detail().orElseThrow();
        assertTrue(detail.startsWith("2 problem(s); the first: part_00000001.tar.lzo: \"base/1/2\" does not match "
                + "the backup manifest: its SHA-256 is "), detail);
    }

    @Test
    void aMissingWalSegmentIsNamed() throws IOException {
        ManifestObjects.put(storage, CODEC, NAME, backup());
        storage.delete(List.of("wal_005/000000010000000000000003.lz4"));
        UserException e = assertThrows(UserException.class, () -> verify.verify(NAME, options()));
        assertEquals("1 problem(s); the first: WAL segment 000000010000000000000003 is not in the archive (the "
                + "backup needs 000000010000000000000002 to 000000010000000000000004 to become consistent)",
                e.detail().orElseThrow());
    }

    @Test
    void anUndecodablePartitionAndAMissingOneAreNamed() throws IOException {
        ManifestObjects.put(storage, CODEC, NAME, backup());
        storage.put("basebackups_005/" + NAME + "/tar_partitions/part_00000001.tar.lzo",
                new ByteArrayInputStream("not lzop".getBytes(StandardCharsets.UTF_8)), null);
        storage.delete(List.of("basebackups_005/" + NAME + "/tar_partitions/part_00000002.tar.lzo"));
        UserException e = assertThrows(UserException.class, () -> verify.verify(NAME, options()));
        assertTrue(e.detail().orElseThrow().startsWith("2 problem(s); the first: partition part_00000001.tar.lzo "
                + "cannot be read: "), e.detail().orElseThrow());
    }

    @Test
    void aBackupWithoutManifestVerifiesWithoutChecksumsUnlessAManifestIsRequired() throws IOException {
        backup();
        BackupVerify.Report r = verify.verify(NAME, options());
        assertFalse(r.checksummed());
        assertEquals(0, r.filesChecksummed());
        UserException e = assertThrows(UserException.class,
                () -> verify.verify(NAME, new BackupVerify.Options(1, true)));
        assertEquals("backup " + NAME + " has no integrity manifest", e.getMessage());
    }

    @Test
    void withoutBackupLabelTheWalIsNotRequired() throws IOException {
        partition(0, new Tars().file("global/pg_control", "control").bytes());
        sentinel("000000010000000000000002");
        BackupVerify.Report r = verify.verify(NAME, options());
        assertTrue(r.wal().isEmpty(), "an offline backup is consistent without WAL");
    }

    @Test
    void badInput() throws IOException {
        UserException e = assertThrows(UserException.class, () -> verify.verify("LATEST", options()));
        assertEquals("no backups found for verifying", e.getMessage());
        e = assertThrows(UserException.class, () -> verify.verify("yesterday", options()));
        assertEquals("invalid backup query submitted", e.getMessage());
        backup();
        e = assertThrows(UserException.class,
                () -> verify.verify("base_000000010000000000000099_00000040", options()));
        assertEquals("no backups found for verifying", e.getMessage());
    }

    private List<Path> files() throws IOException {
        try (var s = Files.walk(tmp)) {
            return s.sorted().toList();
        }
    }
}
