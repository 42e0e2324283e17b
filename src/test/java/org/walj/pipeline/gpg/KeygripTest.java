package org.walj.pipeline.gpg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our RSA keygrip names the file GnuPG wrote in {@code private-keys-v1.d} (Bouncy Castle 1.86's own does not), for
 * a key the real gpg made; and the key is found in {@code pubring.kbx} by the ids gpg prints.
 */
class KeygripTest {

    @Test
    void rsaKeygripMatchesGnuPgAndTheKeyFileExists(@TempDir Path tmp) throws Exception {
        Path home = Files.createDirectory(tmp.resolve("gnupg"));
        try {
            gpg(home, "--passphrase", "", "--quick-gen-key", "Grip <grip@example.org>", "rsa2048", "cert,encr",
                    "never");
            String colons = gpg(home, "--with-colons", "--with-keygrip", "--list-keys", "grip@example.org");
            String fpr = null;
            String grip = null;
            for (String line : colons.split("\n")) {
                String[] f = line.split(":");
                if (f[0].equals("fpr") && fpr == null) {
                    fpr = f[9];
                } else if (f[0].equals("grp") && grip == null) {
                    grip = f[9];
                }
            }
            GpgSettings settings = new GpgSettings(fpr, home, Optional.empty(), Optional.empty(), Passphrase.none());
            PGPPublicKey key = PublicKeys.load(settings).recipient(KeySpec.parse("grip@example.org"));
            assertEquals(fpr.substring(24), String.format("%016X", key.getKeyID()));
            assertEquals(grip, Keygrip.of(key).orElseThrow());
            assertTrue(Files.exists(home.resolve("private-keys-v1.d").resolve(grip + ".key")));
            assertTrue(new SecretKeys(settings, PublicKeys.load(settings)).find(key.getKeyID())
                    instanceof SecretKeys.Usable, "the unprotected key file is read in process");
        } finally {
            new ProcessBuilder("gpgconf", "--homedir", home.toString(), "--kill", "all").start().waitFor();
        }
    }

    private static String gpg(Path home, String... args) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of("/usr/bin/gpg"))) {
            fail("/usr/bin/gpg is missing: install it (apt-get install gnupg)");
        }
        List<String> argv = new ArrayList<>(List.of("/usr/bin/gpg", "--homedir", home.toString(), "--batch",
                "--pinentry-mode", "loopback"));
        argv.addAll(List.of(args));
        Path out = Files.createTempFile("gpg", ".out");
        Process p = new ProcessBuilder(argv).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            fail("gpg " + String.join(" ", args) + " failed");
        }
        String text = Files.readString(out, StandardCharsets.UTF_8);
        Files.delete(out);
        return text;
    }
}
