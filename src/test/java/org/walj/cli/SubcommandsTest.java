package org.walj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SubcommandsTest {

    private static CommandLine root(String... args) {
        CommandLine cmd = new CommandLine(new WalJCommand(AllSettings.read(Map.of()), List.of(args)));
        Subcommands.register(cmd, List.of(args));
        return cmd;
    }

    @Test
    void aRunThatNamesOneSubcommandRegistersOnlyThatOne() {
        assertEquals(List.of("wal-push"), List.copyOf(root("wal-push", "pg_wal/000000010000000000000001")
                .getSubcommands().keySet()));
        assertEquals(List.of("wal-fetch"), List.copyOf(root("--terse", "wal-fetch", "0000000100000000000000A1",
                "pg_wal/RECOVERYXLOG").getSubcommands().keySet()));
    }

    @Test
    void helpNoSubcommandOrSeveralNamesRegisterAllInHelpOrder() {
        List<String> all = List.of("version", "wal-push", "wal-fetch", "wal-prefetch", "backup-push", "backup-fetch",
                "restore", "backup-list", "backup-verify", "delete", "wal-verify", "status", "daemon", "help");
        assertEquals(all, List.copyOf(root().getSubcommands().keySet()));
        assertEquals(all, List.copyOf(root("help", "wal-push").getSubcommands().keySet()));
        assertEquals(all, List.copyOf(root("--help").getSubcommands().keySet()));
        // an option value that happens to be a subcommand's name must not hide the real subcommand
        assertEquals(all, List.copyOf(root("--file-prefix", "backup-list", "wal-push", "x").getSubcommands().keySet()));
        assertNull(Subcommands.named(List.of("wal-pushx")));
    }

    @Test
    void anUnknownSubcommandIsStillAUsageError() {
        assertEquals(ExitStatus.USAGE, Main.run(new String[] {"wal-psuh"}, AllSettings.read(Map.of())));
    }
}
