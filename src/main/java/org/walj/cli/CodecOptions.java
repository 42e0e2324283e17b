package org.walj.cli;

import org.walj.pipeline.Encryption;
import org.walj.pipeline.ObjectCodec;
import org.walj.settings.Settings;

/**
 * The object codec from configuration: the compression writers use ({@code --compression}, {@code WALJ_COMPRESSION},
 * default WAL-E's LZO), and encryption when a GPG key id is set.
 */
final class CodecOptions {
    private CodecOptions() {
    }

    static ObjectCodec codec(GlobalOptions options, Settings env) {
        return options.compression(env).with(encryption(options, env));
    }

    private static Encryption encryption(GlobalOptions options, Settings env) {
        // GpgOptions (and through it Bouncy Castle) is loaded only here: without a key id a cold start pays nothing
        return options.gpgKeyId(env).map(keyId -> GpgOptions.encryption(keyId, env)).orElse(Encryption.NONE);
    }
}
