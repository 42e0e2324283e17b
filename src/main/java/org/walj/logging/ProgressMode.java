package org.walj.logging;

import java.util.Locale;
import org.walj.UserException;

/** {@code WALJ_PROGRESS}: when backup-push, backup-fetch and backup-verify draw a progress line on stderr. */
public enum ProgressMode {
    /** When stderr is a terminal and records below WARNING are logged (no {@code --terse}). The default. */
    AUTO,
    /** Always, even into a file or pipe (a test, a terminal the check does not recognise). */
    ALWAYS,
    /** Never. */
    NEVER;

    /** The setting's parser: {@code auto}, {@code always} or {@code never}, in any case. */
    public static ProgressMode parse(String name, String text) {
        for (ProgressMode m : values()) {
            if (m.name().equalsIgnoreCase(text.trim())) {
                return m;
            }
        }
        throw new UserException(name + " must be auto, always or never, not \"" + text + "\"");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
