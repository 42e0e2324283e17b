package org.walj.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walj.UserException;

/** What wal-j restore writes, and that restore_command survives the configuration file and the shell. */
class RecoverySettingsTest {
    private static final Path WALJ = Path.of("/usr/local/bin/wal-j");

    @Test
    void restoreCommandRepeatsTheLauncherAndTheGlobalOptions() {
        assertEquals("/usr/local/bin/wal-j --file-prefix file://localhost/var/backups/pg wal-fetch \"%f\" \"%p\"",
                RecoverySettings.restoreCommand(Optional.empty(), WALJ,
                        List.of("--file-prefix", "file://localhost/var/backups/pg")));
        assertEquals("envdir /etc/wal-e.d/env /usr/local/bin/wal-j wal-fetch \"%f\" \"%p\"",
                RecoverySettings.restoreCommand(Optional.of(" envdir /etc/wal-e.d/env "), WALJ, List.of()));
    }

    @Test
    void oddPathsAreQuotedForTheShellAndPercentSignsDoubled() {
        String command = RecoverySettings.restoreCommand(Optional.empty(), Path.of("/opt/my tools/it's 100%/wal-j"),
                List.of("--s3-prefix", "s3://bucket/a b"));
        assertEquals("'/opt/my tools/it'\\''s 100%%/wal-j' --s3-prefix 's3://bucket/a b' wal-fetch \"%f\" \"%p\"",
                command);
        assertThrows(UserException.class, () -> RecoverySettings.restoreCommand(Optional.empty(),
                Path.of("/opt/a\nb/wal-j"), List.of()));
    }

    @Test
    void configurationStringsEscapeQuotesAndBackslashes() {
        assertEquals("'it''s a \\\\ path'", RecoverySettings.confString("it's a \\ path"));
    }

    @Test
    void theSettingsForATimeTarget() {
        RecoverySettings s = new RecoverySettings("cmd", RecoveryTarget.time("2026-11-22T02:41:00+01:00"),
                RecoverySettings.TargetAction.PROMOTE, Optional.of(false), TargetTimeline.LATEST);
        assertEquals(Map.of("restore_command", "cmd", "recovery_target_time", "2026-11-22 01:41:00.000000+00",
                "recovery_target_action", "promote", "recovery_target_inclusive", "off",
                "recovery_target_timeline", "latest"), s.values());
        assertEquals("# from wal-j\nrestore_command = 'cmd'\nrecovery_target_time = '2026-11-22 01:41:00.000000+00'\n"
                + "recovery_target_action = 'promote'\nrecovery_target_inclusive = 'off'\n"
                + "recovery_target_timeline = 'latest'\n", s.block("from wal-j"));
    }

    @Test
    void latestWritesNoTargetAndNoAction() {
        RecoverySettings s = new RecoverySettings("cmd", RecoveryTarget.latest(), RecoverySettings.TargetAction.PAUSE,
                Optional.empty(), TargetTimeline.parse("3"));
        assertEquals(List.of("restore_command", "recovery_target_timeline"), List.copyOf(s.values().keySet()));
        assertEquals("3", s.values().get("recovery_target_timeline"));
    }

    @Test
    void settingsThatWouldFightOursAreCommentedOut() {
        String text = "# restore_command = 'old'\nwork_mem = '1MB'\nrestore_command = 'old'\n"
                + "Recovery_Target_LSN='0/1'\n  recovery_target_action pause\nrecovery_min_apply_delay = 0";
        assertEquals("# restore_command = 'old'\nwork_mem = '1MB'\n# disabled by wal-j restore: restore_command = "
                + "'old'\n# disabled by wal-j restore: Recovery_Target_LSN='0/1'\n# disabled by wal-j restore:   "
                + "recovery_target_action pause\nrecovery_min_apply_delay = 0",
                RecoverySettings.disableManaged(text));
        assertTrue(RecoverySettings.setsManaged(text));
        assertTrue(!RecoverySettings.setsManaged("work_mem = '1MB'\n"));
    }

    /**
     * The command as PostgreSQL runs it: the configuration string read back, %f/%p/%% replaced, then {@code sh -c}.
     * The launcher stand-in prints its arguments one per line.
     */
    @Test
    void theShellGivesTheLauncherExactlyTheseArguments(@TempDir Path dir) throws Exception {
        Path odd = Files.createDirectories(dir.resolve("it's a $HOME `x` 100% \\ dir"));
        Path launcher = odd.resolve("wal-j");
        Files.writeString(launcher, "#!/bin/sh\nfor a in \"$0\" \"$@\"; do printf '%s\\n' \"$a\"; done\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwx------"));
        String prefix = "file://localhost" + odd + "/archive 50%";
        String command = RecoverySettings.restoreCommand(Optional.empty(), launcher, List.of("--file-prefix", prefix));
        String asPostgresRunsIt = postgresSubstitution(readConfString(RecoverySettings.confString(command)),
                "000000010000000000000003", "pg_wal/RECOVERYXLOG");
        Process p = new ProcessBuilder("/bin/sh", "-c", asPostgresRunsIt).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertEquals(List.of(launcher.toString(), "--file-prefix", prefix, "wal-fetch", "000000010000000000000003",
                "pg_wal/RECOVERYXLOG"), out.lines().toList());
    }

    /** PostgreSQL's configuration lexer for a quoted value: '' is ', backslash escapes the next character. */
    private static String readConfString(String quoted) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i < quoted.length() - 1; i++) {
            char c = quoted.charAt(i);
            if (c == '\'' && quoted.charAt(i + 1) == '\'') {
                b.append('\'');
                i++;
            } else if (c == '\\') {
                b.append(quoted.charAt(++i));
            } else if (c == '\'') {
                throw new IOException("unescaped quote at " + i + " in " + quoted);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** PostgreSQL's BuildRestoreCommand: %f, %p, %r and %% (only those). */
    private static String postgresSubstitution(String command, String file, String path) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (c == '%' && i + 1 < command.length()) {
                char n = command.charAt(++i);
                switch (n) {
                    case 'f' -> b.append(file);
                    case 'p' -> b.append(path);
                    case 'r' -> b.append("000000010000000000000001");
                    case '%' -> b.append('%');
                    default -> b.append('%').append(n);
                }
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
