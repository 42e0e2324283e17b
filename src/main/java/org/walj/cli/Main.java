package org.walj.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import org.walj.settings.Settings;
import picocli.CommandLine;

/** The {@code wal-j} command. Every exit status comes from {@link ExitStatus} through picocli's exit-code mapping. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // a worker thread whose failure nothing collects: one line, never the JVM's stack trace
        Thread.setDefaultUncaughtExceptionHandler((thread, t) -> System.err.println("wal-j: " + thread.getName()
                + ": " + (t instanceof OutOfMemoryError oom ? "ERROR " + OutOfMemory.message(oom) + ". "
                        + OutOfMemory.HINT : t)));
        int status;
        try {
            status = run(args, AllSettings.ofProcess());
        } catch (Throwable t) { // an Error (OutOfMemoryError, StackOverflowError) passes picocli and every handler
            status = unexpected(args, t);
        }
        System.exit(status);
    }

    /**
     * The exit status of a failure nothing else handled. Left to the JVM it would be 1, which PostgreSQL takes from
     * restore_command as "not in the archive" and promotes: for wal-fetch it is the fatal status instead.
     */
    static int unexpected(String[] args, Throwable t) {
        try {
            // one plain line: after an OutOfMemoryError logging may not work
            System.err.println("wal-j: " + (t instanceof OutOfMemoryError oom
                    ? "ERROR " + OutOfMemory.message(oom) + ". " + OutOfMemory.HINT : t));
            System.err.flush();
        } catch (Throwable ignored) {
            // the status matters more than the line
        }
        if (!Arrays.asList(args).contains("wal-fetch")) {
            return ExitStatus.USAGE;
        }
        try {
            return FailureExit.from(AllSettings.ofProcess()).status();
        } catch (Throwable badSetting) {
            return ExitStatus.FETCH_FAILED;
        }
    }

    /** Runs one command; the JVM's logging level (set from {@code --terse}) is as before when it returns. */
    static int run(String[] args, Settings env) {
        WalJCommand root = new WalJCommand(env, Arrays.asList(args));
        try {
            return commandLine(root, env).execute(args);
        } finally {
            root.restoreLogging();
        }
    }

    static CommandLine commandLine(String[] args, Settings env) {
        return commandLine(new WalJCommand(env, Arrays.asList(args)), env);
    }

    private static CommandLine commandLine(WalJCommand root, Settings env) {
        CommandLine cmd = new CommandLine(root);
        // before the handlers below: picocli applies them to the subcommands present when they are set
        Subcommands.register(cmd, root.arguments());
        ErrorReporter reporter = new ErrorReporter(env);
        cmd.setExecutionStrategy(parseResult -> {
            root.configureLogging();
            return new CommandLine.RunLast().execute(parseResult);
        });
        cmd.setParameterExceptionHandler((e, a) -> usageError(e, a, env));
        cmd.setExecutionExceptionHandler(reporter);
        cmd.setExitCodeExceptionMapper(ErrorReporter::exitStatus);
        cmd.setOut(new PrintWriter(System.out, true));
        cmd.setErr(new PrintWriter(System.err, true));
        return cmd;
    }

    /**
     * Like argparse: the usage and one error line on stderr, exit 2. Except for wal-fetch: PostgreSQL would read 2
     * as "not in the archive" and promote, so a broken restore_command line stops recovery instead.
     */
    private static int usageError(CommandLine.ParameterException e, String[] args, Settings env) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println(cmd.getHelp().fullSynopsis().stripTrailing());
        err.println(cmd.getCommandSpec().qualifiedName() + ": error: " + message(e));
        err.flush();
        if (Arrays.asList(args).contains("wal-fetch")) {
            try {
                return FailureExit.from(env).status();
            } catch (RuntimeException badSetting) {
                return ExitStatus.FETCH_FAILED;
            }
        }
        return ExitStatus.USAGE;
    }

    /**
     * picocli's text, except for a word where a subcommand belongs: argparse's "invalid choice" line, which names the
     * choices, instead of "Unmatched argument at index 0".
     */
    private static String message(CommandLine.ParameterException e) {
        CommandLine cmd = e.getCommandLine();
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !cmd.getSubcommands().isEmpty()
                && unmatched.getUnmatched().size() > 0 && !unmatched.getUnmatched().get(0).startsWith("-")) {
            return "argument subcommand: invalid choice: '" + unmatched.getUnmatched().get(0) + "' (choose from "
                    + String.join(", ", cmd.getSubcommands().keySet().stream().map(n -> "'" + n + "'").toList())
                    + ")";
        }
        return e.getMessage();
    }
}
