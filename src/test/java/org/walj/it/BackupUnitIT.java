package org.walj.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.walj.it.harness.ArchivingCluster;
import org.walj.it.harness.Exec;
import org.walj.it.harness.PgCluster;
import org.walj.it.harness.ProcessResult;
import org.walj.it.harness.Scratch;
import org.walj.it.harness.ScratchExtension;
import org.walj.it.harness.Tools;
import org.walj.it.harness.WalJ;

/**
 * The nightly backup unit, {@code packaging/wal-j-backup.service} (docs/packaging.md), run the way systemd runs it
 * against a real PostgreSQL 15 that archives through wal-j: its {@code ExecStart=} lines, read from the file, one
 * after the other and stopping at the first failure, as the server user, with the unit's {@code Environment=}
 * defaults overridden as an operator's {@code systemctl edit} would (this cluster's PGDATA, socket and port,
 * BACKUP_RETAIN=2), the archive's settings in an envdir (daemontools' real {@code envdir}) in place of
 * /etc/wal-e.d/env, and {@code wal-j} found on PATH as systemd's PATH finds it. Three nights leave exactly the two
 * newest backups. The lines are run by {@code sh -c}, which reads their quoting ('…' around a command, "$PGDATA"
 * left for the inner shell) as systemd does; {@code systemd-analyze verify} checks the file itself in
 * .ci/package-check.
 */
@ExtendWith(ScratchExtension.class)
class BackupUnitIT {
    private static final Path UNIT = Path.of(System.getProperty("basedir", "."), "packaging/wal-j-backup.service");

    @Test
    void threeNightsOfBackupPushThenDeleteRetainKeepTheTwoNewest(Scratch scratch) throws IOException {
        Path envdir = Tools.require("envdir", "daemontools");
        List<String> unit = Files.readAllLines(UNIT, StandardCharsets.UTF_8);
        assertTrue(unit.contains("User=postgres"), "the unit runs as PostgreSQL's user");
        List<String> execStart = new ArrayList<>();
        Map<String, String> environment = new LinkedHashMap<>();
        for (String line : unit) {
            if (line.startsWith("ExecStart=")) {
                execStart.add(line.substring("ExecStart=".length()));
            } else if (line.startsWith("Environment=")) {
                String assignment = line.substring("Environment=".length());
                environment.put(assignment.substring(0, assignment.indexOf('=')),
                        assignment.substring(assignment.indexOf('=') + 1));
            }
        }
        assertEquals(2, execStart.size(), "backup-push, then retention: " + execStart);
        assertTrue(execStart.get(0).contains("backup-push") && execStart.get(1).contains("delete --confirm retain"),
                execStart.toString());
        assertEquals(List.of("PGDATA", "PGHOST", "PGPORT", "BACKUP_RETAIN"), List.copyOf(environment.keySet()));

        WalJ walj = WalJ.install(scratch);
        Path archive = scratch.archive("archive");
        Path settings = scratch.dir("wal-e.d-env");
        Files.writeString(settings.resolve("WALE_FILE_PREFIX"), "file://localhost" + archive + "\n");
        scratch.user().own(settings.resolve("WALE_FILE_PREFIX"));

        PgCluster pg = ArchivingCluster.initdb(scratch, walj, "nightly", Map.of("WALE_FILE_PREFIX",
                "file://localhost" + archive)).configure(ArchivingCluster.SHORT_CHECKPOINTS);
        pg.start();
        environment.put("PGDATA", pg.dataDir().toString());
        environment.putAll(pg.clientEnv());
        environment.put("BACKUP_RETAIN", "2");
        environment.put("PATH", walj.launcher().getParent() + ":" + Exec.SANE_PATH);
        environment.putAll(walj.env());

        List<String> names = new ArrayList<>();
        for (int night = 1; night <= 3; night++) {
            pg.psql("CREATE TABLE night_" + night + " AS SELECT g FROM generate_series(1, 1000) g");
            for (String command : execStart) {
                String line = command.replace("/usr/bin/envdir", envdir.toString())
                        .replace("/etc/wal-e.d/env", settings.toString());
                ProcessResult r = Exec.of("sh", "-c", line).as(scratch.user()).env(environment)
                        .timeout(Duration.ofMinutes(4)).run();
                assertEquals(0, r.exitCode(), "night " + night + ": " + line + "\n" + r.describe());
            }
            names = backups(walj, archive);
            assertEquals(Math.min(night, 2), names.size(), "night " + night + ": " + names);
        }
        assertTrue(names.get(0).compareTo(names.get(1)) < 0, names.toString());
        pg.stop();
    }

    private static List<String> backups(WalJ walj, Path archive) {
        ProcessResult list = walj.run(Map.of("WALE_FILE_PREFIX", "file://localhost" + archive), "backup-list")
                .requireSuccess();
        return list.stdout().lines().filter(l -> l.startsWith("base_")).map(l -> l.split("\t")[0]).sorted().toList();
    }
}
