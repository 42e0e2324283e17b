package org.walj.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.walj.UserException;

/** The declarations, the values read from an environment, and the daemon's comparison. */
class SettingsTest {
    private static final Setting<Integer> PARTS = Setting.integer("WALJ_T_PARTS", Scope.MUST_MATCH_DAEMON, 3, 1, 64,
            "parts");
    private static final Setting<String> NAME = Setting.text("WALJ_T_NAME", Scope.MUST_MATCH_DAEMON, "name");
    private static final Setting<String> KEY = Setting.secret("WALJ_T_KEY", Scope.MUST_MATCH_DAEMON, "key");
    private static final Setting<String> EXIT = Setting.text("WALJ_T_EXIT", Scope.MUST_MATCH_DAEMON, "exit")
            .keepingEmpty();
    private static final Setting<String> HOME = Setting.text("HOME", Scope.PROCESS, "home");
    private static final Setting<String> JAVA = Setting.text("WALJ_T_JAVA", Scope.LAUNCHER, "java");
    private static final SettingTable TABLE = SettingTable.of(List.of(PARTS, NAME, KEY, EXIT), List.of(HOME, JAVA))
            .withFamilies(List.of(new VariableFamily("LIB_", Scope.MUST_MATCH_DAEMON, "a library")));

    @Test
    void aWholeNumberWithinItsBoundsElseTheUsersErrorNamingTheVariable() {
        assertEquals(3, Settings.read(TABLE, Map.of()).value(PARTS));
        assertEquals(3, Settings.read(TABLE, Map.of("WALJ_T_PARTS", "")).value(PARTS), "empty is unset");
        assertEquals(64, Settings.read(TABLE, Map.of("WALJ_T_PARTS", " 64 ")).value(PARTS));
        for (String bad : new String[] {"0", "65", "x", "1.5"}) {
            UserException e = assertThrows(UserException.class,
                    () -> Settings.read(TABLE, Map.of("WALJ_T_PARTS", bad)).value(PARTS));
            assertEquals("WALJ_T_PARTS must be a whole number from 1 to 64, not \"" + bad + "\"", e.getMessage());
        }
    }

    @Test
    void aBadValueFailsWhenTheSettingIsReadNotWhenTheEnvironmentIs() {
        Settings settings = Settings.read(TABLE, Map.of("WALJ_T_PARTS", "many", "WALJ_T_NAME", "n"));
        assertEquals(Optional.of("n"), settings.get(NAME));
        assertThrows(UserException.class, () -> settings.value(PARTS));
    }

    @Test
    void emptyIsUnsetUnlessTheSettingKeepsIt() {
        Settings settings = Settings.read(TABLE, Map.of("WALJ_T_NAME", "", "WALJ_T_EXIT", ""));
        assertEquals(Optional.empty(), settings.get(NAME));
        assertFalse(settings.isSet(NAME));
        assertEquals(Optional.of(""), settings.text(EXIT));
        assertTrue(settings.isSet(EXIT));
    }

    @Test
    void readingAnUndeclaredSettingThrows() {
        Settings settings = Settings.read(TABLE, Map.of("WALJ_T_OTHER", "x"));
        Setting<String> other = Setting.text("WALJ_T_OTHER", Scope.PROCESS, "not in the table");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> settings.get(other));
        assertTrue(e.getMessage().contains("WALJ_T_OTHER"), e.getMessage());
        // the same name declared twice over is not the table's declaration either
        Setting<String> lookalike = Setting.text("WALJ_T_NAME", Scope.PROCESS, "a copy");
        assertThrows(IllegalArgumentException.class, () -> settings.get(lookalike));
        assertEquals("Settings[]", settings.toString(), "undeclared variables are not even kept");
    }

    @Test
    void aNameIsDeclaredOnceAndLooksLikeAVariable() {
        assertThrows(IllegalArgumentException.class, () -> SettingTable.of(List.of(NAME),
                List.of(Setting.text("WALJ_T_NAME", Scope.PROCESS, "again"))));
        assertThrows(IllegalArgumentException.class, () -> Setting.text("walj-lower", Scope.PROCESS, "bad"));
        assertThrows(IllegalArgumentException.class, () -> new VariableFamily("AWS", Scope.PROCESS, "no underscore"));
    }

    @Test
    void aSecretIsTextOnlySoNoParserMessageCanQuoteIt() {
        assertThrows(IllegalArgumentException.class,
                () -> new Setting<>("WALJ_T_PIN", Scope.PROCESS, true, true, Setting.bounded(0, 9), null, "pin"));
        Settings settings = Settings.read(TABLE, Map.of("WALJ_T_KEY", "hunter2"));
        assertEquals(Optional.of("hunter2"), settings.get(KEY));
        assertFalse(settings.toString().contains("hunter2"), settings.toString());
    }

    @Test
    void theDaemonComparesTheMustMatchSettingsAndFamiliesAndNamesOnlyTheDifferences() {
        Settings daemon = Settings.read(TABLE, Map.of("WALJ_T_NAME", "n", "WALJ_T_KEY", "daemon-secret",
                "HOME", "/d", "WALJ_T_JAVA", "/j", "LIB_PROFILE", "a", "WALJ_T_EXIT", ""));
        assertEquals(List.of(), List.copyOf(daemon.mustMatchDifferences(Map.of("WALJ_T_NAME", "n",
                "WALJ_T_KEY", "daemon-secret", "HOME", "/client", "LIB_PROFILE", "a", "WALJ_T_EXIT", "",
                "WALJ_T_UNDECLARED", "x"))), "process and launcher settings and undeclared names are not compared");
        assertEquals(List.of("LIB_PROFILE", "LIB_REGION", "WALJ_T_EXIT", "WALJ_T_KEY", "WALJ_T_PARTS"),
                List.copyOf(daemon.mustMatchDifferences(Map.of("WALJ_T_NAME", "n", "WALJ_T_KEY", "client-secret",
                        "LIB_PROFILE", "b", "LIB_REGION", "r", "WALJ_T_PARTS", "4"))),
                "differs: another value, set only on one side, unset vs empty");
    }

    @Test
    void aClientsSettingsAreTheSameTableReadFromItsEnvironment() {
        Settings daemon = Settings.read(TABLE, Map.of("WALJ_T_PARTS", "5"));
        Settings client = daemon.forClient(Map.of("WALJ_T_PARTS", "7"));
        assertEquals(5, daemon.value(PARTS));
        assertEquals(7, client.value(PARTS));
        assertEquals(Map.of("WALJ_T_PARTS", "7"), client.texts(List.of(PARTS, NAME)));
    }
}
