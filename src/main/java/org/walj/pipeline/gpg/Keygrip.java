package org.walj.pipeline.gpg;

import java.io.IOException;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
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
 * Bouncy Castle's calculator (checked for ed25519/cv25519 against {@code gpg --with-keygrip}).
 */
final class Keygrip {
    private Keygrip() {
    }

    static String of(PGPPublicKey key) throws IOException {
        byte[] grip;
        if (key.getPublicKeyPacket().getKey() instanceof RSAPublicBCPGKey rsa) {
            grip = sha1(rsa.getModulus().toByteArray());
        } else {
            try {
                grip = new KeyGripCalculator(new BcPGPDigestCalculatorProvider().get(HashAlgorithmTags.SHA1))
                        .calculateKeygrip(key.getPublicKeyPacket().getKey());
            } catch (PGPException | RuntimeException e) {
                throw new IOException("cannot compute the keygrip of key " + String.format("%016X", key.getKeyID())
                        + ": " + e.getMessage(), e);
            }
        }
        return HexFormat.of().withUpperCase().formatHex(grip);
    }

    private static byte[] sha1(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    /** Same rule, usable without a PGP key: what {@link #of} hashes for an RSA modulus. */
    static String ofRsaModulus(BigInteger modulus) {
        return HexFormat.of().withUpperCase().formatHex(sha1(modulus.toByteArray()));
    }
}
