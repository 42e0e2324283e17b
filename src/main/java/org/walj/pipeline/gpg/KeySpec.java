package org.walj.pipeline.gpg;

import java.util.HexFormat;
import java.util.Iterator;
import java.util.Locale;
import org.bouncycastle.openpgp.PGPPublicKey;

/**
 * A key named the ways {@code gpg -r} accepts for our use: a short (8 hex digits) or long (16) key id, a
 * fingerprint (40 hex digits for v4 keys, 64 for v5/v6), each optionally with {@code 0x} and spaces, or else a
 * user id, matched as gpg does by default: a case-insensitive substring (so {@code alice@example.org} and
 * {@code <alice@example.org>} both work). Ids match the primary key or any subkey.
 */
record KeySpec(String text, Kind kind, String hex) {
    enum Kind { SHORT_ID, LONG_ID, FINGERPRINT, USER_ID }

    static KeySpec parse(String text) {
        String t = text.trim();
        String compact = t.replace(" ", "");
        if (compact.startsWith("0x") || compact.startsWith("0X")) {
            compact = compact.substring(2);
        }
        if (compact.endsWith("!")) {
            compact = compact.substring(0, compact.length() - 1);
        }
        if (!compact.isEmpty() && compact.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            String hex = compact.toUpperCase(Locale.ROOT);
            switch (hex.length()) {
                case 8: return new KeySpec(text, Kind.SHORT_ID, hex);
                case 16: return new KeySpec(text, Kind.LONG_ID, hex);
                case 40, 64: return new KeySpec(text, Kind.FINGERPRINT, hex);
                default: break;
            }
        }
        return new KeySpec(text, Kind.USER_ID, t.toLowerCase(Locale.ROOT));
    }

    /** True when {@code key} (a primary key or subkey) is the one named by an id or fingerprint. */
    boolean matchesKey(PGPPublicKey key) {
        String fpr = HexFormat.of().withUpperCase().formatHex(key.getFingerprint());
        String longId = String.format("%016X", key.getKeyID());
        return switch (kind) {
            case SHORT_ID -> longId.endsWith(hex);
            case LONG_ID -> longId.equals(hex);
            case FINGERPRINT -> fpr.equals(hex);
            case USER_ID -> false;
        };
    }

    /** True when the primary key {@code key} carries a user id containing the text. */
    boolean matchesUserId(PGPPublicKey primary) {
        if (kind != Kind.USER_ID) {
            return false;
        }
        for (Iterator<String> ids = primary.getUserIDs(); ids.hasNext(); ) {
            if (ids.next().toLowerCase(Locale.ROOT).contains(hex)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "\"" + text + "\"";
    }
}
