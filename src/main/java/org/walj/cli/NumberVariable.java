package org.walj.cli;

import org.walj.UserException;

/** A whole-number environment variable with bounds; a bad value is the user's error, named with the variable. */
final class NumberVariable {
    private NumberVariable() {
    }

    static int read(Environment env, String name, int fallback, int min, int max) {
        String value = env.get(name).orElse(null);
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UserException(name + " must be a whole number from " + min + " to " + max + ", not \"" + value
                + "\"");
    }
}
