package org.walj.pipeline.gpg;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the keys for {@code --gpg-key-id} come from. Explicit key files, when given, replace the GnuPG home for that
 * kind of key (public or secret): a host without a keyring needs nothing else, and a stray keyring cannot be used
 * by surprise.
 *
 * @param keyId         the recipient as the user wrote it: short or long key id, fingerprint, or user id
 * @param home          the GnuPG home ({@code GNUPGHOME}, else {@code ~/.gnupg}); also what the gpg fallback uses
 * @param publicKeyFile armored or binary public key(s), instead of the home's pubring
 * @param secretKeyFile armored or binary secret key(s), instead of the home's private-keys-v1.d / secring.gpg
 * @param passphrase    for passphrase-protected secret keys
 */
public record GpgSettings(String keyId, Path home, Optional<Path> publicKeyFile, Optional<Path> secretKeyFile,
                          Passphrase passphrase) {
    /** Environment variable: an armored or binary public key file to encrypt to, instead of the GnuPG home. */
    public static final String PUBLIC_KEY_FILE = "WALJ_GPG_PUBLIC_KEY_FILE";
    /** Environment variable: an armored or binary secret key file to decrypt with, instead of the GnuPG home. */
    public static final String SECRET_KEY_FILE = "WALJ_GPG_SECRET_KEY_FILE";

    public GpgSettings {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(publicKeyFile, "publicKeyFile");
        Objects.requireNonNull(secretKeyFile, "secretKeyFile");
        Objects.requireNonNull(passphrase, "passphrase");
    }
}
