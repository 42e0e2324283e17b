package org.walj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every help text renders cleanly: picocli formats descriptions with {@code String.format}, so a bare {@code %p}
 * (as in {@code archive_command = 'wal-j wal-push %p'}) printed a "[picocli WARN]" line into every {@code --help}.
 */
class UsageTextTest {

    @Test
    void everySubcommandsHelpRendersWithoutPicocliWarnings() {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            CommandLine root = Main.commandLine(new String[0], AllSettings.read(Map.of()));
            StringBuilder usage = new StringBuilder(root.getUsageMessage());
            for (CommandLine sub : root.getSubcommands().values()) {
                usage.append(sub.getUsageMessage());
            }
            String text = usage.toString();
            assertTrue(text.contains("wal-j wal-push %p"), text);
            assertTrue(text.contains("wal-j wal-fetch %f %p"), text);
        } finally {
            System.setErr(original);
        }
        String warnings = captured.toString(StandardCharsets.UTF_8);
        assertFalse(warnings.contains("picocli WARN"), warnings);
        assertEquals("", warnings.strip(), "help printed nothing on stderr");
    }
}
