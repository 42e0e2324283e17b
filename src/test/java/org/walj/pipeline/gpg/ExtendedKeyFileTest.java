package org.walj.pipeline.gpg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.bouncycastle.gpg.PGPSecretKeyParser;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openpgp.OpenedPGPKeyData;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.jcajce.JcePBEProtectionRemoverFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The test resources are throwaway RSA-1024 keys made for this test by GnuPG 2.2 ({@code gpg --quick-gen-key ...
 * rsa1024 encr}, passphrase {@code pw}) whose key files happen to hold a binary value as a quoted string: the OCB
 * IV in {@code quoted-iv.key}, the S2K salt in {@code quoted-salt.key}. Unlocking them checks the OCB tag over the
 * whole key, so a wrongly decoded byte cannot pass.
 */
class ExtendedKeyFileTest {

    @ParameterizedTest
    @ValueSource(strings = {"quoted-iv", "quoted-salt"})
    void bouncyCastleUnlocksGnuPgKeyFilesWithQuotedBinaryValues(String name) throws Exception {
        byte[] file = resource(name + ".key");
        PGPPublicKey publicKey = encryptionKey(resource(name + ".pub.gpg"));

        assertThrows(ClassCastException.class, () -> unlock(file, publicKey),
                "Bouncy Castle reads this file unchanged: the fixture no longer shows the gap");

        byte[] rewritten = ExtendedKeyFile.withQuotedStringsAsHex(file).orElseThrow();
        PGPPrivateKey key = unlock(rewritten, publicKey);
        assertNotNull(key);
        assertEquals(publicKey.getKeyID(), key.getKeyID());
    }

    @Test
    void unfoldsTheKeyItemAsGnuPgDoesEvenInsideAQuotedString() {
        String file = "Created: 20261122T055249\n"
                + "Key: (protected-private-key (rsa (n #00AB\n"
                + " CD#)(protected x ((sha1 \"a\\x01\n"
                + " \\\"b\" \"42\")#0102#)))\n"
                + "Label: \"kept as it is\"\n";
        byte[] out = ExtendedKeyFile.withQuotedStringsAsHex(file.getBytes(StandardCharsets.ISO_8859_1)).orElseThrow();
        assertEquals("Created: 20261122T055249\n"
                + "Key: (protected-private-key (rsa (n #00ABCD#)(protected x ((sha1 #61012262# #3432#)#0102#)))\n"
                + "Label: \"kept as it is\"\n", new String(out, StandardCharsets.ISO_8859_1));
    }

    @Test
    void decodesEveryLibgcryptEscape() {
        assertEquals(Optional.of("(x #080B090A0C0D22275C41FF#)"),
                ExtendedKeyFile.quotedStringsAsHex("(x \"\\b\\v\\t\\n\\f\\r\\\"\\'\\\\\\101\\xff\")"));
        assertEquals(Optional.of("(x #23# #C3A9#)"), ExtendedKeyFile.quotedStringsAsHex("(x \"#\" \"\u00c3\u00a9\")"));
    }

    @Test
    void malformedStringsLeaveTheFileToTheFallback() {
        assertEquals(Optional.empty(), ExtendedKeyFile.quotedStringsAsHex("(x \"unterminated)"));
        assertEquals(Optional.empty(), ExtendedKeyFile.quotedStringsAsHex("(x \"bad \\q escape\")"));
        assertEquals(Optional.empty(), ExtendedKeyFile.quotedStringsAsHex("(x \"\\x4\")"));
        assertEquals(Optional.empty(), ExtendedKeyFile.quotedStringsAsHex("(x #00AB)"));
    }

    @Test
    void legacyAndKeylessFilesAreNotTouched() {
        assertTrue(ExtendedKeyFile.withQuotedStringsAsHex("(11:private-key(3:rsa))".getBytes()).isEmpty());
        assertTrue(ExtendedKeyFile.withQuotedStringsAsHex("Created: 1\n".getBytes()).isEmpty());
        byte[] noQuotes = "Key: (a #01#)\n".getBytes(StandardCharsets.ISO_8859_1);
        assertArrayEquals(noQuotes, ExtendedKeyFile.withQuotedStringsAsHex(noQuotes).orElseThrow());
    }

    private static PGPPrivateKey unlock(byte[] keyFile, PGPPublicKey publicKey) throws Exception {
        OpenedPGPKeyData data = PGPSecretKeyParser.parse(new ByteArrayInputStream(keyFile), 10);
        JcePBEProtectionRemoverFactory remover = new JcePBEProtectionRemoverFactory("pw".toCharArray(),
                new BcPGPDigestCalculatorProvider()).setProvider(new BouncyCastleProvider());
        PGPSecretKey secret = data.getKeyData(publicKey, new BcPGPDigestCalculatorProvider(), remover,
                new BcKeyFingerprintCalculator(), 10);
        return secret.extractPrivateKey(null);
    }

    private static PGPPublicKey encryptionKey(byte[] ring) throws IOException {
        PGPPublicKeyRing keys = new PGPPublicKeyRing(new ByteArrayInputStream(ring), new BcKeyFingerprintCalculator());
        for (PGPPublicKey key : keys) {
            if (key.isEncryptionKey()) {
                return key;
            }
        }
        throw new IllegalStateException("no encryption key in the fixture");
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ExtendedKeyFileTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return in.readAllBytes();
        }
    }
}
