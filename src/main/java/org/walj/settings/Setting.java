package org.walj.settings;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.walj.UserException;

/**
 * One environment variable wal-j reads: its name, who reads it ({@link Scope}), how its text becomes a value, the
 * value when it is unset, and whether it is secret (then no message, log line or refusal ever shows its value).
 *
 * @param emptyIsUnset as WAL-E: an empty value counts as unset; false where an empty value is a mistake to report
 * @param fallback     the value when unset; null when "unset" is itself meaningful ({@link Settings#get} is empty)
 */
public record Setting<T>(String name, Scope scope, boolean secret, boolean emptyIsUnset, Parser<T> parser,
                         T fallback, String meaning) {
    private static final Pattern NAME = Pattern.compile("[A-Z][A-Z0-9_]*");
    private static final Parser<String> TEXT = (name, text) -> text;

    public Setting {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(parser, "parser");
        Objects.requireNonNull(meaning, "meaning");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not an environment variable name: \"" + name + "\"");
        }
        if (secret && parser != TEXT) {
            // a parser's error message may quote the text it rejects
            throw new IllegalArgumentException(name + " is secret: it is read as text, never parsed");
        }
    }

    /** A text setting, empty unless set. */
    public static Setting<String> text(String name, Scope scope, String meaning) {
        return new Setting<>(name, scope, false, true, TEXT, null, meaning);
    }

    /** A text setting, {@code fallback} when unset. */
    public static Setting<String> text(String name, Scope scope, String fallback, String meaning) {
        return new Setting<>(name, scope, false, true, TEXT, Objects.requireNonNull(fallback), meaning);
    }

    /** A text setting whose value is never shown. */
    public static Setting<String> secret(String name, Scope scope, String meaning) {
        return new Setting<>(name, scope, true, true, TEXT, null, meaning);
    }

    /** A setting parsed by {@code parser}, {@code fallback} (may be null) when unset. */
    public static <T> Setting<T> of(String name, Scope scope, Parser<T> parser, T fallback, String meaning) {
        return new Setting<>(name, scope, false, true, parser, fallback, meaning);
    }

    /** A whole number from {@code min} to {@code max}, {@code fallback} when unset; anything else the user's error. */
    public static Setting<Integer> integer(String name, Scope scope, int fallback, int min, int max, String meaning) {
        return of(name, scope, bounded(min, max), fallback, meaning);
    }

    /** The parser of {@link #integer}, for settings whose bad value needs its own handling. */
    public static Parser<Integer> bounded(int min, int max) {
        return (name, text) -> {
            try {
                int n = Integer.parseInt(text.trim());
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw new UserException(name + " must be a whole number from " + min + " to " + max + ", not \"" + text
                    + "\"");
        };
    }

    /** WAL-E's parse_boolean_envvar: 0 and false are false; 1 and true are true (any case); anything else an error. */
    public static boolean walEBoolean(String name, String text) {
        return switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "0", "false" -> false;
            case "1", "true" -> true;
            default -> throw new UserException(name + " must be 1, true, 0 or false, not \"" + text + "\"");
        };
    }

    /** This setting with an empty value counting as set (and passed to the parser). */
    public Setting<T> keepingEmpty() {
        return new Setting<>(name, scope, secret, false, parser, fallback, meaning);
    }

    public Optional<T> defaultValue() {
        return Optional.ofNullable(fallback);
    }

    @Override
    public String toString() {
        return name;
    }
}
