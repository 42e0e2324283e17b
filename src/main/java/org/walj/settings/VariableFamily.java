package org.walj.settings;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Variables a library reads by itself, named by prefix (the AWS SDK's {@code AWS_PROFILE}, {@code AWS_CONFIG_FILE},
 * ...): wal-j cannot list them one by one, but with {@link Scope#MUST_MATCH_DAEMON} the daemon still compares every
 * one of them with its client's, as it did before the table existed.
 */
public record VariableFamily(String prefix, Scope scope, String readBy) {
    private static final Pattern PREFIX = Pattern.compile("[A-Z][A-Z0-9]*_");

    public VariableFamily {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(readBy, "readBy");
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("not a variable prefix: \"" + prefix + "\"");
        }
    }

    public boolean contains(String name) {
        return name.startsWith(prefix);
    }
}
