package org.walj.it;

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
import org.walj.it.harness.AzureStore;
import org.walj.it.harness.GnuPg;
import org.walj.it.harness.PitrRoundTrip;
import org.walj.it.harness.Scratch;
import org.walj.it.harness.ScratchExtension;
import org.walj.it.harness.SwiftStore;
import org.walj.it.harness.WalJ;

/**
 * The whole mission ({@link PitrRoundTrip}) through object stores that run as separate processes: Azure (Azurite)
 * and Swift (Debian's servers), GPG-encrypted on Swift. The file archive's runs are {@code BackupPitrIT}.
 */
@ExtendWith(ScratchExtension.class)
class BackupPitrObjectStoreIT {

    /** The same through wabs:// to Azurite (a separate process): backup-push, backup-fetch and WAL via Azure. */
    @Test
    void pointInTimeRecoveryThroughAzureBlobStorage(Scratch scratch) throws IOException {
        try (AzureStore store = AzureStore.start()) {
            WalJ walj = WalJ.install(scratch);
            Map<String, String> env = new LinkedHashMap<>(walj.env());
            String pathPrefix = "pitr-" + System.nanoTime() + "/";
            env.putAll(store.archiveEnv(pathPrefix));
            PitrRoundTrip.run(scratch, walj, env);
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
            // ed25519/cv25519: made in milliseconds where RSA keys take seconds; BackupPitrIT's encrypted run uses RSA
            String fpr = gpg.generate("Backups <backups@example.org>", "ed25519", "cv25519", passphrase);
            WalJ walj = WalJ.install(scratch);
            Map<String, String> env = new LinkedHashMap<>(walj.env());
            String pathPrefix = "pitr-" + System.nanoTime() + "/";
            env.putAll(store.archiveEnv(pathPrefix));
            env.put("WALJ_SWIFT_SEGMENT_SIZE_MIB", "1");
            env.put("WALE_GPG_KEY_ID", fpr.substring(24));
            env.put("GNUPGHOME", gpg.home().toString());
            env.put("WALJ_GPG_PASSPHRASE_FILE", passFile.toString());
            PitrRoundTrip.run(scratch, walj, env);
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
}
