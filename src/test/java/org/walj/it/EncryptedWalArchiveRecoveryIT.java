package org.walj.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.walj.it.harness.ArchivingCluster;
import org.walj.it.harness.Compare;
import org.walj.it.harness.GnuPg;
import org.walj.it.harness.PgCluster;
import org.walj.it.harness.RestoreAndCompare;
import org.walj.it.harness.Scratch;
import org.walj.it.harness.ScratchExtension;
import org.walj.it.harness.SourceState;
import org.walj.it.harness.Tools;
import org.walj.it.harness.WalJ;

/**
 * The WAL path end to end with encryption on, as WAL-E users run it: {@code WALE_GPG_KEY_ID} in the server's
 * environment, the GnuPG home owned by the {@code postgres} OS user, a passphrase-protected key with the
 * passphrase in a file (ed25519/cv25519: generating an RSA-3072 pair costs the agent seconds of CPU, and RSA keys,
 * passphrase files included, are GpgEncryptionIT's and BackupPitrIT's). Every archived object must decrypt with the real {@code gpg -d} and decompress with
 * {@code lzop -d} to the segment's bytes, and a base backup recovered through {@code wal-j wal-fetch} must
 * match the source row for row.
 */
@ExtendWith(ScratchExtension.class)
class EncryptedWalArchiveRecoveryIT {
    private static final List<String> TABLES = List.of("pgbench_accounts", "pgbench_branches", "pgbench_tellers",
            "pgbench_history", "after_backup");

    @Test
    void encryptedArchiveRecoversRowForRowAndEveryObjectDecryptsWithGpg(Scratch scratch) throws IOException {
        Tools.require("lzop", "lzop");
        WalJ walj = WalJ.install(scratch);
        Path archive = scratch.archive("archive");
        String passphrase = "postgres archive key";
        Path passFile = scratch.file("secrets/passphrase");
        Files.writeString(passFile, passphrase + "\n", StandardCharsets.UTF_8);
        scratch.user().own(passFile);
        try (GnuPg gpg = GnuPg.create(scratch, "gnupg")) {
            String fpr = gpg.generate("Archive <archive@example.org>", "ed25519", "cv25519", passphrase);
            Map<String, String> walEnv = walj.fileArchiveEnv(archive);
            walEnv.put("WALE_GPG_KEY_ID", fpr.substring(24));
            walEnv.put("GNUPGHOME", gpg.home().toString());
            walEnv.put("WALJ_GPG_PASSPHRASE_FILE", passFile.toString());

            PgCluster source = ArchivingCluster.initdb(scratch, walj, "src", walEnv);
            source.start();
            source.pgbench(Duration.ofMinutes(2), "-i", "-s", "3", "-q");
            source.waitArchived(source.switchWal(), Duration.ofMinutes(1));
            PgCluster restored = source.baseBackup("restored");

            source.psql("CREATE TABLE after_backup (id bigint PRIMARY KEY, payload text NOT NULL);"
                    + "INSERT INTO after_backup SELECT g, repeat(md5(g::text), 3) FROM generate_series(1, 4000) g;");
            source.pgbench(Duration.ofMinutes(1), "-T", "3", "-c", "2", "-j", "2");
            String lastSegment = source.switchWal();
            String endOfWrites = source.currentWalLsn();
            source.waitArchived(lastSegment, Duration.ofMinutes(2));
            assertEquals(0, source.archiverStats().failedCount(), "archive_command never failed");
            SourceState expected = new SourceState(endOfWrites,
                    source.dumpTables(TABLES, scratch.dir("dumps/src")));
            source.stop();

            // every object: gpg -d | lzop -d gives back the segment PostgreSQL handed over
            List<Path> objects;
            try (Stream<Path> s = Files.list(archive.resolve("wal_005"))) {
                objects = s.sorted().toList();
            }
            int compared = 0;
            Path out = scratch.file("gpg-out/plain");
            for (Path object : objects) {
                String name = object.getFileName().toString();
                String basename = name.substring(0, name.length() - ".lzo".length());
                Files.deleteIfExists(out);
                gpg.shell(gpg.command() + " --pinentry-mode loopback --passphrase-file " + passFile + " -q -d "
                        + object + " | lzop -d -c > " + out);
                Path original = source.pgWal().resolve(basename);
                if (Files.isRegularFile(original)) {
                    Compare.assertSameBytes(original, out, "gpg -d | lzop -d of " + name);
                    compared++;
                }
            }
            assertTrue(compared > 0, "at least one archived segment still in pg_wal was compared; objects: "
                    + objects);

            RestoreAndCompare.throughWalFetch(restored, walj, walEnv, Duration.ofMinutes(3), expected, "encrypted");
        }
    }
}
