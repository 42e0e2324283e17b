package org.walj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The man pages and the bash completion the build generates (docs/packaging.md): one page per visible subcommand,
 * every option of the model on its page, nothing a reader of troff could take for a request; and the completion
 * script run by a real bash, whose COMPREPLY must offer the subcommands and each one's options.
 */
class PackagingFilesTest {
    @TempDir
    static Path out;
    static List<Path> pages;

    @BeforeAll
    static void generate() throws IOException {
        pages = PackagingFiles.write(out, AllSettings.read(Map.of()), "9.9.9-test", "2026-12-07");
    }

    private static CommandLine model() {
        return Main.commandLine(new String[0], AllSettings.read(Map.of()));
    }

    @Test
    void onePagePerVisibleSubcommandAndOneForWalJ() {
        TreeSet<String> expected = new TreeSet<>(List.of("wal-j.1.gz"));
        for (String sub : visibleSubcommands()) {
            expected.add("wal-j-" + sub + ".1.gz");
        }
        assertTrue(expected.containsAll(List.of("wal-j-backup-push.1.gz", "wal-j-delete.1.gz")), expected.toString());
        TreeSet<String> written = new TreeSet<>(pages.stream().map(p -> p.getFileName().toString()).toList());
        assertEquals(expected, written); // no page for the hidden wal-prefetch nor for picocli's help
        assertFalse(written.contains("wal-j-wal-prefetch.1.gz") || written.contains("wal-j-help.1.gz"));
    }

    /** The subcommands in help order, without hidden ones and picocli's help. */
    private static List<String> visibleSubcommands() {
        List<String> names = new ArrayList<>();
        for (Class<?> c : WalJCommand.SUBCOMMANDS) {
            CommandLine.Command command = c.getAnnotation(CommandLine.Command.class);
            if (!command.hidden() && c != CommandLine.HelpCommand.class) {
                names.add(command.name());
            }
        }
        return names;
    }

    @Test
    void everyOptionAndParameterOfTheModelIsOnItsPage() throws IOException {
        CommandLine root = model();
        List<CommandLine> commands = new ArrayList<>(List.of(root));
        commands.addAll(ManualPage.visible(root));
        for (CommandLine command : commands) {
            String name = command.getCommandSpec().qualifiedName("-");
            String page = page(name);
            assertTrue(page.startsWith(".\\\" generated"), name);
            assertFalse(page.contains("%%") || page.contains("@|"), name + ": picocli's escapes or markup left");
            assertTrue(page.contains(".TH \"" + ManualPage.escape(name.toUpperCase(java.util.Locale.ROOT))
                    + "\" 1 \"2026\\-12\\-07\" \"wal\\-j 9.9.9\\-test\""), name);
            command.getCommandSpec().options().stream().filter(o -> !o.hidden()).forEach(o -> {
                for (String optionName : o.names()) {
                    assertTrue(page.contains("\\fB" + ManualPage.escape(optionName) + "\\fR"), name + " " + optionName);
                }
            });
            command.getCommandSpec().positionalParameters().forEach(p ->
                    assertTrue(page.contains(ManualPage.escape(p.paramLabel())), name + " " + p.paramLabel()));
        }
        assertTrue(page("wal-j-backup-push").contains("\\fB\\-\\-start\\-fast\\fR"));
        assertTrue(page("wal-j-wal-fetch").contains("wal\\-j wal\\-fetch %f %p"), "picocli's %% shown as %");
        assertTrue(page("wal-j-restore").contains("wal\\-j\\-restore \\- Point\\-in\\-time restore in one command\n"),
                "NAME: the first sentence up to its colon");
        assertTrue(page("wal-j-delete").contains("NUM_TO_RETAIN"), "delete's subcommands live on its page");
        assertFalse(page("wal-j").contains("gs\\-access\\-key\\-id"), "a hidden option is not documented");
    }

    @Test
    void noTextLineCanBeReadAsATroffRequest() throws IOException {
        Pattern request = Pattern.compile("^\\.(TH|SH|PP|TP|nf|fi|RS|RE|\\\\\") ?.*$");
        for (Path file : pages) {
            for (String line : gunzip(file).split("\n")) {
                if (line.startsWith(".") || line.startsWith("'")) {
                    assertTrue(request.matcher(line).matches(), file.getFileName() + ": " + line);
                }
            }
        }
        assertEquals("\\e\\-x", ManualPage.escape("\\-x"));
    }

    @Test
    void bashCompletionOffersSubcommandsAndOptions() throws Exception {
        Path script = out.resolve("bash-completion/wal-j");
        List<String> subcommands = complete(script, "wal-j", "");
        List<String> expected = new ArrayList<>(visibleSubcommands());
        expected.add("help");
        assertEquals(expected, subcommands);
        assertFalse(subcommands.contains("wal-prefetch"), "a hidden subcommand is not offered");
        assertEquals(List.of("backup-push"), complete(script, "wal-j", "backup-p"));
        List<String> pushOptions = complete(script, "wal-j", "backup-push", "--");
        assertTrue(pushOptions.containsAll(List.of("--start-fast", "--while-offline", "--pool-size", "--help")),
                pushOptions.toString());
        assertEquals(List.of("before", "retain", "old-versions", "everything"),
                complete(script, "wal-j", "delete", ""));
        assertTrue(complete(script, "wal-j", "--").containsAll(List.of("--file-prefix", "--s3-prefix", "--terse")));
    }

    /** COMPREPLY of a real bash that sourced the script, for the command line {@code words} (cursor at the end). */
    private static List<String> complete(Path script, String... words) throws Exception {
        String line = String.join(" ", words);
        // compopt works only inside a completion bash itself started; it only tunes how the candidates are shown
        String program = "compopt() { :; }\nsource \"$1\"\nshift\nCOMP_WORDS=(\"$@\")\n"
                + "COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))\nCOMP_LINE=\"" + line.replace("\"", "") + "\"\n"
                + "COMP_POINT=${#COMP_LINE}\n"
                + "_complete_wal-j wal-j \"${COMP_WORDS[COMP_CWORD]}\" \"${COMP_WORDS[COMP_CWORD-1]}\"\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        List<String> argv = new ArrayList<>(List.of("bash", "--norc", "--noprofile", "-c", program, "bash",
                script.toString()));
        argv.addAll(Arrays.asList(words));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output);
        return output.isEmpty() ? List.of() : List.of(output.split("\n"));
    }

    private static String page(String name) throws IOException {
        return gunzip(out.resolve("man/man1/" + name + ".1.gz"));
    }

    private static String gunzip(Path file) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            in.transferTo(bytes);
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
