package org.walj.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.walj.it.harness.ArchivingCluster;
import org.walj.it.harness.Compare;
import org.walj.it.harness.Exec;
import org.walj.it.harness.GnuPg;
import org.walj.it.harness.PgCluster;
import org.walj.it.harness.PgbenchLoad;
import org.walj.it.harness.ProcessResult;
import org.walj.it.harness.Scratch;
import org.walj.it.harness.ScratchExtension;
import org.walj.it.harness.AzureStore;
import org.walj.it.harness.SwiftStore;
import org.walj.it.harness.Tools;
import org.walj.it.harness.WalJ;

/**
 * The whole mission on a real PostgreSQL 15, wal-j on both sides: archive_command, an online backup-push while
 * pgbench writes, backup-list, backup-fetch LATEST into an empty directory, and point-in-time recovery through
 * restore_command to a time T (the marker table equals its contents at T exactly) and to the end of the archive
 * (every table equals the source's final contents). Once as plain LZO, once GPG-encrypted as WAL-E users run it.
 */
@ExtendWith(ScratchExtension.class)
class BackupPitrIT {

    @Test
    void pointInTimeRecoveryFromOurOwnBackup(Scratch scratch) throws IOException {
        WalJ walj = WalJ.install(scratch);
        Map<String, String> env = new LinkedHashMap<>(walj.env());
        env.put("WALE_FILE_PREFIX", "file://localhost" + scratch.archive("archive"));
        roundTrip(scratch, walj, env);
    }

    /** The same through wabs:// to Azurite (a separate process): backup-push, backup-fetch and WAL via Azure. */
    @Test
    void pointInTimeRecoveryThroughAzureBlobStorage(Scratch scratch) throws IOException {
        try (AzureStore store = AzureStore.start()) {
            WalJ walj = WalJ.install(scratch);
            Map<String, String> env = new LinkedHashMap<>(walj.env());
            String pathPrefix = "pitr-" + System.nanoTime() + "/";
            env.putAll(store.archiveEnv(pathPrefix));
            roundTrip(scratch, walj, env);
            List<String> names = store.names(pathPrefix);
            assertTrue(names.stream().anyMatch(n -> n.matches(pathPrefix
                    + "basebackups_005/base_[0-9A-F]{24}_[0-9A-F]{8}/tar_partitions/part_00000000\\.tar\\.lzo")),
                    "WAL-E's partition names, no leading slash: " + names);
            assertTrue(names.stream().anyMatch(n -> n.matches(pathPrefix
                    + "basebackups_005/base_[0-9A-F]{24}_[0-9A-F]{8}_backup_stop_sentinel\\.json")), names.toString());
        }
    }

    /**
     * The same through swift:// to a real Swift (Debian's servers, a separate process tree), GPG-encrypted, and with
     * 1 MiB segments so that the base backup's partitions and most WAL segments travel as static large objects:
     * WAL-E's names (leading slash) for the partitions and the sentinel, the segments beside them.
     */
    @Test
    void pointInTimeRecoveryThroughSwiftEncrypted(Scratch scratch) throws IOException {
        String passphrase = "swift backup passphrase";
        Path passFile = scratch.file("secrets/passphrase");
        Files.writeString(passFile, passphrase + "\n", StandardCharsets.UTF_8);
        scratch.user().own(passFile);
        try (SwiftStore store = SwiftStore.start(); GnuPg gpg = GnuPg.create(scratch, "gnupg")) {
            String fpr = gpg.generate("Backups <backups@example.org>", "rsa3072", "rsa3072", passphrase);
            WalJ walj = WalJ.install(scratch);
            Map<String, String> env = new LinkedHashMap<>(walj.env());
            String pathPrefix = "pitr-" + System.nanoTime() + "/";
            env.putAll(store.archiveEnv(pathPrefix));
            env.put("WALJ_SWIFT_SEGMENT_SIZE_MIB", "1");
            env.put("WALE_GPG_KEY_ID", fpr.substring(24));
            env.put("GNUPGHOME", gpg.home().toString());
            env.put("WALJ_GPG_PASSPHRASE_FILE", passFile.toString());
            roundTrip(scratch, walj, env);
            List<String> names = store.names(pathPrefix);
            String partition = "/" + pathPrefix
                    + "basebackups_005/base_[0-9A-F]{24}_[0-9A-F]{8}/tar_partitions/part_00000000\\.tar\\.lzo";
            assertTrue(names.stream().anyMatch(n -> n.matches(partition)),
                    "WAL-E's partition names, with the leading slash: " + names);
            assertTrue(names.stream().anyMatch(n -> n.matches("/" + pathPrefix
                    + "basebackups_005/base_[0-9A-F]{24}_[0-9A-F]{8}_backup_stop_sentinel\\.json")), names.toString());
            assertTrue(names.stream().anyMatch(n -> n.matches("/" + pathPrefix + "\\.walj-segments/"
                    + partition.substring(pathPrefix.length() + 1) + "/[0-9a-f]{16}/0000000[12]")),
                    "the first partition travelled as segments: " + names);
        }
    }

    @Test
    void pointInTimeRecoveryFromAnEncryptedBackup(Scratch scratch) throws IOException {
        WalJ walj = WalJ.install(scratch);
        String passphrase = "backup key passphrase";
        Path passFile = scratch.file("secrets/passphrase");
        Files.writeString(passFile, passphrase + "\n", StandardCharsets.UTF_8);
        scratch.user().own(passFile);
        try (GnuPg gpg = GnuPg.create(scratch, "gnupg")) {
            String fpr = gpg.generate("Backups <backups@example.org>", "rsa3072", "rsa3072", passphrase);
            Map<String, String> env = new LinkedHashMap<>(walj.env());
            Path archive = scratch.archive("archive");
            env.put("WALE_FILE_PREFIX", "file://localhost" + archive);
            env.put("WALE_GPG_KEY_ID", fpr.substring(24));
            env.put("GNUPGHOME", gpg.home().toString());
            env.put("WALJ_GPG_PASSPHRASE_FILE", passFile.toString());
            roundTrip(scratch, walj, env);

            // every partition is OpenPGP around lzop, as WAL-E writes it: the real gpg and lzop read it back
            Path lzop = Tools.require("lzop", "lzop");
            List<Path> parts;
            try (var s = Files.walk(archive.resolve("basebackups_005"))) {
                parts = s.filter(p -> p.getFileName().toString().matches("part_\\d{8}\\.tar\\.lzo")).toList();
            }
            assertTrue(parts.size() >= 2, "data partitions and the final backup_label partition: " + parts);
            for (Path part : parts) {
                ProcessResult listed = gpg.shell("gpg --batch -q --pinentry-mode loopback --passphrase-file '"
                        + passFile + "' -d '" + part + "' | " + lzop + " -dc | tar -t");
                assertEquals(0, listed.exitCode(), listed.describe());
            }

            // the integrity manifest is encrypted like the partitions (it names every file), and backup-verify
            // decrypts and checks the whole backup
            List<Path> manifests;
            try (var s = Files.walk(archive.resolve("basebackups_005"))) {
                manifests = s.filter(p -> p.getFileName().toString().equals("walj_manifest.jsonl.lzo")).toList();
            }
            assertEquals(1, manifests.size(), manifests.toString());
            assertTrue(!new String(Files.readAllBytes(manifests.get(0)), StandardCharsets.ISO_8859_1)
                    .contains("pg_control"), "no file name in clear");
            ProcessResult manifestText = gpg.shell("gpg --batch -q --pinentry-mode loopback --passphrase-file '"
                    + passFile + "' -d '" + manifests.get(0) + "' | " + lzop + " -dc");
            assertEquals(0, manifestText.exitCode(), manifestText.describe());
            assertTrue(manifestText.stdout().contains("\"name\": \"global/pg_control\""), manifestText.describe());
            walj.run(env, "backup-verify", "LATEST").requireSuccess();

            // and the other way: partitions re-encrypted by WAL-E's own pipeline (gpg -e -z 0 -r KEY) restore
            // to exactly the same files
            Path before = scratch.root().resolve("fetched-ours");
            walj.run(env, "backup-fetch", before.toString(), "LATEST").requireSuccess();
            for (Path part : parts) {
                ProcessResult reencrypted = gpg.shell("gpg --batch -q --pinentry-mode loopback --passphrase-file '"
                        + passFile + "' -d '" + part + "' | " + lzop + " -dc | " + lzop + " -c | gpg --batch -q "
                        + "--trust-model always -e -z 0 -r '" + fpr + "' > '" + part + ".new' && mv '" + part
                        + ".new' '" + part + "'");
                assertEquals(0, reencrypted.exitCode(), reencrypted.describe());
            }
            Path after = scratch.root().resolve("fetched-walE");
            walj.run(env, "backup-fetch", after.toString(), "LATEST").requireSuccess();
            ProcessResult diff = Exec.of("diff", "-r", "--no-dereference", before.toString(), after.toString()).run();
            assertEquals(0, diff.exitCode(), "gpg-encrypted partitions restore identically\n" + diff.describe());
        }
    }

    private static void roundTrip(Scratch scratch, WalJ walj, Map<String, String> env) throws IOException {
        PgCluster source = ArchivingCluster.initdb(scratch, walj, "src", env)
                .configure(ArchivingCluster.SHORT_CHECKPOINTS);
        source.start();
        source.pgbench(Duration.ofMinutes(2), "-i", "-s", "3", "-q");
        source.psql("CREATE TABLE marker (id int PRIMARY KEY, note text NOT NULL);"
                + "INSERT INTO marker SELECT g, 'before backup' FROM generate_series(1, 1000) g");

        Map<String, String> pgEnv = new LinkedHashMap<>(env);
        pgEnv.putAll(source.clientEnv());
        ProcessResult pushed;
        try (PgbenchLoad load = source.pgbenchInBackground(Duration.ofMinutes(2), "-T", "8", "-c", "2", "-j", "2")) {
            long pushStarts = load.awaitProgress(Duration.ofMinutes(1)).operationStarts();
            pushed = walj.run(pgEnv, Duration.ofMinutes(3), "backup-push", "--pool-size", "2",
                    source.dataDir().toString()).requireSuccess();
            load.assertOverlapped(pushStarts, Duration.ofSeconds(1), "backup-push");
            load.finish();
        }

        String listing = walj.run(env, "backup-list", "--detail", "LATEST").requireSuccess().stdout();
        String[] rows = listing.split("\r\n");
        assertEquals(2, rows.length, listing);
        String[] cols = rows[1].split("\t", -1);
        assertEquals(9, cols.length, "WAL-E's seven columns and wal-j's two WAL coverage columns: " + listing);
        assertEquals("complete", cols[7], listing);
        assertTrue(cols[0].matches("base_[0-9A-F]{24}_\\d{8}"), listing);
        assertTrue(Long.parseLong(cols[2]) > 40_000_000L, "expanded size of a scale-3 cluster: " + listing);
        assertTrue(pushed.stderr().contains(cols[0]), "backup-push named the listed backup\n" + pushed.stderr());

        source.psql("INSERT INTO marker SELECT g, 'after backup, before T' FROM generate_series(1001, 2000) g;"
                + "UPDATE marker SET note = 'updated before T' WHERE id % 7 = 0");
        String targetTime = source.psql("SELECT clock_timestamp()");
        Path atT = scratch.file("dumps/marker-at-T.tsv");
        source.dumpTable("marker", atT);
        source.psql("SELECT pg_sleep(0.1); INSERT INTO marker SELECT g, 'after T' FROM generate_series(2001, 3000) g;"
                + "DELETE FROM marker WHERE id % 5 = 0");
        source.pgbench(Duration.ofMinutes(1), "-t", "300", "-c", "2");
        Path finalMarker = scratch.file("dumps/marker-final.tsv");
        Path finalAccounts = scratch.file("dumps/accounts-final.tsv");
        Path finalHistory = scratch.file("dumps/history-final.tsv");
        source.dumpTable("marker", finalMarker);
        source.dumpTable("pgbench_accounts", finalAccounts);
        source.dumpTable("pgbench_history", finalHistory);
        source.waitArchived(source.switchWal(), Duration.ofMinutes(1));
        assertNotEquals(Files.readString(atT), Files.readString(finalMarker), "T separates two different states");

        PgCluster pitr = PgCluster.unfilled(scratch, "pitr");
        walj.run(env, "backup-fetch", "--pool-size", "2", pitr.dataDir().toString(), "LATEST").requireSuccess();
        pitr.adoptConfigurationOf(source).recoverWith(walj.shellCommand("wal-fetch", "%f", "%p"),
                Map.of("recovery_target_time", targetTime, "recovery_target_action", "promote"),
                env, Duration.ofMinutes(2));
        Path pitrMarker = scratch.file("dumps/marker-pitr.tsv");
        pitr.dumpTable("marker", pitrMarker);
        Compare.assertSameLines(atT, pitrMarker, "marker table recovered to T");
        pitr.stop();

        source.stop();
        PgCluster full = PgCluster.unfilled(scratch, "full");
        walj.run(env, "backup-fetch", full.dataDir().toString(), cols[0]).requireSuccess();
        full.adoptConfigurationOf(source).recoverWith(walj.shellCommand("wal-fetch", "%f", "%p"),
                env, Duration.ofMinutes(2));
        for (Map.Entry<String, Path> t : Map.of("marker", finalMarker, "pgbench_accounts", finalAccounts,
                "pgbench_history", finalHistory).entrySet()) {
            Path got = scratch.file("dumps/full-" + t.getKey() + ".tsv");
            full.dumpTable(t.getKey(), got);
            Compare.assertSameLines(t.getValue(), got, t.getKey() + " recovered to the end of the archive");
        }
        full.stop();
    }

}
