package org.walj.pipeline.gpg;

import java.io.IOException;
import java.io.InputStream;
import org.bouncycastle.openpgp.PGPEncryptedData;
import org.bouncycastle.openpgp.PGPException;
import org.walj.pipeline.CorruptObjectException;
import org.walj.pipeline.ForwardingInputStream;

/**
 * The literal data of a decrypted message, which reports its end only after the encrypted packet's integrity
 * check (the MDC of SEIPD v1) passed. Readers that consume to EOF, as the restore does, therefore never finish
 * with tampered or truncated data; every decoding failure is a {@link CorruptObjectException}.
 */
final class IntegrityCheckingInputStream extends ForwardingInputStream {
    private final PGPEncryptedData encrypted;
    private boolean verified;

    IntegrityCheckingInputStream(InputStream literal, PGPEncryptedData encrypted) {
        super(literal);
        this.encrypted = encrypted;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int n;
        try {
            n = in.read(b, off, len);
        } catch (CorruptObjectException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new CorruptObjectException("encrypted object failed its integrity check: " + e.getMessage(), e);
        }
        if (n < 0) {
            verifyOnce();
        }
        return n;
    }

    private void verifyOnce() throws IOException {
        if (verified) {
            return;
        }
        boolean ok;
        try {
            // AEAD packets authenticate every chunk and the end as they are read; verify() is for the MDC
            ok = encrypted.isAEAD() || encrypted.verify();
        } catch (PGPException | IOException | RuntimeException e) {
            throw new CorruptObjectException("encrypted object failed its integrity check (MDC): " + e.getMessage(),
                    e);
        }
        if (!ok) {
            throw new CorruptObjectException("encrypted object failed its integrity check (MDC mismatch): it was "
                    + "modified or damaged");
        }
        verified = true;
    }
}
