package org.walj.pipeline.gpg;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.gpg.PGPSecretKeyParser;
import org.bouncycastle.openpgp.OpenedPGPKeyData;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRingCollection;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPSecretKeyRingCollection;
import org.bouncycastle.openpgp.operator.PBEProtectionRemoverFactory;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyDecryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.jcajce.JcePBEProtectionRemoverFactory;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Finds the secret key for a recipient key id of an encrypted object: in the explicit secret key file, or in the
 * GnuPG home's {@code private-keys-v1.d/<keygrip>.key} (GnuPG 2.1+) and legacy {@code secring.gpg}.
 */
final class SecretKeys {
    /** S-expressions in key files nest a few levels; a bound keeps a hostile file from recursing deep. */
    private static final int MAX_DEPTH = 10;

    /** What looking for one key id found. */
    sealed interface Lookup permits Usable, NeedsGpg, Missing {
    }

    /** The private key, ready to decrypt. */
    record Usable(PGPPrivateKey key) implements Lookup {
    }

    /** The key is in the GnuPG home but Bouncy Castle cannot read its file: the gpg binary must decrypt. */
    record NeedsGpg(String reason) implements Lookup {
    }

    /** No secret key with this id: {@code searched} lists where we looked, {@code publicOnly} that its public half is known. */
    record Missing(String searched, boolean publicOnly) implements Lookup {
    }

    private final GpgSettings settings;
    private final PublicKeys publicKeys;

    SecretKeys(GpgSettings settings, PublicKeys publicKeys) {
        this.settings = settings;
        this.publicKeys = publicKeys;
    }

    Lookup find(long keyId) throws IOException {
        if (settings.secretKeyFile().isPresent()) {
            Path file = settings.secretKeyFile().get();
            Optional<PGPSecretKey> key = fromKeyRingFile(file, keyId, GpgSettings.SECRET_KEY_FILE);
            if (key.isPresent()) {
                return new Usable(extract(key.get()));
            }
            return new Missing(file.toString(), publicKeys.byKeyId(keyId).isPresent());
        }
        List<String> searched = new ArrayList<>();
        Optional<PGPPublicKey> publicKey = publicKeys.byKeyId(keyId);
        Path keysDir = settings.home().resolve("private-keys-v1.d");
        if (publicKey.isPresent()) {
            Optional<String> grip = Keygrip.of(publicKey.get());
            if (grip.isEmpty()) {
                if (Files.isDirectory(keysDir)) {
                    // BC 1.86 computes no keygrip for ECDH (cv25519) keys, and could not read their files anyway
                    return new NeedsGpg("Bouncy Castle cannot read " + algorithmName(publicKey.get())
                            + " secret keys from " + keysDir);
                }
                searched.add(keysDir.toString());
            } else {
                Path keyFile = keysDir.resolve(grip.get() + ".key");
                searched.add(keyFile.toString());
                if (Files.exists(keyFile)) {
                    return fromExtendedKeyFile(keyFile, publicKey.get());
                }
            }
        } else {
            searched.add(keysDir + " (needs the public key to find the file: searched " + publicKeys.searched() + ")");
        }
        Path secring = settings.home().resolve("secring.gpg");
        searched.add(secring.toString());
        if (Files.isReadable(secring) && Files.size(secring) > 0) {
            Optional<PGPSecretKey> key = fromKeyRingFile(secring, keyId, "secring.gpg");
            if (key.isPresent()) {
                return new Usable(extract(key.get()));
            }
        }
        return new Missing(String.join(", ", searched), publicKey.isPresent());
    }

    private static Optional<PGPSecretKey> fromKeyRingFile(Path file, long keyId, String what) throws IOException {
        PGPSecretKeyRingCollection rings;
        try (InputStream in = PGPUtil.getDecoderStream(Files.newInputStream(file))) {
            rings = new BcPGPSecretKeyRingCollection(in);
        } catch (PGPException | IOException | RuntimeException e) {
            throw new GpgKeyException("cannot read OpenPGP secret keys from " + file + " (" + what + "): "
                    + e.getMessage());
        }
        return Optional.ofNullable(rings.getSecretKey(keyId));
    }

    /** A secret key packet (key file or secring.gpg), unlocked with the passphrase when it is protected. */
    private PGPPrivateKey extract(PGPSecretKey key) throws IOException {
        String id = hexId(key.getKeyID());
        if (key.isPrivateKeyEmpty()) {
            throw new GpgKeyException("the secret key " + id + " is a stub (its secret part is on a smartcard or "
                    + "was not exported)");
        }
        try {
            if (key.getKeyEncryptionAlgorithm() == SymmetricKeyAlgorithmTags.NULL) {
                return key.extractPrivateKey(null);
            }
        } catch (PGPException e) {
            throw new GpgKeyException("cannot read the secret key " + id + ": " + e.getMessage());
        }
        char[] passphrase = requirePassphrase(id);
        try {
            return key.extractPrivateKey(
                    new BcPBESecretKeyDecryptorBuilder(new BcPGPDigestCalculatorProvider()).build(passphrase));
        } catch (PGPException | RuntimeException e) {
            throw wrongPassphrase(id, e);
        } finally {
            Arrays.fill(passphrase, '\0');
        }
    }

    /** A GnuPG 2.1+ key file (extended format or plain S-expression). */
    private Lookup fromExtendedKeyFile(Path file, PGPPublicKey publicKey) throws IOException {
        String id = hexId(publicKey.getKeyID());
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new GpgKeyException("cannot read the secret key file " + file + ": " + e.getClass().getSimpleName());
        }
        boolean isProtected = new String(content, StandardCharsets.ISO_8859_1).contains("protected-private-key");
        char[] passphrase = isProtected ? requirePassphrase(id) : new char[0];
        try {
            // GnuPG 2.2 protects key files with AES-OCB, which the JDK's providers lack: BC's provider supplies it,
            // as an instance, not registered JVM-wide (OpenJDK does not require JCE providers to be signed, so the
            // shaded jar's stripped signatures do not matter)
            PBEProtectionRemoverFactory remover = new JcePBEProtectionRemoverFactory(passphrase,
                    new BcPGPDigestCalculatorProvider()).setProvider(new BouncyCastleProvider());
            byte[] parseable = ExtendedKeyFile.withQuotedStringsAsHex(content).orElse(content);
            OpenedPGPKeyData data = PGPSecretKeyParser.parse(new ByteArrayInputStream(parseable), MAX_DEPTH);
            PGPSecretKey secret = data.getKeyData(publicKey, new BcPGPDigestCalculatorProvider(), remover,
                    new BcKeyFingerprintCalculator(), MAX_DEPTH);
            return new Usable(secret.extractPrivateKey(null));
        } catch (ClassCastException parserGap) {
            // a value ExtendedKeyFile could not turn into bytes (e.g. one GnuPG wrote as a bare token, which takes
            // a salt or IV of letters and digits only): the gpg binary reads those files
            return new NeedsGpg("Bouncy Castle cannot parse the secret key file of " + id + " ("
                    + file.getFileName() + "): an S-expression shape it does not support");
        } catch (PGPException | IOException | RuntimeException e) {
            if (isRsa(publicKey)) {
                // BC reads GnuPG's RSA key files; a failure on a protected one is the passphrase
                if (isProtected) {
                    throw wrongPassphrase(id, e);
                }
                throw new GpgKeyException("cannot read the secret key file " + file + ": " + e.getMessage());
            }
            // e.g. cv25519: BC 1.86 fails on GnuPG's point encoding ("Invalid point encoding type: 0x40")
            return new NeedsGpg("Bouncy Castle cannot read the " + algorithmName(publicKey) + " secret key " + id
                    + " in " + file.getFileName() + " (" + e.getMessage() + ")");
        } finally {
            Arrays.fill(passphrase, '\0');
        }
    }

    private char[] requirePassphrase(String id) throws IOException {
        return settings.passphrase().read().orElseThrow(() -> new GpgKeyException("the secret key " + id
                + " is passphrase-protected and no passphrase is configured: set " + Passphrase.FILE_VARIABLE
                + " (a file holding it) or " + Passphrase.VARIABLE));
    }

    /** The cause stays attached (never printed in the message: it may quote key material) for WALJ_DEBUG. */
    private GpgKeyException wrongPassphrase(String id, Exception cause) {
        return new GpgKeyException("wrong passphrase for the secret key " + id + " (passphrase from "
                + settings.passphrase().source() + ")", cause);
    }

    @SuppressWarnings("deprecation") // RSA_ENCRYPT/RSA_SIGN are deprecated for new keys; old keys still use them
    private static boolean isRsa(PGPPublicKey key) {
        int a = key.getAlgorithm();
        return a == PublicKeyAlgorithmTags.RSA_GENERAL || a == PublicKeyAlgorithmTags.RSA_ENCRYPT
                || a == PublicKeyAlgorithmTags.RSA_SIGN;
    }

    @SuppressWarnings("deprecation") // ELGAMAL_GENERAL: deprecated for new keys, named for old ones
    private static String algorithmName(PGPPublicKey key) {
        return switch (key.getAlgorithm()) {
            case PublicKeyAlgorithmTags.ECDH -> "ECDH (e.g. cv25519)";
            case PublicKeyAlgorithmTags.X25519 -> "X25519";
            case PublicKeyAlgorithmTags.X448 -> "X448";
            case PublicKeyAlgorithmTags.ELGAMAL_ENCRYPT, PublicKeyAlgorithmTags.ELGAMAL_GENERAL -> "ElGamal";
            default -> "algorithm " + key.getAlgorithm();
        };
    }

    static String hexId(long keyId) {
        return String.format("0x%016X", keyId);
    }
}
