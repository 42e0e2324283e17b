package org.walj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walj.storage.file.FileStorage;
import picocli.CommandLine;

/** wal-j restore's command line: its usage errors, and the restore_command a dry run shows. */
class RestoreCommandTest {
    @TempDir
    Path dir;

    private static String usageError(String... args) {
        CommandLine cmd = Main.commandLine(args, AllSettings.read(Map.of()));
        StringWriter err = new StringWriter();
        cmd.setErr(new PrintWriter(err, true));
        assertEquals(ExitStatus.USAGE, cmd.execute(args), err.toString());
        return err.toString();
    }

    @Test
    void oneTargetOneActionAndLatestOnly() {
        assertTrue(usageError("restore", "--target-time", "2026-11-22 02:41:00+00", "--target-lsn", "0/1", "/d")
                .contains("give one recovery target, not --target-time and --target-lsn"));
        assertTrue(usageError("restore", "--target", "yesterday", "/d").contains("--target takes only latest"));
        assertTrue(usageError("restore", "--target-action", "resume", "/d")
                .contains("--target-action must be pause, promote or shutdown"));
    }

    /** restore takes backup-fetch's restore options as they are: the same names, labels and help. */
    @Test
    void restoreSharesBackupFetchsOptions() {
        CommandLine root = Main.commandLine(new String[0], AllSettings.read(Map.of()));
        CommandLine.Model.CommandSpec fetch = root.getSubcommands().get("backup-fetch").getCommandSpec();
        CommandLine.Model.CommandSpec restore = root.getSubcommands().get("restore").getCommandSpec();
        for (String name : new String[] {"--pool-size", "-p", "--restore-spec", "--blind-restore",
                "--require-manifest", "--delta"}) {
            CommandLine.Model.OptionSpec a = fetch.findOption(name);
            CommandLine.Model.OptionSpec b = restore.findOption(name);
            assertTrue(a != null && b != null, name);
            assertEquals(java.util.List.of(a.names()), java.util.List.of(b.names()), name);
            assertEquals(a.paramLabel(), b.paramLabel(), name);
            assertEquals(java.util.List.of(a.description()), java.util.List.of(b.description()), name);
        }
        assertTrue(usageError("restore", "--pool-size", "0", "/d").contains("pool-size"),
                "the shared option is checked in restore too");
    }

    private Path archive() throws IOException {
        Path root = Files.createDirectories(dir.resolve("archive"));
        FileStorage storage = new FileStorage(root);
        put(storage, "basebackups_005/base_000000010000000000000002_00000040_backup_stop_sentinel.json",
                "{\"wal_segment_backup_stop\": \"000000010000000000000003\", \"wal_segment_offset_backup_stop\": "
                        + "\"00000312\", \"expanded_size_bytes\": 1, \"spec\": {\"base_prefix\": \"/d/\", "
                        + "\"tablespaces\": []}}");
        for (int n = 2; n <= 4; n++) {
            put(storage, String.format("wal_005/00000001%016X.lzo", n), "w");
        }
        return root;
    }

    private static void put(FileStorage storage, String key, String text) throws IOException {
        storage.put(key, new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), null);
    }

    private record Run(int status, String out) {
    }

    private static Run run(Map<String, String> env, String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int status = Main.run(args, AllSettings.read(env));
            return new Run(status, out.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(saved);
        }
    }

    @Test
    void aPrefixFromTheEnvironmentIsPinnedInRestoreCommand() throws IOException {
        String prefix = "file://localhost" + archive();
        Path target = dir.resolve("pgdata");
        Run r = run(Map.of("WALE_FILE_PREFIX", prefix), "--terse", "restore", "--dry-run", "--launcher",
                "/opt/wal j/wal-j", target.toString());
        assertEquals(ExitStatus.OK, r.status(), r.out());
        assertTrue(r.out().contains("restore_command = '''/opt/wal j/wal-j'' --terse --file-prefix " + prefix
                + " wal-fetch \"%f\" \"%p\"'\n"), r.out());
        assertTrue(r.out().contains("base_000000010000000000000002_00000040"), r.out());
        assertFalse(Files.exists(target), "a dry run writes nothing");
    }

    @Test
    void anEnvCommandGivesPostgresTheEnvironmentInstead() throws IOException {
        String prefix = "file://localhost" + archive();
        Run r = run(Map.of(), "--file-prefix", prefix, "restore", "--dry-run", "--launcher", "/usr/bin/wal-j",
                "--env-command", "envdir /etc/wal-e.d/env", dir.resolve("pgdata").toString());
        assertEquals(ExitStatus.OK, r.status(), r.out());
        assertTrue(r.out().contains("restore_command = 'envdir /etc/wal-e.d/env /usr/bin/wal-j --file-prefix "
                + prefix + " wal-fetch \"%f\" \"%p\"'\n"), r.out());
    }

    @Test
    void targetInclusiveTakesAnOptionalValueAndLeavesTheDirectoryAlone() throws IOException {
        String prefix = "file://localhost" + archive();
        Path target = dir.resolve("pgdata");
        Run bare = run(Map.of(), "--file-prefix", prefix, "restore", "--dry-run", "--launcher", "/usr/bin/wal-j",
                "--target-lsn", "0/3000200", "--target-inclusive", target.toString());
        assertEquals(ExitStatus.OK, bare.status(), bare.out());
        assertTrue(bare.out().contains("recovery_target_inclusive = 'on'") && bare.out().contains("into:     "
                + target), bare.out());
        Run off = run(Map.of(), "--file-prefix", prefix, "restore", "--dry-run", "--launcher", "/usr/bin/wal-j",
                "--target-lsn", "0/3000200", "--target-inclusive=false", "--target-action", "shutdown",
                target.toString());
        assertTrue(off.out().contains("recovery_target_inclusive = 'off'")
                && off.out().contains("recovery_target_action = 'shutdown'"), off.out());
    }

    @Test
    void withoutTheLauncherItsPathMustBeGiven() throws IOException {
        String prefix = "file://localhost" + archive();
        assertEquals(ExitStatus.ERROR, run(Map.of("WALE_FILE_PREFIX", prefix), "restore", "--dry-run",
                dir.resolve("pgdata").toString()).status());
    }

    @Test
    void aDeltaDryRunDoesNotWarnAboutAnUsedDirectory() throws IOException {
        String prefix = "file://localhost" + archive();
        Path target = Files.createDirectories(dir.resolve("drifted"));
        Files.writeString(target.resolve("PG_VERSION"), "15\n");
        Run plain = run(Map.of(), "--file-prefix", prefix, "restore", "--dry-run", "--launcher", "/usr/bin/wal-j",
                target.toString());
        assertTrue(plain.out().contains("is not empty"), plain.out());
        Run delta = run(Map.of(), "--file-prefix", prefix, "restore", "--dry-run", "--delta", "--launcher",
                "/usr/bin/wal-j", target.toString());
        assertEquals(ExitStatus.OK, delta.status(), delta.out());
        assertFalse(delta.out().contains("is not empty"), delta.out());
        assertEquals("15\n", Files.readString(target.resolve("PG_VERSION")), "a dry run writes nothing");
    }
}
