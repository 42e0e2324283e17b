package org.walj.cli;

import org.walj.UserException;
import org.walj.pipeline.Compression;
import org.walj.pipeline.Encryption;
import org.walj.pipeline.ObjectCodec;

/** The object codec from configuration: LZO compression (WAL-E's), and encryption when a GPG key id is set. */
final class CodecOptions {
    private CodecOptions() {
    }

    static ObjectCodec codec(GlobalOptions options, Environment env) {
        return new ObjectCodec(Compression.LZO, encryption(options, env));
    }

    private static Encryption encryption(GlobalOptions options, Environment env) {
        if (options.gpgKeyId(env).isPresent()) {
            throw new UserException("GPG encryption is not supported yet",
                    "A GPG key id is configured (--gpg-key-id or WALE_GPG_KEY_ID), and this wal-j build cannot "
                            + "encrypt or decrypt.",
                    "Unset it to archive without encryption, or keep using WAL-E for encrypted archives for now.");
        }
        return Encryption.NONE;
    }
}
