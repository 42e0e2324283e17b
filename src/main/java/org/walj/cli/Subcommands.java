package org.walj.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

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
        root.getSubcommands().values().forEach(Subcommands::acceptHelp);
    }

    /**
     * {@code -h}/{@code --help} on every subcommand and sub-subcommand, as argparse gives WAL-E's: help is printed
     * and the exit status is 0 even where a parameter is required. Added here, once, instead of one annotated field
     * per command; a command that declares its own (wal-fetch, picocli's help) keeps it.
     */
    private static void acceptHelp(CommandLine command) {
        CommandSpec spec = command.getCommandSpec();
        if (spec.findOption("--help") == null && spec.findOption("-h") == null) {
            spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                    .description("Show this help and exit.").build());
        }
        command.getSubcommands().values().forEach(Subcommands::acceptHelp);
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
