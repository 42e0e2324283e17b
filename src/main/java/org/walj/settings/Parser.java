package org.walj.settings;

/** Turns a setting's text into its value; a bad text is the user's error, thrown as a {@code UserException}. */
@FunctionalInterface
public interface Parser<T> {
    /** {@code name} is the variable's, for the message; {@code text} is set (and not empty unless the setting keeps it). */
    T parse(String name, String text);
}
