package org.walj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * {@code -h}/{@code --help} works on every subcommand and sub-subcommand, as argparse's does for WAL-E: the usage on
 * stdout and exit 0, even where a parameter is required (wal-push, backup-push) and for wal-fetch, whose usage
 * errors take the fatal status.
 */
class HelpOptionTest {

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine cmd = Main.commandLine(args, AllSettings.read(Map.of()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return new Run(cmd.execute(args), out.toString(), err.toString());
    }

    /** Every command path below the root, e.g. {@code [delete, retain]}, read from the full model. */
    static List<List<String>> commandPaths() {
        List<List<String>> paths = new ArrayList<>();
        collect(Main.commandLine(new String[0], AllSettings.read(Map.of())), List.of(), paths);
        return paths;
    }

    private static void collect(CommandLine command, List<String> path, List<List<String>> paths) {
        command.getSubcommands().forEach((name, sub) -> {
            List<String> here = new ArrayList<>(path);
            here.add(name);
            paths.add(here);
            collect(sub, here, paths);
        });
    }

    @ParameterizedTest
    @MethodSource("commandPaths")
    void everyCommandPrintsItsUsageAndExitsZero(List<String> path) {
        for (String flag : List.of("--help", "-h")) {
            List<String> args = new ArrayList<>(path);
            args.add(flag);
            Run r = run(args.toArray(String[]::new));
            assertEquals(0, r.status(), args + ": " + r.err());
            assertTrue(r.out().contains("Usage: wal-j " + String.join(" ", path)), args + ": " + r.out());
            assertEquals("", r.err(), args + " printed nothing on stderr");
        }
    }

    @Test
    void theTreeHasTheSubcommandsAndDeletesOwn() {
        List<List<String>> paths = commandPaths();
        assertTrue(paths.contains(List.of("wal-push")), paths.toString());
        assertTrue(paths.contains(List.of("delete", "retain")), paths.toString());
    }

    @Test
    void anUnknownSubcommandIsArgparsesInvalidChoiceLine() {
        Run r = run("bogus");
        assertEquals(ExitStatus.USAGE, r.status());
        assertTrue(r.err().contains("wal-j: error: argument subcommand: invalid choice: 'bogus' (choose from "
                + "'version', 'wal-push', 'wal-fetch'"), r.err());
        Run nested = run("delete", "bogus");
        assertEquals(ExitStatus.USAGE, nested.status());
        assertTrue(nested.err().contains("wal-j delete: error: argument subcommand: invalid choice: 'bogus' (choose "
                + "from 'before', 'retain', 'old-versions', 'everything')"), nested.err());
    }

    @Test
    void anUnknownOptionKeepsPicoclisMessage() {
        Run r = run("--bogus");
        assertEquals(ExitStatus.USAGE, r.status());
        assertTrue(r.err().contains("wal-j: error: Unknown option: '--bogus'"), r.err());
    }
}
