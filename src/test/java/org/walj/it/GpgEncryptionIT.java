package org.walj.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.walj.it.harness.Compare;
import org.walj.it.harness.GnuPg;
import org.walj.it.harness.ProcessResult;
import org.walj.it.harness.Scratch;
import org.walj.it.harness.ScratchExtension;
import org.walj.it.harness.WalJ;

/**
 * Encryption against the real {@code gpg} binary with throwaway keys made here: what wal-j pushes with a key id
 * decrypts with {@code gpg -d | lzop -d}, what WAL-E's {@code lzop -c | gpg -e -z 0 -r KEY} wrote restores with
 * wal-j, and every failure (wrong or missing passphrase, no secret key, unknown key, damaged object) is one
 * line, a non-zero exit and no file at the destination. Everything runs through the launcher and shaded jar.
 */
@ExtendWith(ScratchExtension.class)
class GpgEncryptionIT {
    private static final String SEGMENT = "0000000100000000000000A1";
    private static final String FROM_GPG = "0000000100000000000000A2";
    private static final String DAMAGED = "0000000100000000000000A3";
    private static final String PLAIN = "0000000100000000000000A4";

    @Test
    void rsa4096KeyWithPassphraseFromPubringKbxAndPrivateKeysV1d(Scratch scratch) throws IOException {
        WalJ walj = WalJ.install(scratch);
        Path archive = scratch.archive("archive");
        String passphrase = "correct horse battery 7";
        Path passFile = writeOwned(scratch, "secrets/passphrase", passphrase + "\n");
        try (GnuPg gpg = GnuPg.create(scratch, "gnupg")) {
            String fpr = gpg.generate("Alice <alice@example.org>", "rsa4096", "rsa4096", passphrase);
            Path segment = segment(scratch, SEGMENT);
            Map<String, String> env = env(gpg, archive, "alice@example.org");

            // ours -> gpg: the object is what gpg -e -z 0 writes in kind, and gpg -d | lzop -d gives the segment back
            walj.run(env, "wal-push", segment.toString()).requireSuccess();
            Path object = walObject(archive, SEGMENT);
            String packets = gpg.run(List.of("--pinentry-mode", "loopback", "--passphrase-file", passFile.toString(),
                    "--list-packets", object.toString())).stdout();
            assertTrue(packets.contains(":pubkey enc packet: version 3, algo 1, keyid "
                    + gpg.encryptionSubkeyId(fpr)), "a PKESK to the encryption subkey\n" + packets);
            assertTrue(packets.contains(":encrypted data packet:") && packets.contains("mdc_method: 2"),
                    "a SEIPD packet with MDC\n" + packets);
            assertTrue(packets.contains(":literal data packet:") && packets.contains("mode b"),
                    "a binary literal packet\n" + packets);
            assertFalse(packets.contains(":compressed packet:"), "no compression packet (-z 0)\n" + packets);
            Path decrypted = scratch.file("out/gpg-decrypted");
            gpg.shell(gpg.command() + " --pinentry-mode loopback --passphrase-file " + passFile + " -q -d " + object
                    + " | lzop -d -c > " + decrypted);
            Compare.assertSameBytes(segment, decrypted, "gpg -d | lzop -d of what wal-push stored");

            // the key named by short id, long id and fingerprint too
            for (String id : List.of(fpr.substring(32), fpr.substring(24), fpr)) {
                walj.run(env(gpg, archive, id), "--terse", "wal-push", segment.toString()).requireSuccess();
            }

            // gpg -> ours: WAL-E's pipeline, restored byte for byte
            storeLikeWalE(gpg, segment, walObject(archive, FROM_GPG), fpr);
            Path restoreDir = scratch.dir("restore");
            Map<String, String> fetchEnv = new LinkedHashMap<>(env);
            fetchEnv.put("WALJ_GPG_PASSPHRASE_FILE", passFile.toString());
            for (String name : List.of(SEGMENT, FROM_GPG)) {
                Path dest = restoreDir.resolve(name);
                walj.run(fetchEnv, "wal-fetch", "--prefetch", "0", name, dest.toString()).requireSuccess();
                Compare.assertSameBytes(segment, dest, "wal-fetch of " + name);
            }

            // gpg without -z 0 adds a compression packet (ZLIB) inside: read too
            String compressed = "0000000100000000000000A5";
            gpg.shell("lzop -c < " + segment + " | " + gpg.command() + " -e -r " + fpr + " --trust-model always > "
                    + walObject(archive, compressed));
            assertTrue(gpg.run(List.of("--pinentry-mode", "loopback", "--passphrase-file", passFile.toString(),
                    "--list-packets", walObject(archive, compressed).toString())).stdout()
                    .contains(":compressed packet:"), "gpg wrote a compression packet");
            Path compressedDest = restoreDir.resolve(compressed);
            walj.run(fetchEnv, "wal-fetch", "--prefetch", "0", compressed, compressedDest.toString()).requireSuccess();
            Compare.assertSameBytes(segment, compressedDest, "wal-fetch of gpg -e output with compression");

            // wrong passphrase: one line naming it, exit 200, no file, the passphrases never printed. An RSA key
            // file is read by Bouncy Castle (ExtendedKeyFile rewrites the quoted binary values it cannot read), never
            // by the gpg binary, whose agent would have cached the right passphrase
            Map<String, String> wrong = new LinkedHashMap<>(env);
            wrong.put("WALJ_GPG_PASSPHRASE", "not-the-passphrase-42");
            assertFalse(walj.run(fetchEnv, "wal-fetch", "--prefetch", "0", FROM_GPG,
                    restoreDir.resolve("probe").toString()).requireSuccess().stderr()
                    .contains("decrypting with the gpg binary"), "an RSA key needs no gpg binary");
            ProcessResult r = fetchFails(walj, wrong, FROM_GPG, restoreDir, "wrong passphrase for the secret key");
            assertFalse(r.stderr().contains("not-the-passphrase-42") || r.stderr().contains(passphrase),
                    "no passphrase in the log\n" + r.stderr());

            // protected key and no passphrase configured
            fetchFails(walj, env, FROM_GPG, restoreDir, "is passphrase-protected and no passphrase is configured");

            // a flipped byte in the middle of the ciphertext: the restore fails, nothing at the destination
            flipCopy(walObject(archive, FROM_GPG), walObject(archive, DAMAGED), 0.5, scratch);
            fetchFails(walj, fetchEnv, DAMAGED, restoreDir, "corrupt");
            // ... and in the MDC itself, after all the data: only the integrity check can catch it
            flipCopy(walObject(archive, FROM_GPG), walObject(archive, DAMAGED), -5, scratch);
            fetchFails(walj, fetchEnv, DAMAGED, restoreDir, "encrypted object failed its integrity check");

            // encrypted, and no key configured
            Map<String, String> noKey = new LinkedHashMap<>(env);
            noKey.remove("WALE_GPG_KEY_ID");
            fetchFails(walj, noKey, SEGMENT, restoreDir, "PGP-encrypted but no GPG key is configured");

            // not encrypted although a key is configured: refused, as WAL-E's gpg -d refuses it
            walj.run(noKey, "--terse", "wal-push", segment(scratch, PLAIN).toString()).requireSuccess();
            fetchFails(walj, fetchEnv, PLAIN, restoreDir,
                    "object is not an OpenPGP-encrypted message although a GPG key is configured");

            // a key id that is in no keyring: wal-push fails naming the files it searched
            ProcessResult unknown = walj.run(env(gpg, archive, "nobody@example.org"), "wal-push",
                    segment.toString());
            assertEquals(1, unknown.exitCode(), unknown.describe());
            assertTrue(unknown.stderr().contains("GPG key \"nobody@example.org\" not found: searched "
                    + gpg.home().resolve("pubring.kbx")), unknown.stderr());
            assertOneErrorNoTrace(unknown);
        }
    }

    @Test
    void ed25519Cv25519KeyDecryptsThroughTheGpgBinaryWithALogLine(Scratch scratch) throws IOException {
        WalJ walj = WalJ.install(scratch);
        Path archive = scratch.archive("archive");
        String passphrase = "cv25519 pass";
        try (GnuPg gpg = GnuPg.create(scratch, "gnupg")) {
            String fpr = gpg.generate("Bob <bob@example.org>", "ed25519", "cv25519", passphrase);
            Path segment = segment(scratch, SEGMENT);
            Map<String, String> env = env(gpg, archive, fpr);
            env.put("WALJ_GPG_PASSPHRASE", passphrase);

            walj.run(env, "wal-push", segment.toString()).requireSuccess();
            // without the passphrase gpg lists the outer packets and then exits 2: the outer ones are what we check
            String packets = gpg.exec(List.of("--list-packets", walObject(archive, SEGMENT).toString())).run()
                    .stdout();
            assertTrue(packets.contains(":pubkey enc packet: version 3, algo 18, keyid "
                    + gpg.encryptionSubkeyId(fpr)), "a PKESK (ECDH) to the cv25519 subkey\n" + packets);
            Path decrypted = scratch.file("out/gpg-decrypted");
            gpg.shell("echo '" + passphrase + "' | " + gpg.command() + " --pinentry-mode loopback --passphrase-fd 0"
                    + " -q -d " + walObject(archive, SEGMENT) + " | lzop -d -c > " + decrypted);
            Compare.assertSameBytes(segment, decrypted, "gpg -d | lzop -d of what wal-push stored");

            storeLikeWalE(gpg, segment, walObject(archive, FROM_GPG), fpr);
            Path restoreDir = scratch.dir("restore");
            for (String name : List.of(SEGMENT, FROM_GPG)) {
                Path dest = restoreDir.resolve(name);
                ProcessResult r = walj.run(env, "wal-fetch", "--prefetch", "0", name, dest.toString())
                        .requireSuccess();
                assertTrue(r.stderr().contains("WARNING  MSG: decrypting with the gpg binary"),
                        "the fallback is logged\n" + r.stderr());
                assertFalse(r.stderr().contains(passphrase), "no passphrase in the log\n" + r.stderr());
                Compare.assertSameBytes(segment, dest, "wal-fetch of " + name);
            }

            // damage near the end (inside the MDC): gpg reports it only after writing the plaintext
            flipCopy(walObject(archive, FROM_GPG), walObject(archive, DAMAGED), -5, scratch);
            fetchFails(walj, env, DAMAGED, restoreDir, "encrypted message has been manipulated");
            // gpg-agent caches a passphrase once used (10 min by default): a wrong one only fails after it forgot
            gpg.close();
            Map<String, String> wrong = new LinkedHashMap<>(env);
            wrong.put("WALJ_GPG_PASSPHRASE", "wrong-cv-pass");
            fetchFails(walj, wrong, FROM_GPG, restoreDir, "gpg -d failed");
        }
    }

    @Test
    void explicitKeyFilesWithoutAKeyringAndAMissingSecretKey(Scratch scratch) throws IOException {
        WalJ walj = WalJ.install(scratch);
        Path archive = scratch.archive("archive");
        String passphrase = "file pass";
        try (GnuPg owner = GnuPg.create(scratch, "owner"); GnuPg publicOnly = GnuPg.create(scratch, "public-only")) {
            String fpr = owner.generate("Carol <carol@example.org>", "rsa3072", "rsa3072", passphrase);
            Path pub = scratch.file("keys/public.asc");
            Path sec = scratch.file("keys/secret.gpg");
            owner.shell(owner.command() + " --armor --export " + fpr + " > " + pub);
            owner.shell(owner.command() + " --pinentry-mode loopback --passphrase '" + passphrase
                    + "' --export-secret-keys " + fpr + " > " + sec);
            Path segment = segment(scratch, SEGMENT);
            Path emptyHome = scratch.dir("empty-home");

            Map<String, String> env = walj.fileArchiveEnv(archive);
            env.put("WALE_GPG_KEY_ID", "carol");
            env.put("GNUPGHOME", emptyHome.toString());
            env.put("WALJ_GPG_PUBLIC_KEY_FILE", pub.toString());
            walj.run(env, "wal-push", segment.toString()).requireSuccess();
            Path decrypted = scratch.file("out/gpg-decrypted");
            owner.shell(owner.command() + " --pinentry-mode loopback --passphrase '" + passphrase + "' -q -d "
                    + walObject(archive, SEGMENT) + " | lzop -d -c > " + decrypted);
            Compare.assertSameBytes(segment, decrypted, "gpg -d | lzop -d of what wal-push stored");

            storeLikeWalE(owner, segment, walObject(archive, FROM_GPG), fpr);
            Map<String, String> fetchEnv = new LinkedHashMap<>(env);
            fetchEnv.remove("WALJ_GPG_PUBLIC_KEY_FILE");
            fetchEnv.put("WALJ_GPG_SECRET_KEY_FILE", sec.toString());
            fetchEnv.put("WALJ_GPG_PASSPHRASE", passphrase);
            Path restoreDir = scratch.dir("restore");
            for (String name : List.of(SEGMENT, FROM_GPG)) {
                Path dest = restoreDir.resolve(name);
                walj.run(fetchEnv, "wal-fetch", "--prefetch", "0", name, dest.toString()).requireSuccess();
                Compare.assertSameBytes(segment, dest, "wal-fetch with the secret key file of " + name);
            }

            // a legacy home (GnuPG 1.4/2.0): pubring.gpg and secring.gpg, no keybox, no private-keys-v1.d
            try (GnuPg legacy = GnuPg.create(scratch, "legacy")) {
                owner.shell(owner.command() + " --export " + fpr + " > " + legacy.home().resolve("pubring.gpg"));
                owner.shell("cp " + sec + " " + legacy.home().resolve("secring.gpg"));
                Map<String, String> legacyEnv = walj.fileArchiveEnv(archive);
                legacyEnv.put("WALE_GPG_KEY_ID", "Carol <carol@example.org>");
                legacyEnv.put("GNUPGHOME", legacy.home().toString());
                legacyEnv.put("WALJ_GPG_PASSPHRASE", passphrase);
                walj.run(legacyEnv, "--terse", "wal-push", segment.toString()).requireSuccess();
                Path dest = restoreDir.resolve("legacy-" + SEGMENT);
                walj.run(legacyEnv, "wal-fetch", "--prefetch", "0", SEGMENT, dest.toString()).requireSuccess();
                Compare.assertSameBytes(segment, dest, "wal-fetch with pubring.gpg and secring.gpg");
            }

            // a home holding only the public key (legacy pubring.gpg, as gpg 1.4 kept it): the fetch names that
            Path legacyRing = publicOnly.home().resolve("pubring.gpg");
            owner.shell(owner.command() + " --export " + fpr + " > " + legacyRing);
            Map<String, String> noSecret = walj.fileArchiveEnv(archive);
            noSecret.put("WALE_GPG_KEY_ID", fpr);
            noSecret.put("GNUPGHOME", publicOnly.home().toString());
            walj.run(noSecret, "--terse", "wal-push", segment.toString()).requireSuccess();
            fetchFails(walj, noSecret, FROM_GPG, restoreDir, "only its public key is present");
        }
    }

    @Test
    void bouncyCastleIsLoadedOnlyWhenAKeyIdIsConfigured(Scratch scratch) throws IOException {
        // one JVM per archived segment: without encryption, none of Bouncy Castle's classes may be loaded
        WalJ walj = WalJ.install(scratch);
        Path archive = scratch.archive("archive");
        Path segment = segment(scratch, SEGMENT);
        Path log = scratch.file("logs/plain-classes.log");
        Map<String, String> env = walj.fileArchiveEnv(archive);
        // the subject is the call's own JVM: a daemon started on demand would inherit JAVA_TOOL_OPTIONS and write its
        // class log to the same file (CI read the daemon's, without Bouncy Castle, for the keyed call)
        env.put("WALJ_DAEMON_AUTOSTART", "off");
        env.put("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + log);
        walj.run(env, "--terse", "wal-push", segment.toString()).requireSuccess();
        String plain = Files.readString(log);
        assertTrue(plain.contains("org.walj.cli.Main"), "the class log works\n" + plain.lines().limit(5).toList());
        assertFalse(plain.contains("org.bouncycastle"), "no Bouncy Castle class without a key id");

        Path keyedLog = scratch.file("logs/keyed-classes.log");
        env.put("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + keyedLog);
        env.put("WALE_GPG_KEY_ID", "nobody@example.org");
        env.put("GNUPGHOME", scratch.dir("empty-gnupg").toString());
        assertEquals(1, walj.run(env, "--terse", "wal-push", segment.toString()).exitCode());
        assertTrue(Files.readString(keyedLog).contains("org.bouncycastle"), "the check above can see BC classes");
    }

    // --- helpers

    private static Map<String, String> env(GnuPg gpg, Path archive, String keyId) {
        Map<String, String> env = new LinkedHashMap<>(gpg.env());
        env.put("WALE_FILE_PREFIX", "file://localhost" + archive);
        env.put("WALE_GPG_KEY_ID", keyId);
        return env;
    }

    private static Path walObject(Path archive, String name) {
        return archive.resolve("wal_005").resolve(name + ".lzo");
    }

    /** WAL-E's write pipeline for a WAL segment, stored under WAL-E's name. */
    private static void storeLikeWalE(GnuPg gpg, Path segment, Path object, String recipient) {
        gpg.shell("lzop -c < " + segment + " | " + gpg.command() + " -e -z 0 -r " + recipient
                + " --trust-model always > " + object);
    }

    /** wal-fetch must exit 200 with one error line containing {@code expected} and leave nothing behind. */
    private static ProcessResult fetchFails(WalJ walj, Map<String, String> env, String name, Path restoreDir,
                                            String expected) throws IOException {
        Path dest = restoreDir.resolve("failed-" + name);
        ProcessResult r = walj.run(env, "wal-fetch", "--prefetch", "0", name, dest.toString());
        assertEquals(200, r.exitCode(), "wal-fetch fails with 200\n" + r.describe());
        assertTrue(r.stderr().contains(expected), "the error names the cause (" + expected + ")\n" + r.stderr());
        assertOneErrorNoTrace(r);
        assertFalse(Files.exists(dest), "no file at the destination");
        try (var files = Files.list(restoreDir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().contains("wal-j-tmp")),
                    "no temporary file left in " + restoreDir);
        }
        return r;
    }

    private static void assertOneErrorNoTrace(ProcessResult r) {
        long errors = r.stderr().lines().filter(l -> l.contains(" ERROR ") || l.contains("ERROR    MSG:")).count();
        assertEquals(1, errors, "exactly one error record\n" + r.stderr());
        assertFalse(r.stderr().contains("Exception") || r.stderr().contains("\tat "), "no stack trace\n"
                + r.stderr());
    }

    /** Copies {@code from} with one bit flipped at a fraction of its length (negative: bytes from the end). */
    private static void flipCopy(Path from, Path to, double where, Scratch scratch) throws IOException {
        byte[] bytes = Files.readAllBytes(from);
        int offset = where < 0 ? bytes.length + (int) where : (int) (bytes.length * where);
        bytes[offset] ^= 0x01;
        Files.write(to, bytes);
        scratch.user().own(to);
    }

    /** A segment-sized file, part random, part compressible, readable by the server user. */
    private static Path segment(Scratch scratch, String name) throws IOException {
        byte[] bytes = new byte[16 * 1024 * 1024];
        Random random = new Random(7);
        for (int i = 0; i < bytes.length; i += 8192) {
            if ((i / 8192) % 4 == 0) {
                byte[] block = new byte[8192];
                random.nextBytes(block);
                System.arraycopy(block, 0, bytes, i, block.length);
            } else {
                bytes[i] = (byte) (i >> 13);
            }
        }
        Path file = scratch.dir("pg_wal").resolve(name);
        Files.write(file, bytes);
        scratch.user().own(file);
        return file;
    }

    private static Path writeOwned(Scratch scratch, String relative, String content) throws IOException {
        Path file = scratch.file(relative);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        scratch.user().own(file);
        return file;
    }
}
