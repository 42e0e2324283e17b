package org.walj.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.walj.it.harness.ArchivingCluster;
import org.walj.it.harness.Exec;
import org.walj.it.harness.PgCluster;
import org.walj.it.harness.ProcessResult;
import org.walj.it.harness.Scratch;
import org.walj.it.harness.ScratchExtension;
import org.walj.it.harness.Tools;
import org.walj.it.harness.WalEStyleBackup;
import org.walj.it.harness.WalJ;

/**
 * The integrity manifest and backup-verify on a real PostgreSQL 15: backup-push writes the manifest, backup-verify
 * passes; a byte flipped inside one file of a partition, re-compressed by the real lzop so every container checksum
 * is valid, is caught by the manifest alone, and both backup-verify and backup-fetch name the file; a WAL segment
 * missing between start and stop is named; a backup laid out by WAL-E (no manifest) still fetches and verifies.
 */
@ExtendWith(ScratchExtension.class)
class BackupVerifyIT {

    @Test
    void aFlippedByteAndAMissingSegmentAreNamed(Scratch scratch) throws IOException {
        Path lzop = Tools.require("lzop", "lzop");
        WalJ walj = WalJ.install(scratch);
        Path archive = scratch.archive("archive");
        Map<String, String> env = walj.fileArchiveEnv(archive);
        PgCluster source = ArchivingCluster.initdb(scratch, walj, "src", env)
                .configure(ArchivingCluster.SHORT_CHECKPOINTS);
        source.start();
        source.pgbench(Duration.ofMinutes(2), "-i", "-s", "1", "-q");
        Map<String, String> pgEnv = new LinkedHashMap<>(env);
        pgEnv.putAll(source.clientEnv());

        ProcessResult pushed = walj.run(pgEnv, Duration.ofMinutes(3), "backup-push", source.dataDir().toString())
                .requireSuccess();
        assertTrue(pushed.stderr().contains("MSG: backup manifest upload complete"), pushed.describe());
        String listing = walj.run(env, "backup-list", "--detail").requireSuccess().stdout();
        String[] rows = listing.split("\r\n");
        assertEquals(2, rows.length, listing);
        String name = rows[1].split("\t")[0];
        String startSegment = rows[1].split("\t")[3];

        // the manifest: beside extended_version.txt, a real lzop file of JSON lines, invisible to backup-list
        Path backupDir = archive.resolve("basebackups_005/" + name);
        Path manifest = backupDir.resolve("walj_manifest.jsonl.lzo");
        assertTrue(Files.isRegularFile(manifest), "manifest stored at " + manifest);
        Exec.of(lzop.toString(), "-t", manifest.toString()).runOk();
        String manifestText = Exec.of(lzop.toString(), "-dc", manifest.toString()).runOk().stdout();
        assertTrue(manifestText.startsWith("{\"walj_manifest\": 2, \"backup\": \"" + name + "\""), manifestText);
        assertTrue(manifestText.contains("\"name\": \"global/pg_control\""), "pg_control is in the manifest");
        assertTrue(manifestText.contains("\"name\": \"backup_label\""), "the generated backup_label is in it too");
        Path aside = scratch.root().resolve("manifest-aside");
        Files.move(manifest, aside);
        assertEquals(listing, walj.run(env, "backup-list", "--detail").requireSuccess().stdout(),
                "backup-list is the same with and without the manifest object");
        Files.move(aside, manifest);

        ProcessResult ok = walj.run(env, "backup-verify", "LATEST").requireSuccess();
        assertTrue(ok.stderr().contains("MSG: base backup verified"), ok.describe());
        assertTrue(ok.stderr().contains("DETAIL: The subcommand is \"backup-verify\"."), ok.describe());
        assertEquals("", ok.stdout());

        // a WAL segment between start and stop goes missing
        Path segment = archive.resolve("wal_005/" + startSegment + ".lzo");
        Path segmentAside = scratch.root().resolve("segment-aside");
        Files.move(segment, segmentAside);
        ProcessResult noWal = walj.run(env, "backup-verify", name);
        assertOneError(noWal, "MSG: base backup " + name + " failed verification");
        assertTrue(noWal.stderr().contains("WAL segment " + startSegment + " is not in the archive"), noWal.describe());
        Files.move(segmentAside, segment);

        // one byte flipped inside one file's data; the partition re-compressed by the real lzop
        Path part = backupDir.resolve("tar_partitions/part_00000000.tar.lzo");
        Path tar = scratch.root().resolve("part0.tar");
        Exec.of("sh", "-c", "\"$1\" -dc < \"$2\" > \"$3\"", "sh", lzop.toString(), part.toString(), tar.toString())
                .runOk();
        String victim = flipAByteInTheLargestFile(tar);
        Exec.of("sh", "-c", "\"$1\" -c < \"$2\" > \"$3\"", "sh", lzop.toString(), tar.toString(), part.toString())
                .runOk();
        Exec.of(lzop.toString(), "-t", part.toString()).runOk();
        scratch.user().own(part);

        ProcessResult bad = walj.run(env, "backup-verify", "LATEST");
        assertOneError(bad, "MSG: base backup " + name + " failed verification");
        assertTrue(bad.stderr().contains("\"" + victim + "\" does not match the backup manifest"), bad.describe());

        PgCluster restored = PgCluster.unfilled(scratch, "restored");
        ProcessResult fetch = walj.run(env, "backup-fetch", restored.dataDir().toString(), "LATEST");
        assertOneError(fetch, "MSG: partition part_00000000.tar.lzo could not be restored: \"" + victim
                + "\" does not match the backup manifest");
        assertFalse(Files.exists(restored.dataDir().resolve("global/pg_control")),
                "a fetch that found a damaged file leaves no pg_control");
        source.stop();
    }

    /**
     * A real data directory with what PostgreSQL really has: group access (0750 directories, 0640 files, initdb
     * -g's modes), pg_wal a symlink to another directory (initdb --waldir), a tablespace under pg_tblspc. Its backup's
     * manifest lists every member; backup-verify and backup-fetch accept it with --require-manifest; one symbolic
     * link appended to a partition by GNU tar (re-compressed by the real lzop) is named by both, and the fetch leaves
     * no pg_control.
     */
    @Test
    void aRealClusterBackupIsAcceptedWholeAndAnAppendedSymlinkIsNamed(Scratch scratch) throws IOException {
        Path lzop = Tools.require("lzop", "lzop");
        Path gnuTar = Tools.require("tar", "tar");
        WalJ walj = WalJ.install(scratch);
        Path archive = scratch.archive("archive");
        Map<String, String> env = walj.fileArchiveEnv(archive);
        PgCluster source = ArchivingCluster.initdb(scratch, walj, "src", env)
                .configure(ArchivingCluster.SHORT_CHECKPOINTS);
        Path wal = scratch.root().resolve("src-wal");
        Path data = source.dataDir();
        Exec.of(scratch.user().wrap(List.of("sh", "-c", "mv \"$1/pg_wal\" \"$2\" && ln -s \"$2\" \"$1/pg_wal\" "
                + "&& chmod -R g+rX \"$1\" \"$2\"", "sh", data.toString(), wal.toString()))).runOk();
        source.start();
        Path location = scratch.dir("ts1");
        source.psql("CREATE TABLESPACE ts1 LOCATION '" + location + "';"
                + "CREATE TABLE in_ts (id int) TABLESPACE ts1; INSERT INTO in_ts SELECT generate_series(1, 1000);");
        String oid = source.psql("SELECT oid FROM pg_tablespace WHERE spcname = 'ts1'");
        String relfile = source.psql("SELECT pg_relation_filepath('in_ts')");
        Map<String, String> pgEnv = new LinkedHashMap<>(env);
        pgEnv.putAll(source.clientEnv());
        walj.run(pgEnv, Duration.ofMinutes(3), "backup-push", source.dataDir().toString()).requireSuccess();
        source.waitArchived(source.switchWal(), Duration.ofSeconds(60));
        String name = walj.run(env, "backup-list").requireSuccess().stdout().split("\r\n")[1].split("\t")[0];

        Path backupDir = archive.resolve("basebackups_005/" + name);
        String manifest = Exec.of(lzop.toString(), "-dc", backupDir.resolve("walj_manifest.jsonl.lzo").toString())
                .runOk().stdout();
        assertTrue(manifest.contains("{\"partition\": 0, \"name\": \"pg_wal\", \"type\": \"symlink\", \"mode\": "
                + "\"0777\", \"target\": \"" + wal + "\"}"), manifest);
        assertTrue(manifest.contains("\"name\": \"./\", \"type\": \"dir\", \"mode\": \"0750\"}"), manifest);
        assertTrue(manifest.contains("\"name\": \"global/pg_control\", \"type\": \"file\", \"mode\": \"0640\""),
                manifest);
        assertTrue(manifest.contains("\"name\": \"" + relfile + "\", \"type\": \"file\""), manifest);
        assertTrue(manifest.contains("\"name\": \"backup_label\", \"type\": \"file\", \"mode\": \"0600\""),
                manifest);

        ProcessResult verified = walj.run(env, "backup-verify", "--require-manifest", "LATEST").requireSuccess();
        assertTrue(verified.stderr().contains("MSG: base backup verified"), verified.describe());
        Path relocated = scratch.root().resolve("ts-restored");
        Path spec = scratch.file("spec.json");
        Files.writeString(spec, "{\"" + oid + "\": {\"loc\": \"" + relocated + "/\", \"link\": \"pg_tblspc/" + oid
                + "\"}}");
        scratch.user().own(spec);
        PgCluster restored = PgCluster.unfilled(scratch, "restored");
        ProcessResult fetched = walj.run(env, "backup-fetch", "--require-manifest", "--restore-spec",
                spec.toString(), restored.dataDir().toString(), "LATEST").requireSuccess();
        assertTrue(fetched.stderr().contains("members matched the backup manifest"), fetched.describe());
        assertEquals(wal, Files.readSymbolicLink(restored.dataDir().resolve("pg_wal")));
        assertEquals("rw-r-----", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(restored.dataDir().resolve("PG_VERSION"))));
        assertTrue(Files.isRegularFile(relocated.resolve(relfile.substring(("pg_tblspc/" + oid + "/").length()))));
        source.stop();

        // someone with write access to the archive appends a symbolic link to partition 0, with GNU tar
        Path part = backupDir.resolve("tar_partitions/part_00000000.tar.lzo");
        Path tar = scratch.root().resolve("part0.tar");
        Path staging = Files.createDirectories(scratch.root().resolve("staging"));
        Files.createSymbolicLink(staging.resolve("pg_xact"), Path.of("/etc"));
        Exec.of("sh", "-c", "\"$1\" -dc < \"$2\" > \"$3\" && \"$4\" --append -f \"$3\" -C \"$5\" pg_xact "
                + "&& \"$1\" -c < \"$3\" > \"$2\"", "sh", lzop.toString(), part.toString(), tar.toString(),
                gnuTar.toString(), staging.toString()).runOk();
        scratch.user().own(part);
        ProcessResult bad = walj.run(env, "backup-verify", "LATEST");
        assertOneError(bad, "MSG: base backup " + name + " failed verification");
        assertTrue(bad.stderr().contains("part_00000000.tar.lzo: \"pg_xact\" (a symbolic link) is not in the "
                + "backup manifest"), bad.describe());
        PgCluster injected = PgCluster.unfilled(scratch, "injected");
        ProcessResult refused = walj.run(env, "backup-fetch", "--blind-restore", injected.dataDir().toString(),
                "LATEST");
        assertOneError(refused, "MSG: partition part_00000000.tar.lzo could not be restored: \"pg_xact\" (a "
                + "symbolic link) is not in the backup manifest");
        assertFalse(Files.exists(injected.dataDir().resolve("global/pg_control")));
    }

    @Test
    void aWalEStyleBackupFetchesAndVerifiesWithoutChecksums(Scratch scratch) throws IOException {
        Tools.require("lzop", "lzop");
        WalJ walj = WalJ.install(scratch);
        Path archive = scratch.archive("archive");
        Map<String, String> env = walj.fileArchiveEnv(archive);

        // bad input first, with an empty archive: one line, exit 1 (usage errors exit 2)
        assertOneError(walj.run(env, "backup-verify", "LATEST"), "MSG: no backups found for verifying");
        assertOneError(walj.run(env, "backup-verify", "yesterday"), "MSG: invalid backup query submitted");
        assertEquals(2, walj.run(env, "backup-verify").exitCode());
        assertEquals(2, walj.run(env, "backup-verify", "--pool-size", "0", "LATEST").exitCode());

        PgCluster source = ArchivingCluster.initdb(scratch, walj, "src", env);
        source.start();
        source.pgbench(Duration.ofMinutes(2), "-i", "-s", "1", "-q");
        WalEStyleBackup.Pushed pushed = WalEStyleBackup.push(scratch, source, archive, Map.of(), 2, List.of());
        source.waitArchived(source.switchWal(), Duration.ofSeconds(60));

        assertOneError(walj.run(env, "backup-verify", "base_000000010000000000000099_00000040"),
                "MSG: no backups found for verifying");
        ProcessResult verified = walj.run(env, "backup-verify", pushed.name()).requireSuccess();
        assertTrue(verified.stderr().contains("WARNING  MSG: backup has no integrity manifest: files were not "
                + "checksummed"), verified.describe());
        assertTrue(verified.stderr().contains("MSG: base backup verified"), verified.describe());
        assertOneError(walj.run(env, "backup-verify", "--require-manifest", "LATEST"),
                "MSG: backup " + pushed.name() + " has no integrity manifest");
        PgCluster refused = PgCluster.unfilled(scratch, "refused");
        assertOneError(walj.run(env, "backup-fetch", "--require-manifest", refused.dataDir().toString(), "LATEST"),
                "MSG: backup " + pushed.name() + " has no integrity manifest");
        assertFalse(Files.exists(refused.dataDir()), "refused before anything is written");

        PgCluster restored = PgCluster.unfilled(scratch, "restored");
        ProcessResult fetched = walj.run(env, "backup-fetch", restored.dataDir().toString(), "LATEST")
                .requireSuccess();
        assertTrue(fetched.stderr().contains("MSG: base backup has no integrity manifest: restoring without "
                + "checking files"), fetched.describe());
        assertTrue(Files.isRegularFile(restored.dataDir().resolve("global/pg_control")));
        source.stop();
    }

    /** Flips one byte in the middle of the largest regular file of {@code tar}; returns the member's name. */
    private static String flipAByteInTheLargestFile(Path tar) throws IOException {
        TarArchiveEntry largest = null;
        try (TarFile t = new TarFile(tar)) {
            for (TarArchiveEntry e : t.getEntries()) {
                if (e.isFile() && (largest == null || e.getSize() > largest.getSize())) {
                    largest = e;
                }
            }
        }
        assertTrue(largest != null && largest.getSize() > 0, "a non-empty file in the partition");
        try (RandomAccessFile f = new RandomAccessFile(tar.toFile(), "rw")) {
            long at = largest.getDataOffset() + largest.getSize() / 2;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x01);
        }
        return largest.getName();
    }

    private static void assertOneError(ProcessResult r, String msgLine) {
        assertEquals(1, r.exitCode(), r.describe());
        assertEquals("", r.stdout(), r.describe());
        assertTrue(r.stderr().contains(msgLine), "expected \"" + msgLine + "\" in\n" + r.describe());
        assertEquals(1, r.stderr().split(" ERROR ", -1).length - 1, r.describe());
        assertFalse(r.stderr().contains("\tat "), "no stack trace\n" + r.describe());
    }
}
