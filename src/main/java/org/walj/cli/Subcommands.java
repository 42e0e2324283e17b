package org.walj.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Which subcommands a run registers with picocli. Building a subcommand's model (reflection over its annotations)
 * costs a cold JVM several milliseconds each, and PostgreSQL starts one wal-push or wal-fetch per segment: a command
 * line that names one subcommand gets only that one. Anything else (no subcommand, {@code help}, several names) gets
 * all of them, so help, suggestions and errors read exactly as before.
 */
final class Subcommands {
    private Subcommands() {
    }

    static void register(CommandLine root, List<String> args) {
        Class<?> only = named(args);
        for (Class<?> subcommand : WalJCommand.SUBCOMMANDS) {
            if (only == null || only == subcommand) {
                root.addSubcommand(subcommand);
            }
        }
    }

    /**
     * The subcommand the arguments name, or null unless exactly one subcommand name occurs among them: a second name
     * could be the first one's argument or an option's value, and {@code help} needs the others to describe them.
     */
    static Class<?> named(List<String> args) {
        Class<?> found = null;
        for (String arg : args) {
            for (Class<?> subcommand : WalJCommand.SUBCOMMANDS) {
                if (subcommand.getAnnotation(Command.class).name().equals(arg)) {
                    if ((found != null && found != subcommand) || subcommand == CommandLine.HelpCommand.class) {
                        return null;
                    }
                    found = subcommand;
                }
            }
        }
        return found;
    }
}
