package org.walj.cli;

import java.nio.file.Path;
import java.util.Optional;
import org.walj.logging.LogEvent;
import org.walj.logging.LoggerNames;
import org.walj.logging.WalELog;
import org.walj.pipeline.Encryption;
import org.walj.pipeline.gpg.GpgSettings;
import org.walj.pipeline.gpg.GpgVariables;
import org.walj.pipeline.gpg.OpenPgpEncryption;
import org.walj.pipeline.gpg.Passphrase;
import org.walj.settings.Settings;

/**
 * GPG settings from the environment (see docs/encryption.md). Passphrases come only from the environment or a
 * file, never from an option: the command line of archive_command is visible to every local user.
 */
final class GpgOptions {
    private static final WalELog LOG = WalELog.get(LoggerNames.PIPELINE);

    private GpgOptions() {
    }

    static Encryption encryption(String keyId, Settings env) {
        return new OpenPgpEncryption(settings(keyId, env),
                notice -> LOG.warning(LogEvent.msg(notice).kv("action", "gpg-decrypt")));
    }

    static GpgSettings settings(String keyId, Settings env) {
        return new GpgSettings(keyId, home(env),
                env.get(GpgVariables.PUBLIC_KEY_FILE).map(Path::of),
                env.get(GpgVariables.SECRET_KEY_FILE).map(Path::of),
                new Passphrase(env.get(GpgVariables.PASSPHRASE),
                        env.get(GpgVariables.PASSPHRASE_FILE).map(Path::of)));
    }

    /** As gpg: GNUPGHOME, else ~/.gnupg with HOME (falling back to the account's home directory). */
    static Path home(Settings env) {
        Optional<String> gnupgHome = env.get(GpgVariables.HOME);
        if (gnupgHome.isPresent()) {
            return Path.of(gnupgHome.get());
        }
        String home = env.get(CliVariables.HOME).orElse(System.getProperty("user.home"));
        return Path.of(home, ".gnupg");
    }
}
