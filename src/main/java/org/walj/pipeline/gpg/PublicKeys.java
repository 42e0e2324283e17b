package org.walj.pipeline.gpg;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.SignatureSubpacketTags;
import org.bouncycastle.gpg.keybox.KeyBlob;
import org.bouncycastle.gpg.keybox.PublicKeyRingBlob;
import org.bouncycastle.gpg.keybox.bc.BcKeyBox;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureSubpacketVector;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPPublicKeyRingCollection;

/**
 * The public keys we can see: an explicit key file, or the GnuPG home's {@code pubring.kbx} (GnuPG 2.1+) and
 * legacy {@code pubring.gpg}. Files that do not exist are skipped; the list of files searched goes into the
 * "not found" message so a wrong home (e.g. under {@code sudo -u postgres}) is obvious.
 */
final class PublicKeys {
    private final List<PGPPublicKeyRing> rings;
    private final List<Path> searched;

    private PublicKeys(List<PGPPublicKeyRing> rings, List<Path> searched) {
        this.rings = rings;
        this.searched = searched;
    }

    static PublicKeys load(GpgSettings settings) throws IOException {
        List<PGPPublicKeyRing> rings = new ArrayList<>();
        List<Path> searched = new ArrayList<>();
        if (settings.publicKeyFile().isPresent()) {
            Path file = settings.publicKeyFile().get();
            searched.add(file);
            if (!Files.isReadable(file)) {
                throw new GpgKeyException("cannot read the GPG public key file " + file + " (" + GpgSettings.PUBLIC_KEY_FILE
                        + ")");
            }
            readKeyRings(file, rings);
            return new PublicKeys(rings, searched);
        }
        Path kbx = settings.home().resolve("pubring.kbx");
        Path gpg = settings.home().resolve("pubring.gpg");
        searched.add(kbx);
        searched.add(gpg);
        if (Files.isReadable(kbx)) {
            try (InputStream in = Files.newInputStream(kbx)) {
                for (KeyBlob blob : new BcKeyBox(in).getKeyBlobs()) {
                    if (blob instanceof PublicKeyRingBlob ring) {
                        rings.add(ring.getPGPPublicKeyRing());
                    }
                }
            } catch (IOException | RuntimeException e) {
                throw new GpgKeyException("cannot read the GnuPG keybox " + kbx + ": " + e.getMessage());
            }
        }
        if (Files.isReadable(gpg) && Files.size(gpg) > 0) {
            readKeyRings(gpg, rings);
        }
        return new PublicKeys(rings, searched);
    }

    private static void readKeyRings(Path file, List<PGPPublicKeyRing> into) throws IOException {
        try (InputStream in = PGPUtil.getDecoderStream(Files.newInputStream(file))) {
            new BcPGPPublicKeyRingCollection(in).forEach(into::add);
        } catch (PGPException | IOException | RuntimeException e) {
            throw new GpgKeyException("cannot read OpenPGP public keys from " + file + ": " + e.getMessage());
        }
    }

    /** The files looked at, for messages. */
    String searched() {
        return searched.stream().map(Path::toString).reduce((a, b) -> a + ", " + b).orElse("(nothing)");
    }

    /**
     * The key to encrypt to for {@code spec}: in the first matching key ring, the newest valid encryption-capable
     * key (a named subkey if it can encrypt), as {@code gpg -r} picks it.
     */
    PGPPublicKey recipient(KeySpec spec) throws GpgKeyException {
        for (PGPPublicKeyRing ring : rings) {
            PGPPublicKey named = null;
            boolean matched = spec.matchesUserId(ring.getPublicKey());
            for (PGPPublicKey key : ring) {
                if (spec.matchesKey(key)) {
                    matched = true;
                    named = key;
                }
            }
            if (!matched) {
                continue;
            }
            if (named != null && !named.isMasterKey() && canEncrypt(named)) {
                return named;
            }
            PGPPublicKey best = null;
            for (PGPPublicKey key : ring) {
                if (canEncrypt(key) && (best == null || !key.getCreationTime().before(best.getCreationTime()))) {
                    best = key;
                }
            }
            if (best == null) {
                throw new GpgKeyException("GPG key " + spec + " has no usable encryption key (subkeys revoked, "
                        + "expired or sign-only)");
            }
            return best;
        }
        throw new GpgKeyException("GPG key " + spec + " not found: searched " + searched());
    }

    /** The public key (primary or subkey) with this 64-bit key id. */
    Optional<PGPPublicKey> byKeyId(long keyId) {
        for (PGPPublicKeyRing ring : rings) {
            PGPPublicKey key = ring.getPublicKey(keyId);
            if (key != null) {
                return Optional.of(key);
            }
        }
        return Optional.empty();
    }

    @SuppressWarnings("deprecation") // RSA_ENCRYPT (algorithm 2) is deprecated for new keys but old keys have it
    private static boolean canEncrypt(PGPPublicKey key) {
        if (!key.isEncryptionKey() || key.hasRevocation()) {
            return false;
        }
        long valid = key.getValidSeconds();
        if (valid > 0 && key.getCreationTime().getTime() + valid * 1000 < new Date().getTime()) {
            return false;
        }
        int flags = keyFlags(key);
        // keys whose self-signature says they are for signing only are not picked; no flags means "any use"
        return flags < 0 || (flags & 0x0C) != 0 || key.getAlgorithm() == PublicKeyAlgorithmTags.RSA_ENCRYPT;
    }

    /** The key-flags of the newest self-signature that has them (binding signature for subkeys); -1 if none. */
    private static int keyFlags(PGPPublicKey key) {
        int flags = -1;
        long newest = Long.MIN_VALUE;
        Iterator<PGPSignature> sigs = key.isMasterKey() ? key.getSignatures()
                : key.getSignaturesOfType(PGPSignature.SUBKEY_BINDING);
        while (sigs.hasNext()) {
            PGPSignature sig = sigs.next();
            PGPSignatureSubpacketVector hashed = sig.getHashedSubPackets();
            if (hashed != null && hashed.hasSubpacket(SignatureSubpacketTags.KEY_FLAGS)
                    && sig.getCreationTime().getTime() >= newest) {
                newest = sig.getCreationTime().getTime();
                flags = hashed.getKeyFlags();
            }
        }
        return flags;
    }
}
