package org.walj.pipeline.gpg;

import java.util.List;
import org.walj.settings.Scope;
import org.walj.settings.Setting;

/** Where the keys and passphrase of {@code --gpg-key-id} come from (docs/encryption.md). No Bouncy Castle class. */
public final class GpgVariables {
    private static final Scope MATCH = Scope.MUST_MATCH_DAEMON;

    public static final Setting<String> HOME = Setting.text("GNUPGHOME", MATCH,
            "The GnuPG home; ~/.gnupg when unset.");
    public static final Setting<String> PUBLIC_KEY_FILE = Setting.text(GpgSettings.PUBLIC_KEY_FILE, MATCH,
            "Public key file to encrypt to, instead of the GnuPG home.");
    public static final Setting<String> SECRET_KEY_FILE = Setting.text(GpgSettings.SECRET_KEY_FILE, MATCH,
            "Secret key file to decrypt with, instead of the GnuPG home.");
    public static final Setting<String> PASSPHRASE = Setting.secret(Passphrase.VARIABLE, MATCH,
            "Passphrase of a protected secret key.");
    public static final Setting<String> PASSPHRASE_FILE = Setting.text(Passphrase.FILE_VARIABLE, MATCH,
            "A file holding that passphrase.");
    public static final List<Setting<?>> ALL = List.of(HOME, PUBLIC_KEY_FILE, SECRET_KEY_FILE, PASSPHRASE,
            PASSPHRASE_FILE);

    private GpgVariables() {
    }
}
