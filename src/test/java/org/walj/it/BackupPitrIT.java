package org.walj.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.walj.it.harness.Exec;
import org.walj.it.harness.GnuPg;
import org.walj.it.harness.PitrRoundTrip;
import org.walj.it.harness.ProcessResult;
import org.walj.it.harness.Scratch;
import org.walj.it.harness.ScratchExtension;
import org.walj.it.harness.Tools;
import org.walj.it.harness.WalJ;

/**
 * The whole mission ({@link PitrRoundTrip}) into a file archive: once as plain LZO, once GPG-encrypted as WAL-E users
 * run it. The same through Azure and Swift is {@code BackupPitrObjectStoreIT} (a class of its own, so that the two
 * test JVMs share the slowest scenarios).
 */
@ExtendWith(ScratchExtension.class)
class BackupPitrIT {

    @Test
    void pointInTimeRecoveryFromOurOwnBackup(Scratch scratch) throws IOException {
        WalJ walj = WalJ.install(scratch);
        Map<String, String> env = new LinkedHashMap<>(walj.env());
        env.put("WALE_FILE_PREFIX", "file://localhost" + scratch.archive("archive"));
        PitrRoundTrip.run(scratch, walj, env);
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
            PitrRoundTrip.run(scratch, walj, env);

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
}
