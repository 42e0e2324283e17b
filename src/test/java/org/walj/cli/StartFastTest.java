package org.walj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.walj.UserException;
import org.walj.settings.Settings;
import picocli.CommandLine;

/** backup-push's checkpoint: spread unless --start-fast or WALJ_START_FAST, and --no-start-fast undoes the setting. */
class StartFastTest {

    @ParameterizedTest
    @CsvSource({
        "'',                 '',    false",
        "--start-fast,       '',    true",
        "'',                 true,  true",
        "'',                 1,     true",
        "'',                 0,     false",
        "--no-start-fast,    true,  false",
        "--start-fast,       false, true",
    })
    void optionThenSettingThenSpread(String option, String setting, boolean fast) {
        Settings env = AllSettings.read(setting.isEmpty() ? Map.of() : Map.of("WALJ_START_FAST", setting));
        assertEquals(fast, parse(option, env).fastCheckpoint(env));
    }

    @ParameterizedTest
    @CsvSource({"maybe", "yes"})
    void aBadSettingIsTheUsersError(String setting) {
        Settings env = AllSettings.read(Map.of("WALJ_START_FAST", setting));
        UserException e = assertThrows(UserException.class, () -> parse("", env).fastCheckpoint(env));
        assertTrue(e.getMessage().contains("WALJ_START_FAST must be 1, true, 0 or false, not \"" + setting + "\""),
                e.getMessage());
    }

    private static BackupPushCommand parse(String option, Settings env) {
        String[] args = option.isEmpty() ? new String[] {"backup-push", "/data"}
                : new String[] {"backup-push", option, "/data"};
        CommandLine cmd = Main.commandLine(args, env);
        CommandLine.ParseResult parsed = cmd.parseArgs(args);
        return (BackupPushCommand) parsed.subcommand().commandSpec().userObject();
    }
}
