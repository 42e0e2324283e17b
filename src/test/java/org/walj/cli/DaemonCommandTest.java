package org.walj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The daemon's options that are checked before it opens the archive and serves. */
class DaemonCommandTest {
    @Test
    @Timeout(60)
    void aCompressEarlySettingOtherThanOnOrOffIsAUsageErrorNamingIt() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream before = System.err;
        int status;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            status = Main.run(new String[] {"daemon"}, AllSettings.read(Map.of("WALJ_DAEMON_COMPRESS_EARLY", "maybe")));
        } finally {
            System.setErr(before);
        }
        assertEquals(ExitStatus.USAGE, status);
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("WALJ_DAEMON_COMPRESS_EARLY must be on or off, not 'maybe'"), text);
    }
}
