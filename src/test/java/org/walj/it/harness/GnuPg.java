package org.walj.it.harness;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A throwaway GnuPG home made by a test, owned by the server user (who runs wal-j and PostgreSQL), and the real
 * {@code gpg} binary run in it. Keys are generated with {@code --quick-gen-key}; {@link #close()} stops the
 * gpg-agent the home started.
 */
public final class GnuPg implements AutoCloseable {
    private final Path home;
    private final ServerUser user;
    private final Path gpg;

    private GnuPg(Path home, ServerUser user, Path gpg) {
        this.home = home;
        this.user = user;
        this.gpg = gpg;
    }

    /** A new, empty home {@code <scratch>/<name>}, mode 0700 as gpg wants it. */
    public static GnuPg create(Scratch scratch, String name) {
        Path gpg = Tools.require("gpg", "gnupg");
        Tools.require("gpgconf", "gnupg");
        return new GnuPg(scratch.dir(name), scratch.user(), gpg);
    }

    public Path home() {
        return home;
    }

    /** {@code GNUPGHOME} for wal-j. */
    public Map<String, String> env() {
        return Map.of("GNUPGHOME", home.toString());
    }

    /**
     * A primary key that only certifies plus an encryption subkey, as {@code gpg --full-gen-key} makes them;
     * returns the primary key's fingerprint. An empty passphrase makes an unprotected key.
     */
    public String generate(String userId, String primaryAlgo, String encryptionAlgo, String passphrase) {
        run(withPassphrase(passphrase, "--quick-gen-key", userId, primaryAlgo, "cert", "never"));
        String fpr = fingerprint(userId);
        run(withPassphrase(passphrase, "--quick-add-key", fpr, encryptionAlgo, "encr", "never"));
        return fpr;
    }

    private static List<String> withPassphrase(String passphrase, String... args) {
        List<String> all = new ArrayList<>(List.of("--pinentry-mode", "loopback", "--passphrase", passphrase));
        all.addAll(List.of(args));
        return all;
    }

    public String fingerprint(String userId) {
        for (String line : run(List.of("--with-colons", "--list-keys", userId)).stdout().split("\n")) {
            if (line.startsWith("fpr:")) {
                return line.split(":")[9];
            }
        }
        throw new AssertionError("no fingerprint for " + userId);
    }

    /** The long key id of the encryption subkey ({@code sub:} line with capability e). */
    public String encryptionSubkeyId(String userId) {
        for (String line : run(List.of("--with-colons", "--list-keys", userId)).stdout().split("\n")) {
            String[] f = line.split(":");
            if (f[0].equals("sub") && f[11].contains("e")) {
                return f[4];
            }
        }
        throw new AssertionError("no encryption subkey for " + userId);
    }

    /** Runs gpg in this home as the server user; fails the test unless it exits 0. */
    public ProcessResult run(List<String> args) {
        return exec(args).runOk();
    }

    public Exec exec(List<String> args) {
        List<String> argv = new ArrayList<>(List.of(gpg.toString(), "--homedir", home.toString(), "--batch",
                "--no-tty"));
        argv.addAll(args);
        return Exec.of(argv).as(user).env("GNUPGHOME", home.toString()).timeout(java.time.Duration.ofMinutes(2));
    }

    /** Runs a bash pipeline (pipefail: any stage failing fails it) as the server user with GNUPGHOME set to this home (for lzop | gpg pipes). */
    public ProcessResult shell(String script) {
        return Exec.of("bash", "-c", "set -o pipefail; " + script).as(user).env("GNUPGHOME", home.toString())
                .timeout(java.time.Duration.ofMinutes(2)).runOk();
    }

    /** {@code gpg} with the home, for shell scripts. */
    public String command() {
        return gpg + " --homedir " + home + " --batch --no-tty";
    }

    @Override
    public void close() {
        Exec.of("gpgconf", "--homedir", home.toString(), "--kill", "all").as(user).run();
    }
}
