package org.walj.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The encryption layer of the pipeline, outside compression as in WAL-E ({@code lzop -c | gpg -e -z 0 -r KEY}).
 * Whether to decrypt is decided by configuration alone, never by sniffing the object, as WAL-E does.
 */
public interface Encryption {

    /** Wraps the sink so that what is written to the result reaches the sink encrypted; close() finishes it. */
    OutputStream encrypt(OutputStream ciphertextSink) throws IOException;

    /** The plaintext of {@code ciphertext}; fails (IOException) when it cannot be decrypted or verified. */
    InputStream decrypt(InputStream ciphertext) throws IOException;

    /** No encryption: both directions pass the bytes through. */
    Encryption NONE = new Encryption() {
        @Override
        public OutputStream encrypt(OutputStream sink) {
            return sink;
        }

        @Override
        public InputStream decrypt(InputStream ciphertext) {
            return ciphertext;
        }

        @Override
        public String toString() {
            return "none";
        }
    };
}
