package org.walj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.walj.logging.LogLevel;
import org.walj.logging.LogSetup;

/**
 * The logging level is the JVM's: {@code Main.run} applies {@code --terse} to it and must put the caller's back when
 * it returns, or a later test in the same fork (PushAheadTest in CI) finds its INFO records dropped.
 */
class MainLoggingLevelTest {
    private LogLevel saved;

    @BeforeEach
    void remember() {
        saved = LogSetup.level();
    }

    @AfterEach
    void putBack() {
        LogSetup.setLevel(saved);
    }

    @Test
    void terseDoesNotOutliveTheRun() {
        LogSetup.setLevel(LogLevel.INFO);
        assertEquals(0, quietly("--terse", "version"));
        assertEquals(LogLevel.INFO, LogSetup.level());
    }

    @Test
    void aRunWithoutTerseLeavesTheCallersLevel() {
        LogSetup.setLevel(LogLevel.WARNING);
        assertEquals(0, quietly("version"));
        assertEquals(LogLevel.WARNING, LogSetup.level());
    }

    @Test
    void aFailedRunPutsTheLevelBackToo() {
        LogSetup.setLevel(LogLevel.DEBUG);
        // past parsing (where --terse is applied): no archive configured, one ERROR line, a non-zero status
        assertNotEquals(0, quietly("--terse", "backup-list"));
        assertEquals(LogLevel.DEBUG, LogSetup.level());
    }

    private static int quietly(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        System.setOut(new PrintStream(sink, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(sink, true, StandardCharsets.UTF_8));
        try {
            return Main.run(args, AllSettings.read(Map.of()));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
