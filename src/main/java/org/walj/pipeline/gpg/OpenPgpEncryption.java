package org.walj.pipeline.gpg;

import java.io.BufferedInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPEncryptedData;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
import org.bouncycastle.openpgp.PGPEncryptedDataList;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.PGPMarker;
import org.bouncycastle.openpgp.PGPObjectFactory;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyEncryptedData;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcPublicKeyDataDecryptorFactory;
import org.bouncycastle.openpgp.operator.bc.BcPublicKeyKeyEncryptionMethodGenerator;
import org.bouncycastle.openpgp.operator.jcajce.JcePGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JceSessionKeyDataDecryptorFactoryBuilder;
import org.walj.pipeline.CorruptObjectException;
import org.walj.pipeline.Encryption;

/**
 * OpenPGP public-key encryption in process with Bouncy Castle, producing what WAL-E's {@code gpg -e -z 0 -r KEY} produces in kind: a PKESK for the
 * recipient's encryption subkey, then a SEIPD v1 packet (AES-256, with MDC) holding one binary literal data packet
 * whose body is the lzop stream; no compression packet, no armor.
 *
 * <p>Decryption accepts what {@code gpg -d} accepts for our use: SEIPD with MDC (and AEAD packets, which carry
 * their own authentication), with or without a compression packet inside. Data without integrity protection
 * (the old SED packet) is refused, as GnuPG 2.2+ refuses it. The MDC is verified before the stream reports its
 * end, so damaged data fails instead of restoring quietly wrong.
 */
public final class OpenPgpEncryption implements Encryption {
    /** Enough for any number of PKESK packets before the data packet; reset() replays them to the gpg fallback. */
    private static final int HEADER_MARK_LIMIT = 1 << 20;
    private static final int BUFFER = 1 << 16;

    private final GpgSettings settings;
    private final Consumer<String> notices;
    private PublicKeys publicKeys;
    private PGPPublicKey recipient;
    /** Unlocking a protected key costs its S2K (GnuPG calibrates it to ~0.1 s of C): once per key per process. */
    private final Map<Long, SecretKeys.Usable> unlocked = new HashMap<>();

    /** {@code notices} receives one-line notes the user must see, such as falling back to the gpg binary. */
    public OpenPgpEncryption(GpgSettings settings, Consumer<String> notices) {
        this.settings = settings;
        this.notices = notices;
    }

    private synchronized PublicKeys publicKeys() throws IOException {
        if (publicKeys == null) {
            publicKeys = PublicKeys.load(settings);
        }
        return publicKeys;
    }

    /** Looked up once per process: wal-push encrypts many segments to the same key. */
    private synchronized PGPPublicKey recipient() throws IOException {
        if (recipient == null) {
            recipient = publicKeys().recipient(KeySpec.parse(settings.keyId()));
        }
        return recipient;
    }

    /**
     * The session key is wrapped with Bouncy Castle's lightweight API (RSA, ECDH: once per object); the bulk data
     * goes through the JDK's own AES-CFB and SHA-1 (SunJCE, hardware-accelerated), which is ~5x faster than Bouncy
     * Castle's pure-Java AES here (bench/gpg.sh). No Bouncy Castle JCA provider is involved, so the shaded,
     * unsigned jar works on any JDK.
     */
    @Override
    public OutputStream encrypt(OutputStream sink) throws IOException {
        PGPPublicKey key = recipient();
        PGPEncryptedDataGenerator encryptor = new PGPEncryptedDataGenerator(
                new JcePGPDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256)
                        .setWithIntegrityPacket(true)
                        .setSecureRandom(new SecureRandom()));
        encryptor.addMethod(new BcPublicKeyKeyEncryptionMethodGenerator(key).setSecureRandom(new SecureRandom()));
        OutputStream encrypted;
        try {
            encrypted = encryptor.open(sink, new byte[BUFFER]);
        } catch (PGPException e) {
            throw new IOException("cannot encrypt to GPG key " + SecretKeys.hexId(key.getKeyID()) + ": "
                    + e.getMessage(), e);
        }
        PGPLiteralDataGenerator literal = new PGPLiteralDataGenerator();
        OutputStream plain = literal.open(encrypted, PGPLiteralData.BINARY, "", new Date(), new byte[BUFFER]);
        return new FilterOutputStream(plain) {
            private boolean closed;

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            /** Finishes the literal packet, then the MDC and encrypted packet, then closes the sink. */
            @Override
            public void close() throws IOException {
                if (closed) {
                    return;
                }
                closed = true;
                try (sink) {
                    literal.close();
                    encryptor.close();
                }
            }
        };
    }

    @Override
    public InputStream decrypt(InputStream ciphertext) throws IOException {
        BufferedInputStream in = new BufferedInputStream(ciphertext, BUFFER);
        try {
            in.mark(HEADER_MARK_LIMIT);
            List<PGPPublicKeyEncryptedData> recipients = recipients(new BcPGPObjectFactory(in));
            List<String> missing = new ArrayList<>();
            boolean publicOnly = false;
            for (PGPPublicKeyEncryptedData data : recipients) {
                SecretKeys.Lookup lookup = secretKey(data.getKeyIdentifier().getKeyId());
                if (lookup instanceof SecretKeys.Usable usable) {
                    return plaintext(data, usable);
                }
                if (lookup instanceof SecretKeys.NeedsGpg needsGpg) {
                    notices.accept("decrypting with the gpg binary (" + GpgProcessDecryption.COMMAND + "): "
                            + needsGpg.reason());
                    in.reset();
                    return GpgProcessDecryption.start(settings, in);
                }
                SecretKeys.Missing m = (SecretKeys.Missing) lookup;
                publicOnly |= m.publicOnly();
                missing.add(SecretKeys.hexId(data.getKeyIdentifier().getKeyId()) + " (searched " + m.searched() + ")");
            }
            throw new GpgKeyException("cannot decrypt: no secret key for "
                    + (publicOnly ? "the object's recipient; only its public key is present: " : "any recipient: ")
                    + String.join("; ", missing));
        } catch (IOException | RuntimeException e) {
            closeQuietly(in, e);
            throw e;
        }
    }

    private synchronized SecretKeys.Lookup secretKey(long keyId) throws IOException {
        SecretKeys.Usable cached = unlocked.get(keyId);
        if (cached != null) {
            return cached;
        }
        SecretKeys.Lookup lookup = new SecretKeys(settings, publicKeys()).find(keyId);
        if (lookup instanceof SecretKeys.Usable usable) {
            unlocked.put(keyId, usable);
        }
        return lookup;
    }

    private static List<PGPPublicKeyEncryptedData> recipients(PGPObjectFactory factory) throws IOException {
        Object first;
        try {
            first = factory.nextObject();
            while (first instanceof PGPMarker) {
                first = factory.nextObject();
            }
        } catch (IOException | RuntimeException e) {
            throw new CorruptObjectException("object is not an OpenPGP-encrypted message although a GPG key is "
                    + "configured (" + e.getMessage() + ")");
        }
        if (!(first instanceof PGPEncryptedDataList list)) {
            throw new CorruptObjectException("object is not an OpenPGP-encrypted message although a GPG key is "
                    + "configured" + (first == null ? " (it is empty)" : " (it starts with "
                    + first.getClass().getSimpleName().replace("PGP", "") + ")"));
        }
        List<PGPPublicKeyEncryptedData> result = new ArrayList<>();
        for (PGPEncryptedData data : list) {
            if (data instanceof PGPPublicKeyEncryptedData pk) {
                result.add(pk);
            }
        }
        if (result.isEmpty()) {
            throw new CorruptObjectException("object is encrypted with a passphrase only (gpg -c), not to a key");
        }
        return result;
    }

    // BC 1.86 deprecates these in favour of its new high-level API (org.bouncycastle.openpgp.api), which offers no
    // streaming hook for the JDK cipher: the packet-level calls stay until a BC release removes them
    @SuppressWarnings("deprecation")
    private static InputStream plaintext(PGPPublicKeyEncryptedData data, SecretKeys.Usable key) throws IOException {
        if (!data.isIntegrityProtected() && !data.isAEAD()) {
            throw new CorruptObjectException("encrypted object has no integrity protection (old SED packet, no "
                    + "MDC): refusing it, as gpg does");
        }
        try {
            BcPublicKeyDataDecryptorFactory keyDecryptor = new BcPublicKeyDataDecryptorFactory(key.key());
            // SEIPD v1: the bulk data through the JDK's AES-CFB (as for encryption: several times faster than
            // BC's pure-Java AES); AEAD (OCB, which the JDK lacks) stays with Bouncy Castle
            InputStream clear = data.isAEAD()
                    ? data.getDataStream(keyDecryptor)
                    : data.getDataStream(new JceSessionKeyDataDecryptorFactoryBuilder()
                            .build(data.getSessionKey(keyDecryptor)));
            Object content = new BcPGPObjectFactory(clear).nextObject();
            if (content instanceof PGPCompressedData compressed) {
                content = new BcPGPObjectFactory(compressed.getDataStream()).nextObject();
            }
            if (!(content instanceof PGPLiteralData literal)) {
                throw new CorruptObjectException("encrypted object failed its integrity check or holds no literal "
                        + "data (found " + (content == null ? "nothing" : content.getClass().getSimpleName()) + ")");
            }
            return new IntegrityCheckingInputStream(literal.getInputStream(), data);
        } catch (PGPException e) {
            throw new CorruptObjectException("cannot decrypt the object with key "
                    + SecretKeys.hexId(data.getKeyIdentifier().getKeyId()) + ": " + e.getMessage(), e);
        } catch (CorruptObjectException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new CorruptObjectException("encrypted object is damaged: " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(InputStream in, Exception failure) {
        try {
            in.close();
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    @Override
    public String toString() {
        return "gpg(" + settings.keyId() + ")";
    }
}
