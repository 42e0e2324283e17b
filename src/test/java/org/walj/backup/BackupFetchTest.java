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
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walj.pipeline.EncoderOptions;
import org.walj.UserException;
import org.walj.archive.Archives;
import org.walj.layout.BackupName;
import org.walj.layout.BackupSentinel;
import org.walj.layout.RestoreSpec;
import org.walj.layout.Tablespace;
import org.walj.pipeline.codecs.Compression;
import org.walj.pipeline.Encryption;
import org.walj.pipeline.ObjectCodec;
import org.walj.postgres.SegmentName;
import org.walj.storage.file.FileStorage;

class BackupFetchTest {
    static final String NAME = "base_000000010000000000000002_00000040";
    static final ObjectCodec CODEC = Compression.LZO.with(Encryption.NONE);

    @TempDir
    Path tmp;
    FileStorage storage;
    BackupFetch fetch;
    Path data;

    @BeforeEach
    void setUp() throws IOException {
        storage = new FileStorage(Files.createDirectories(tmp.resolve("archive")));
        fetch = new BackupFetch(Archives.on(storage, tmp.resolve("archive"), CODEC));
        data = tmp.resolve("restore/data");
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
        sentinel(storage, tablespaces);
    }

    static void sentinel(FileStorage storage, List<Tablespace> tablespaces) throws IOException {
        BackupSentinel s = new BackupSentinel(SegmentName.parse("000000010000000000000002").orElseThrow(), "00000312",
                10, new RestoreSpec("/original/data/", tablespaces));
        storage.put("basebackups_005/" + NAME + "_backup_stop_sentinel.json",
                new ByteArrayInputStream(s.toJson().getBytes(StandardCharsets.UTF_8)), null);
    }

    static BackupFetch.Options options(Optional<String> specFile) {
        return options(specFile.map(BackupFetch.RestoreSpecOption::file).orElse(BackupFetch.RestoreSpecOption.NONE));
    }

    static BackupFetch.Options options(BackupFetch.RestoreSpecOption spec) {
        return new BackupFetch.Options(4, false, spec, false);
    }

    @Test
    void restoresAllPartitionsIntoAMissingDirectory() throws IOException {
        partition(0, new Tars().dir("/", 0755).file("PG_VERSION", "15\n").file("base/1/1", "one").bytes());
        partition(1, new Tars().file("global/pg_control", "control").file("base/1/2", "two").bytes());
        partition(2, new Tars().file("backup_label", "label").bytes());
        storage.put("basebackups_005/" + NAME + "/tar_partitions/README", new ByteArrayInputStream(new byte[0]), null);
        sentinel(List.of());
        fetch.fetch(data, "LATEST", options(Optional.empty()));
        assertEquals("one", Files.readString(data.resolve("base/1/1")));
        assertEquals("two", Files.readString(data.resolve("base/1/2")));
        assertEquals("control", Files.readString(data.resolve("global/pg_control")));
        assertEquals("label", Files.readString(data.resolve("backup_label")));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
    }

    @Test
    void tablespaceRelocatedWithRestoreSpec() throws IOException {
        partition(0, new Tars().file("global/pg_control", "c").file("tablespace_map", "16385 /srv/ts1\n")
                .file("pg_tblspc/16385/PG_15_202209061/5/16390", "ts").bytes());
        sentinel(List.of(new Tablespace("16385", "/srv/ts1/", "pg_tblspc/16385")));
        Path newTs = tmp.resolve("new/ts1");
        fetch.fetch(data, NAME, options(Optional.of("{\"16385\": {\"loc\": \"" + newTs + "/\", \"link\": "
                + "\"pg_tblspc/16385\"}}")));
        assertEquals("ts", Files.readString(newTs.resolve("PG_15_202209061/5/16390")));
        assertEquals(newTs, Files.readSymbolicLink(data.resolve("pg_tblspc/16385")));
        assertEquals("16385 " + newTs.toRealPath() + "\n", Files.readString(data.resolve("tablespace_map")),
                "PostgreSQL recreates links from tablespace_map: it must name the new place");
    }

    @Test
    void blindRestorePutsTablespacesInsideTheDataDirectory() throws IOException {
        partition(0, new Tars().file("global/pg_control", "c").file("pg_tblspc/16385/PG_15_1/5/1", "ts").bytes());
        sentinel(List.of(new Tablespace("16385", "/nonexistent/ts1/", "pg_tblspc/16385")));
        fetch.fetch(data, NAME, new BackupFetch.Options(1, true, BackupFetch.RestoreSpecOption.NONE, false));
        assertEquals("ts", Files.readString(data.resolve("pg_tblspc/16385/PG_15_1/5/1")));
        assertTrue(Files.isDirectory(data.resolve("pg_tblspc/16385"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void restoreSpecNamingAnotherDataDirectoryIsRefused() throws IOException {
        partition(0, new Tars().file("global/pg_control", "c").bytes());
        sentinel(List.of());
        UserException e = assertThrows(UserException.class, () -> fetch.fetch(data, NAME,
                options(Optional.of("{\"base_prefix\": \"/elsewhere/\"}"))));
        assertTrue(e.getMessage().startsWith("the restore spec's base_prefix /elsewhere/ is not the data directory"));
    }

    @Test
    void refusesNonEmptyAndLiveDirectories() throws IOException {
        partition(0, new Tars().file("global/pg_control", "c").bytes());
        sentinel(List.of());
        Files.createDirectories(data);
        Files.writeString(data.resolve("postmaster.pid"), "123");
        UserException e = assertThrows(UserException.class, () -> fetch.fetch(data, NAME, options(Optional.empty())));
        assertEquals("attempting to overwrite a live data directory", e.getMessage());
        Files.delete(data.resolve("postmaster.pid"));
        Files.writeString(data.resolve("PG_VERSION"), "14");
        e = assertThrows(UserException.class, () -> fetch.fetch(data, NAME, options(Optional.empty())));
        assertEquals("refusing to restore into the non-empty data directory " + data, e.getMessage());
        assertEquals("14", Files.readString(data.resolve("PG_VERSION")));
    }

    @Test
    void unknownBackupAndNoBackups() throws IOException {
        UserException e = assertThrows(UserException.class, () -> fetch.fetch(data, "LATEST", options(Optional.empty())));
        assertEquals("no backups found for fetching", e.getMessage());
        e = assertThrows(UserException.class, () -> fetch.fetch(data, "yesterday", options(Optional.empty())));
        assertEquals("invalid backup query submitted", e.getMessage());
        assertFalse(Files.exists(data));
    }

    @Test
    void badPartitionsAreNamed() throws IOException {
        partition(0, new Tars().file("global/pg_control", "c").bytes());
        partition(1, new Tars().file("../evil", "x").bytes());
        sentinel(List.of());
        IOException e = assertThrows(IOException.class, () -> fetch.fetch(data, NAME, options(Optional.empty())));
        assertEquals("partition part_00000001.tar.lzo: refusing tar member \"../evil\": names with \"..\" are not "
                + "restored", e.getMessage());
        assertFalse(Files.exists(data.resolve("global/pg_control")), "an interrupted fetch has no pg_control");
        assertFalse(Files.exists(tmp.resolve("restore/evil")));

        storage.put("basebackups_005/" + NAME + "/tar_partitions/part_00000001.tar.lzo",
                new ByteArrayInputStream("not lzop at all".getBytes(StandardCharsets.UTF_8)), null);
        Path other = tmp.resolve("other");
        e = assertThrows(IOException.class, () -> fetch.fetch(other, NAME, options(Optional.empty())));
        assertTrue(e.getMessage().startsWith("partition part_00000001.tar.lzo could not be restored: "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void backupWithoutPartitions() throws IOException {
        sentinel(List.of());
        UserException e = assertThrows(UserException.class, () -> fetch.fetch(data, NAME, options(Optional.empty())));
        assertEquals("backup " + NAME + " has no tar partitions", e.getMessage());
        assertEquals(NAME, BackupName.parse(NAME).orElseThrow().toString());
    }

    @Test
    void garbageInsideAValidLzopStreamIsNamedToo() throws IOException {
        byte[] garbage = new byte[4096];
        new java.util.Random(3).nextBytes(garbage);
        partition(0, new Tars().file("global/pg_control", "c").bytes());
        partition(1, garbage);
        sentinel(List.of());
        IOException e = assertThrows(IOException.class, () -> fetch.fetch(data, NAME, options(Optional.empty())));
        assertTrue(e.getMessage().startsWith("partition part_00000001.tar.lzo could not be restored: "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertFalse(Files.exists(data.resolve("global/pg_control")));
    }

    @Test
    void overlappingTablespacesAreRefusedBeforeAnythingIsCreated() throws IOException {
        partition(0, new Tars().file("global/pg_control", "c").bytes());
        Path ts = tmp.resolve("ts");
        sentinel(List.of(new Tablespace("1", ts + "/", "pg_tblspc/1"), new Tablespace("2", ts + "/sub/", "pg_tblspc/2")));
        UserException e = assertThrows(UserException.class,
                () -> fetch.fetch(data, NAME, options(BackupFetch.RestoreSpecOption.SOURCE)));
        assertEquals("tablespace 2 location " + ts.resolve("sub") + " overlaps another tablespace's", e.getMessage());
        assertFalse(Files.exists(ts));
        assertFalse(Files.exists(data), "nothing is created before every check passed");
    }

    // ---- integrity manifest

    private void threePartitionBackup() throws IOException {
        partition(0, new Tars().dir("/", 0755).file("PG_VERSION", "15\n").file("base/1/1", "one").bytes());
        partition(1, new Tars().file("global/pg_control", "control").file("base/1/2", "two").bytes());
        partition(2, new Tars().file("backup_label", "label").bytes());
        sentinel(List.of());
    }

    private static List<org.walj.layout.ManifestEntry> manifestOfThreePartitions() {
        return List.of(ManifestObjects.entry(0, "PG_VERSION", "15\n"), ManifestObjects.entry(0, "base/1/1", "one"),
                ManifestObjects.entry(1, "global/pg_control", "control"), ManifestObjects.entry(1, "base/1/2", "two"),
                ManifestObjects.entry(2, "backup_label", "label"));
    }

    @Test
    void filesMatchingTheManifestRestore() throws IOException {
        threePartitionBackup();
        ManifestObjects.put(storage, CODEC, NAME, manifestOfThreePartitions());
        fetch.fetch(data, NAME, options(Optional.empty()));
        assertEquals("control", Files.readString(data.resolve("global/pg_control")));
    }

    @Test
    void aFileThatDiffersFromTheManifestFailsTheFetchNamingIt() throws IOException {
        threePartitionBackup();
        List<org.walj.layout.ManifestEntry> entries = new java.util.ArrayList<>(manifestOfThreePartitions());
        entries.set(3, ManifestObjects.entry(1, "base/1/2", "TWO")); // same size, other bytes
        ManifestObjects.put(storage, CODEC, NAME, entries);
        IOException e = assertThrows(IOException.class, () -> fetch.fetch(data, NAME, options(Optional.empty())));
        assertTrue(e.getMessage().startsWith("partition part_00000001.tar.lzo could not be restored: \"base/1/2\" "
                + "does not match the backup manifest: its SHA-256 is "), e.getMessage());
        assertFalse(Files.exists(data.resolve("global/pg_control")), "a failed fetch has no pg_control");
    }

    @Test
    void filesMissingFromOrUnknownToTheManifestFailTheFetch() throws IOException {
        threePartitionBackup();
        List<org.walj.layout.ManifestEntry> withExtra = new java.util.ArrayList<>(manifestOfThreePartitions());
        withExtra.add(ManifestObjects.entry(1, "base/1/3", "three"));
        ManifestObjects.put(storage, CODEC, NAME, withExtra);
        IOException e = assertThrows(IOException.class, () -> fetch.fetch(data, NAME, options(Optional.empty())));
        assertEquals("the backup manifest lists 1 file(s) no partition contained, the first \"base/1/3\" "
                + "(partition 1)", e.getMessage());
        assertFalse(Files.exists(data.resolve("global/pg_control")));

        ManifestObjects.put(storage, CODEC, NAME, manifestOfThreePartitions().subList(0, 4));
        Path other = tmp.resolve("other");
        e = assertThrows(IOException.class, () -> fetch.fetch(other, NAME, options(Optional.empty())));
        assertEquals("partition part_00000002.tar.lzo could not be restored: \"backup_label\" is not in the "
                + "backup manifest", e.getMessage());
    }

    @Test
    void aDamagedManifestFailsBeforeAnythingIsWritten() throws IOException {
        threePartitionBackup();
        storage.put("basebackups_005/" + NAME + "/walj_manifest.jsonl.lzo",
                new ByteArrayInputStream("not lzop".getBytes(StandardCharsets.UTF_8)), null);
        IOException e = assertThrows(IOException.class, () -> fetch.fetch(data, NAME, options(Optional.empty())));
        assertTrue(e.getMessage().contains("walj_manifest.jsonl.lzo cannot be read: "), e.getMessage());
        assertFalse(Files.exists(data));
    }
}
