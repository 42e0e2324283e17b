package org.walj.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ch.qos.logback.classic.LoggerContext;

/** The progress line with an injected clock: what it draws, how often, and how log records get past it. */
class ProgressLineTest {
    private static final long MS = 1_000_000L;
    private static final long MIB = 1024 * 1024;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ConsoleLine console = new ConsoleLine(out);
    private final AtomicLong now = new AtomicLong(-5_000 * MS); // nanoTime may be negative

    private String output() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The texts drawn, in order: everything after each \r, wipes left out. */
    private List<String> drawings() {
        return Pattern.compile("\r").splitAsStream(output()).filter(s -> !s.isBlank()).map(String::strip).toList();
    }

    @Test
    void drawsAtOnceThenAtMostFourTimesASecondHoweverOftenBytesArrive() {
        Progress p = ProgressDisplay.on(console, now::get).start("backup-push read", OptionalLong.of(100 * MIB));
        assertEquals(List.of("backup-push read 0 B of 100 MiB (0%)"), drawings());
        for (int i = 0; i < 1000; i++) { // 1000 buffers in 249 ms: no new drawing
            now.addAndGet(249 * MS / 1000);
            p.add(1024);
        }
        assertEquals(1, drawings().size(), output());
        now.addAndGet(1 * MS);
        p.add(1024);
        assertEquals(2, drawings().size(), output());
        assertEquals("backup-push read 0.98 MiB of 100 MiB (0%)", drawings().get(1));
        for (int i = 0; i < 40; i++) { // 10 s of 10 ms steps at 1 MiB each: at most 4 drawings a second
            now.addAndGet(10 * MS);
            p.add(MIB / 10 * 1);
        }
        int drawn = drawings().size() - 2;
        assertTrue(drawn >= 1 && drawn <= 2, drawn + " drawings in 400 ms:\n" + output());
    }

    @Test
    void rateAndEtaAppearAfterTheFirstSecond() {
        Progress p = ProgressDisplay.on(console, now::get).start("backup-fetch downloaded", OptionalLong.of(60 * MIB));
        for (int i = 1; i <= 8; i++) { // 10 MiB/s for 2 s, in quarter seconds
            now.addAndGet(250 * MS);
            p.add(10 * MIB / 4);
        }
        List<String> d = drawings();
        assertEquals("backup-fetch downloaded 7.50 MiB of 60.0 MiB (12%)", d.get(3), "0.75 s: no rate yet");
        assertEquals("backup-fetch downloaded 10.0 MiB of 60.0 MiB (16%), 10.0 MiB/s, ETA 0:00:05", d.get(4));
        assertEquals("backup-fetch downloaded 20.0 MiB of 60.0 MiB (33%), 10.0 MiB/s, ETA 0:00:04", d.get(8));
    }

    @Test
    void anUnknownTotalShowsBytesAndRateWithoutEta() {
        Progress p = ProgressDisplay.on(console, now::get).start("backup-verify read", OptionalLong.empty());
        now.addAndGet(2000 * MS);
        p.add(4 * MIB);
        assertEquals("backup-verify read 4.00 MiB, 2.00 MiB/s", drawings().get(1));
    }

    @Test
    void closeWipesTheLineAndNothingIsDrawnAfterIt() {
        Progress p = ProgressDisplay.on(console, now::get).start("backup-push read", OptionalLong.of(10));
        p.close();
        String wiped = output();
        assertTrue(wiped.endsWith("\r" + " ".repeat("backup-push read 0 B of 10 B (0%)".length()) + "\r"), wiped);
        now.addAndGet(10_000 * MS);
        p.add(5);
        p.close();
        assertEquals(wiped, output(), "closed: no drawing, no second wipe");
    }

    @Test
    void aShorterTextCoversTheRestOfTheLongerOne() {
        console.show("abcdef");
        console.show("xy");
        assertEquals("\rabcdef\rxy    ", output());
    }

    @Test
    void aRecordWipesTheLineFirstAndTheLineComesBackBelowIt() throws Exception {
        console.show("backup-push read 1.00 MiB");
        console.record("wal_e.worker.upload INFO     MSG: x\n".getBytes(StandardCharsets.UTF_8));
        String blank = " ".repeat("backup-push read 1.00 MiB".length());
        assertEquals("\rbackup-push read 1.00 MiB\r" + blank + "\rwal_e.worker.upload INFO     MSG: x\n"
                + "\rbackup-push read 1.00 MiB", output());
    }

    /** Without a progress line (stderr not a terminal: the default) a record is written exactly as before. */
    @Test
    void withoutAProgressLineARecordIsItsBytesOnly() throws Exception {
        console.record("wal_e.main   INFO     MSG: starting WAL-E\n".getBytes(StandardCharsets.UTF_8));
        console.show("p");
        console.clear();
        out.reset();
        console.record("wal_e.main   INFO     MSG: again\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("wal_e.main   INFO     MSG: again\n", output());
    }

    /** The real appender: a record logged while the line is shown starts on a wiped line. */
    @Test
    void theLogAppenderWritesThroughTheConsoleLine() {
        LoggerContext context = new LoggerContext();
        java.io.PrintStream stream = new java.io.PrintStream(out, true, StandardCharsets.UTF_8);
        LogSetup.install(context, "stderr", stream);
        Progress p = ProgressDisplay.on(LogSetup.console(context), now::get).start("backup-fetch downloaded",
                OptionalLong.empty());
        context.getLogger("wal_e.worker.base").info("MSG: beginning partition download");
        p.close();
        String text = output();
        String blank = " ".repeat("backup-fetch downloaded 0 B".length());
        assertTrue(text.startsWith("\rbackup-fetch downloaded 0 B\r" + blank + "\rwal_e.worker.base INFO     MSG: "
                + "beginning partition download\n"), text);
        assertTrue(text.endsWith("\n\rbackup-fetch downloaded 0 B\r" + blank + "\r"), text);
    }

    @Test
    void progressIsOffUnlessAskedForOrOnATerminal() {
        assertFalse(ProgressDisplay.choose(ProgressMode.AUTO, false, true).enabled(), "auto, stderr not a terminal");
        assertFalse(ProgressDisplay.choose(ProgressMode.AUTO, true, false).enabled(), "auto with --terse");
        assertTrue(ProgressDisplay.choose(ProgressMode.AUTO, true, true).enabled());
        assertFalse(ProgressDisplay.choose(ProgressMode.NEVER, true, true).enabled());
        assertTrue(ProgressDisplay.choose(ProgressMode.ALWAYS, false, false).enabled());
        assertSame(Progress.NONE, ProgressDisplay.off().start("x", OptionalLong.of(1)));
    }

    @Test
    void aTerminalIsAPseudoTerminalATtyOrTheConsoleNothingElse(@TempDir Path dir) throws Exception {
        for (String tty : List.of("/dev/pts/3", "/dev/tty1", "/dev/ttyS0", "/dev/tty", "/dev/console")) {
            Path link = Files.createSymbolicLink(dir.resolve("t" + tty.hashCode()), Path.of(tty));
            assertTrue(Terminal.isTerminal(link), tty);
            Files.delete(link); // JUnit warns about links that leave its directory
        }
        for (String other : List.of("pipe:[123456]", "socket:[99]", "/dev/null", "/var/log/wal-j.log",
                "/dev/ptmx-not")) {
            Path link = Files.createSymbolicLink(dir.resolve("o" + other.hashCode()), Path.of(other));
            assertFalse(Terminal.isTerminal(link), other);
            Files.delete(link);
        }
        assertFalse(Terminal.isTerminal(dir.resolve("missing")));
        assertFalse(Terminal.isTerminal(Files.createFile(dir.resolve("not-a-link"))));
        // surefire's fork writes its stderr into a pipe to the build: the default case of every test
        assertFalse(Terminal.stderrIsTerminal(), "the test JVM's stderr is a pipe");
        assertFalse(ProgressDisplay.choose(ProgressMode.AUTO).enabled());
    }

    @Test
    void theSettingTakesAutoAlwaysNeverInAnyCase() {
        assertEquals(ProgressMode.ALWAYS, ProgressMode.parse("WALJ_PROGRESS", "Always"));
        assertEquals(ProgressMode.NEVER, ProgressMode.parse("WALJ_PROGRESS", " never "));
        org.walj.UserException e = org.junit.jupiter.api.Assertions.assertThrows(org.walj.UserException.class,
                () -> ProgressMode.parse("WALJ_PROGRESS", "yes"));
        assertTrue(e.getMessage().contains("WALJ_PROGRESS must be auto, always or never, not \"yes\""),
                e.getMessage());
    }
}
