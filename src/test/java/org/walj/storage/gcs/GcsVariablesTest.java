package org.walj.storage.gcs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.walj.UserException;
import org.walj.settings.Setting;
import org.walj.settings.SettingTable;
import org.walj.settings.Settings;

/** The GCS settings keep the messages GcsOpener gave when it read the environment itself. */
class GcsVariablesTest {
    private static Settings read(Map<String, String> env) {
        return Settings.read(SettingTable.of(GcsVariables.ALL), env);
    }

    @Test
    void aBadEndpointNamesItsVariable() {
        assertBadEndpointNamed(GcsVariables.ENDPOINT);
        assertBadEndpointNamed(GcsVariables.EMULATOR_HOST);
    }

    private static void assertBadEndpointNamed(Setting<GcsEndpoint> setting) {
        UserException e = assertThrows(UserException.class,
                () -> read(Map.of(setting.name(), "ftp://x")).get(setting));
        assertTrue(e.getMessage().startsWith("invalid " + setting.name() + ": "), e.getMessage());
        assertEquals("Give the endpoint as http://host:port or https://host:port.", e.hint().orElseThrow());
    }

    @Test
    void timeoutBoundsAsBefore() {
        assertEquals(30, read(Map.of()).value(GcsVariables.REQUEST_TIMEOUT_SECONDS));
        UserException e = assertThrows(UserException.class,
                () -> read(Map.of("WALJ_GS_REQUEST_TIMEOUT_SECONDS", "0")).value(GcsVariables.REQUEST_TIMEOUT_SECONDS));
        assertEquals("WALJ_GS_REQUEST_TIMEOUT_SECONDS must be a whole number from 1 to 3600, not \"0\"",
                e.getMessage());
    }
}
