package org.walj.backup;

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
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walj.pipeline.EncoderOptions;
import org.walj.UserException;
import org.walj.layout.BackupLayout;
import org.walj.layout.BackupName;
import org.walj.logging.LoggerNames;
import org.walj.pipeline.codecs.Compression;
import org.walj.pipeline.Encryption;
import org.walj.pipeline.ObjectCodec;
import org.walj.storage.file.FileStorage;

/**
 * The manifest describes the whole tree: a genuine wal-j backup ({@link GenuineBackup}, pushed by backup-push into
 * real file storage) restores and verifies; any member injected into it, changed in it or removed from it fails both
 * backup-fetch (before {@code global/pg_control} is put in place) and backup-verify, naming the member.
 */
class ManifestCompletenessTest {
    static final ObjectCodec CODEC = Compression.LZO.with(Encryption.NONE);
    static final String PART = "part_00000000.tar.lzo";

    @TempDir
    Path tmp;
    FileStorage storage;
    BackupName backup;
    int restores;

    @BeforeEach
    void setUp() throws IOException {
        storage = new FileStorage(Files.createDirectories(tmp.resolve("archive")));
        Files.createDirectory(tmp.resolve("archive/wal_005")); // an archive, as operators start one
        backup = GenuineBackup.push(tmp, storage, CODEC);
    }

    @AfterEach
    void tearDown() throws IOException {
        storage.close();
    }

    @Test
    void aGenuineBackupRestoresAndVerifies() throws IOException {
        String manifest = manifestText();
        assertTrue(manifest.contains("{\"partition\": 0, \"name\": \"pg_wal\", \"type\": \"symlink\", \"mode\": "
                + "\"0777\", \"target\": \"" + tmp.resolve("wal") + "\"}"), manifest);
        assertTrue(manifest.contains("{\"partition\": 0, \"name\": \"base/1/\", \"type\": \"dir\", \"mode\": "
                + "\"0700\"}"), manifest);
        Path data = fetch(true);
        assertEquals("control", Files.readString(data.resolve("global/pg_control")));
        assertEquals(tmp.resolve("wal"), Files.readSymbolicLink(data.resolve("pg_wal")));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                data.resolve("base/1/1259"))));
        BackupVerify.Report r = verify(true);
        assertTrue(r.checksummed());
        long members = manifest.lines().count() - 2;
        assertEquals(members, r.filesChecksummed(), "every member matched");
    }

    @Test
    void anInjectedSymlinkFails() throws IOException {
        inject(symlink("pg_xact", "/etc"));
        assertFetchAndVerifyFail("\"pg_xact\" (a symbolic link) is not in the backup manifest");
    }

    @Test
    void anInjectedDirectoryFails() throws IOException {
        TarArchiveEntry dir = new TarArchiveEntry("pg_notify/", TarConstants.LF_DIR, true);
        dir.setMode(040700);
        inject(new GenuineBackup.Member(dir, new byte[0]));
        assertFetchAndVerifyFail("\"pg_notify/\" (a directory) is not in the backup manifest");
    }

    @Test
    void aDirectoryListedOnceButInTheBackupTwiceFails() throws IOException {
        TarArchiveEntry dir = new TarArchiveEntry("base/1/", TarConstants.LF_DIR, true);
        dir.setMode(040700);
        inject(new GenuineBackup.Member(dir, new byte[0]));
        assertFetchAndVerifyFail("\"base/1/\" is in the backup more than once");
    }

    @Test
    void anInjectedFileFails() throws IOException {
        TarArchiveEntry file = new TarArchiveEntry("base/1/16384", true);
        file.setMode(0100600);
        file.setSize(3);
        inject(new GenuineBackup.Member(file, "bad".getBytes(StandardCharsets.US_ASCII)));
        assertFetchAndVerifyFail("\"base/1/16384\" is not in the backup manifest");
    }

    @Test
    void anInjectedHardLinkFails() throws IOException {
        TarArchiveEntry link = new TarArchiveEntry("base/1/1260", TarConstants.LF_LINK, true);
        link.setLinkName("base/1/1259");
        inject(new GenuineBackup.Member(link, new byte[0]));
        assertFetchAndVerifyFail("\"base/1/1260\" (a hard link) is not in the backup manifest");
    }

    @Test
    void aFileWhoseModeChangedFails() throws IOException {
        edit(members -> GenuineBackup.find(members, "base/1/1259").entry().setMode(0100644));
        assertFetchAndVerifyFail("\"base/1/1259\" has mode 0644, the backup manifest records 0600");
    }

    @Test
    void aDirectoryWhoseModeChangedFails() throws IOException {
        edit(members -> GenuineBackup.find(members, "global/").entry().setMode(040777));
        assertFetchAndVerifyFail("\"global/\" has mode 0777, the backup manifest records 0700");
    }

    @Test
    void aSymlinkWhoseTargetChangedFails() throws IOException {
        edit(members -> GenuineBackup.find(members, "pg_wal").entry().setLinkName("/etc"));
        assertFetchAndVerifyFail("\"pg_wal\" links to \"/etc\", the backup manifest records \"" + tmp.resolve("wal")
                + "\"");
    }

    @Test
    void anInjectedDeviceFails() throws IOException {
        inject(device("dev", TarConstants.LF_CHR));
        assertFetchAndVerifyFail("\"dev\" (a character device) is not in the backup manifest", true);
        assertTrue(verifyProblem().contains("refusing tar member \"dev\": unsupported tar member type (character "
                + "device, type flag '3'"), "verify refuses it for what it is, too");
    }

    @Test
    void aListedEmptyFileReplacedByADeviceFails() throws IOException {
        edit(members -> {
            int at = members.indexOf(GenuineBackup.find(members, GenuineBackup.EMPTY_FILE));
            members.set(at, device(GenuineBackup.EMPTY_FILE, TarConstants.LF_BLK));
        });
        assertFetchAndVerifyFail("\"" + GenuineBackup.EMPTY_FILE + "\" is a block device, the backup manifest "
                + "records a regular file", true);
    }

    @Test
    void aListedDirectoryMissingFails() throws IOException {
        edit(members -> members.remove(GenuineBackup.find(members, "base/1/")));
        Path data = tmp.resolve("restore-" + ++restores);
        IOException e = assertThrows(IOException.class, () -> fetch(data, false));
        assertEquals("the backup manifest lists 1 member(s) no partition contained, the first \"base/1/\" "
                + "(partition 0)", e.getMessage());
        assertFalse(Files.exists(data.resolve("global/pg_control"), LinkOption.NOFOLLOW_LINKS));
        assertEquals("1 problem(s); the first: \"base/1/\" (partition 0) is in the backup manifest but not in its "
                + "partition", verifyProblem());
    }

    @Test
    void aFifoFailsVerifyEvenWithoutAManifest() throws IOException {
        storage.delete(List.of(manifestKey()));
        inject(device("pg_fifo", TarConstants.LF_FIFO));
        assertEquals("1 problem(s); the first: partition " + PART + " cannot be read: refusing tar member \"pg_fifo\": "
                + "unsupported tar member type (FIFO, type flag '6'; only regular files, directories, symbolic and hard "
                + "links are restored)", verifyProblem());
    }

    @Test
    void requireManifestRefusesABackupWithoutOneBeforeWritingAnything() throws IOException {
        storage.delete(List.of(manifestKey())); // as WAL-E's backups are
        Path data = tmp.resolve("restore");
        UserException e = assertThrows(UserException.class, () -> fetch(data, true));
        assertEquals("backup " + backup + " has no integrity manifest", e.getMessage());
        assertFalse(Files.exists(data), "nothing written");
        assertEquals("backup " + backup + " has no integrity manifest",
                assertThrows(UserException.class, () -> verify(true)).getMessage());
        fetch(false); // without the option it restores, unchecked, as before
    }

    @Test
    void anOldFilesOnlyManifestKeepsTodaysChecks() throws IOException {
        // the same backup's manifest as wal-j wrote it before: files only, no modes
        String v1 = manifestText().lines()
                .filter(l -> !l.contains("\"type\": \"dir\"") && !l.contains("\"type\": \"symlink\""))
                .map(l -> l.replace("\"walj_manifest\": 2", "\"walj_manifest\": 1")
                        .replaceAll("\"type\": \"file\", \"mode\": \"[0-7]{4}\", ", "")
                        .replaceAll("\"members\": [0-9]+, ", ""))
                .collect(Collectors.joining("\n", "", "\n"));
        putManifest(v1);
        inject(symlink("pg_xact", "/nonexistent"));
        fetch(true);
        BackupVerify.Report r = verify(true);
        assertEquals(4, r.filesChecksummed(), "PG_VERSION, pg_control, 1259, 2619_vm: files only");

        edit(members -> GenuineBackup.find(members, "base/1/1259").data()[7] ^= 1);
        assertFetchAndVerifyFail("\"base/1/1259\" does not match the backup manifest: its SHA-256 is ");
    }

    // ---- helpers

    private void assertFetchAndVerifyFail(String problem) throws IOException {
        assertFetchAndVerifyFail(problem, false);
    }

    /**
     * Fetch fails naming the member, leaving no pg_control; verify fails with it as the first problem.
     * {@code refusedByType}: a member no restore writes (a device) may instead be refused by the tar reader for its
     * type, before the manifest is asked.
     */
    private void assertFetchAndVerifyFail(String problem, boolean refusedByType) throws IOException {
        Path data = tmp.resolve("restore-" + ++restores);
        IOException e = assertThrows(IOException.class, () -> fetch(data, false));
        String member = problem.substring(0, problem.indexOf('"', 1) + 1);
        assertTrue(e.getMessage().startsWith("partition " + PART + " could not be restored: " + problem)
                || refusedByType && e.getMessage().startsWith("partition " + PART + ": refusing tar member "
                        + member), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertFalse(Files.exists(data.resolve("global/pg_control"), LinkOption.NOFOLLOW_LINKS),
                "a failed fetch leaves no pg_control");
        String detail = verifyProblem();
        assertTrue(detail.matches("[0-9]+ problem\\(s\\); the first: .*"), detail);
        assertTrue(detail.contains(PART + ": " + problem)
                || refusedByType && detail.contains(PART + " cannot be read: refusing tar member " + member), detail);
        assertTrue(detail.contains(member), detail);
    }

    private String verifyProblem() {
        UserException e = assertThrows(UserException.class, () -> verify(false));
        assertEquals("base backup " + backup + " failed verification", e.getMessage());
        return e.detail().orElseThrow();
    }

    private Path fetch(boolean requireManifest) throws IOException {
        return fetch(tmp.resolve("restore-" + ++restores), requireManifest);
    }

    private Path fetch(Path data, boolean requireManifest) throws IOException {
        new BackupFetch(storage, CODEC, LoggerNames.WORKER_FILE).fetch(data, "LATEST",
                new BackupFetch.Options(2, false, BackupFetch.RestoreSpecOption.NONE, false, requireManifest));
        return data;
    }

    private BackupVerify.Report verify(boolean requireManifest) throws IOException {
        return new BackupVerify(storage, CODEC, LoggerNames.WORKER_FILE).verify("LATEST",
                new BackupVerify.Options(2, requireManifest));
    }

    private void inject(GenuineBackup.Member member) throws IOException {
        edit(members -> members.add(member));
    }

    private void edit(GenuineBackup.Edit edit) throws IOException {
        GenuineBackup.rewrite(storage, CODEC, backup, 0, edit);
    }

    private static GenuineBackup.Member symlink(String name, String target) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
        e.setLinkName(target);
        e.setMode(0120777);
        return new GenuineBackup.Member(e, new byte[0]);
    }

    private static GenuineBackup.Member device(String name, byte flag) {
        TarArchiveEntry e = new TarArchiveEntry(name, flag, true);
        e.setMode(0600);
        return new GenuineBackup.Member(e, new byte[0]);
    }

    private String manifestKey() {
        return BackupLayout.manifestKey(backup, CODEC.suffix());
    }

    private String manifestText() throws IOException {
        try (InputStream stored = storage.get(manifestKey()); InputStream plain = CODEC.decoder(manifestKey(), stored)) {
            return new String(plain.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private void putManifest(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream enc = CODEC.encoder(out, EncoderOptions.pipe())) {
            enc.write(text.getBytes(StandardCharsets.UTF_8));
        }
        storage.put(manifestKey(), new ByteArrayInputStream(out.toByteArray()), null);
    }
}
