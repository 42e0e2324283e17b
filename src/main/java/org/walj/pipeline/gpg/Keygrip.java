package org.walj.pipeline.gpg;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.RSAPublicBCPGKey;
import org.bouncycastle.gpg.KeyGripCalculator;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;

/**
 * GnuPG's keygrip, which names a secret key's file in {@code private-keys-v1.d/<KEYGRIP>.key}.
 *
 * <p>For RSA it is SHA-1 over the modulus as libgcrypt stores it: unsigned big-endian with a leading 0x00 when the
 * top bit is set (which it always is for a full-size modulus). Bouncy Castle 1.86's {@code KeyGripCalculator} drops
 * that zero byte and so names the wrong file; {@link BigInteger#toByteArray()} keeps it. Other algorithms use
 * Bouncy Castle's calculator, which in 1.86 supports no ECDH (cv25519) keys: those are decrypted by the gpg binary.
 */
final class Keygrip {
    private Keygrip() {
    }

    /** The keygrip in GnuPG's spelling (40 upper-case hex digits); empty where Bouncy Castle cannot compute it. */
    static Optional<String> of(PGPPublicKey key) {
        byte[] grip;
        if (key.getPublicKeyPacket().getKey() instanceof RSAPublicBCPGKey rsa) {
            grip = sha1(rsa.getModulus().toByteArray());
        } else {
            try {
                grip = new KeyGripCalculator(new BcPGPDigestCalculatorProvider().get(HashAlgorithmTags.SHA1))
                        .calculateKeygrip(key.getPublicKeyPacket().getKey());
            } catch (PGPException | IOException | RuntimeException e) {
                // "keygrip calculation not yet supported" for ECDH keys in BC 1.86
                return Optional.empty();
            }
        }
        return Optional.of(HexFormat.of().withUpperCase().formatHex(grip));
    }

    private static byte[] sha1(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }
}
