package org.walj.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.walj.it.harness.ArchivingCluster;
import org.walj.it.harness.Compare;
import org.walj.it.harness.Exec;
import org.walj.it.harness.PgCluster;
import org.walj.it.harness.PgbenchLoad;
import org.walj.it.harness.ProcessResult;
import org.walj.it.harness.Scratch;
import org.walj.it.harness.ScratchExtension;
import org.walj.it.harness.Tools;
import org.walj.it.harness.WalJ;

/**
 * backup-push against a real PostgreSQL 15, checked and restored without wal-j's backup-fetch, the way anyone with
 * WAL-E's layout could: {@code lzop -dc part | tar -x} of every partition, {@code recovery.signal}, and
 * {@code restore_command='wal-j wal-fetch %f %p'}. The restored cluster must equal its source row for row.
 */
@ExtendWith(ScratchExtension.class)
class BackupPushIT {
    private static final Pattern BACKUP = Pattern.compile("base_([0-9A-F]{24})_([0-9]{8})");
    private static final List<String> TABLES = List.of("pgbench_accounts", "pgbench_branches", "pgbench_tellers",
            "pgbench_history", "marker");

    @Test
    void onlineUnderLoadAndOfflineBackupsRestoreTheWalEWayRowForRow(Scratch scratch) throws Exception {
        Path lzop = Tools.require("lzop", "lzop");
        Path tar = Tools.require("tar", "tar");
        WalJ walj = WalJ.install(scratch);
        Path archive = scratch.archive("archive");
        Map<String, String> walEnv = walj.fileArchiveEnv(archive);

        PgCluster source = ArchivingCluster.initdb(scratch, walj, "src", walEnv)
                .configure(ArchivingCluster.SHORT_CHECKPOINTS);
        source.start();
        source.pgbench(Duration.ofMinutes(2), "-i", "-s", "2", "-q");
        source.psql("CREATE TABLE marker (id int PRIMARY KEY, note text NOT NULL);"
                + "INSERT INTO marker SELECT g, 'before ' || g FROM generate_series(1, 1000) g;");

        // --- online, while pgbench writes
        Map<String, String> pgEnv = new LinkedHashMap<>(walEnv);
        pgEnv.putAll(source.clientEnv());
        ProcessResult online;
        try (PgbenchLoad load = source.pgbenchInBackground(Duration.ofMinutes(2), "-T", "8", "-c", "2", "-j", "2")) {
            long pushStarts = load.awaitProgress(Duration.ofMinutes(1)).operationStarts();
            online = walj.run(pgEnv, Duration.ofMinutes(3), "backup-push", source.dataDir().toString());
            online.requireSuccess();
            load.assertOverlapped(pushStarts, Duration.ofSeconds(2), "the online backup-push");
            load.finish();
        }
        assertTrue(online.stderr().contains("MSG: starting WAL-E") && online.stderr().contains(
                "DETAIL: The subcommand is \"backup-push\"."), online.stderr());
        String onlineName = onlyNewBackup(archive, List.of());
        BackupContents onlineBackup = checkBackup(archive, onlineName, lzop, tar, scratch);
        assertTrue(onlineBackup.members().contains("backup_label"), "backup_label is in the backup");
        assertEquals(List.of("backup_label"), onlineBackup.lastPartitionMembers(),
                "the last partition holds only the stop call's backup_label (no tablespaces here)");
        assertFalse(onlineBackup.members().contains("postmaster.pid"), "no postmaster.pid");
        assertFalse(onlineBackup.members().contains("postgresql.conf"), "config files are not backed up (WAL-E)");
        assertTrue(onlineBackup.members().contains("./"), "the data directory's own entry");
        assertTrue(onlineBackup.members().contains("pg_wal/"), "pg_wal's entry, without contents");
        assertTrue(onlineBackup.members().stream().noneMatch(m -> m.startsWith("pg_wal/0")), "no WAL in the backup");
        assertTrue(onlineBackup.members().contains("global/pg_control"));
        // the name is the server's own pg_walfile_name_offset of the start LSN, offset in decimal as WAL-E's lpad
        Matcher start = Pattern.compile("START WAL LOCATION: ([0-9A-F]+/[0-9A-F]+) \\(file ([0-9A-F]{24})\\)")
                .matcher(onlineBackup.backupLabel());
        assertTrue(start.find(), onlineBackup.backupLabel());
        assertEquals("base_" + source.psql("SELECT file_name || '_' || lpad(file_offset::text, 8, '0') FROM "
                + "pg_walfile_name_offset('" + start.group(1) + "')"), onlineName);
        assertEquals(source.psql("SELECT version()"), Files.readString(archive.resolve(
                "basebackups_005/" + onlineName + "/extended_version.txt")));
        String sentinel = Files.readString(sentinel(archive, onlineName));
        assertTrue(sentinel.startsWith("{\"wal_segment_backup_stop\": \""), sentinel);
        assertTrue(sentinel.contains("\"expanded_size_bytes\": " + onlineBackup.regularFileBytes() + ","),
                "expanded_size_bytes is the sum of the regular files' sizes as listed (" + onlineBackup
                        .regularFileBytes() + " in the tars): " + sentinel);
        assertTrue(sentinel.endsWith("\"spec\": {\"base_prefix\": \"" + source.dataDir() + "/\", \"tablespaces\": []}}"),
                sentinel);

        source.psql("INSERT INTO marker SELECT g, 'after online ' || g FROM generate_series(1001, 2000) g;");
        source.pgbench(Duration.ofMinutes(1), "-T", "3", "-c", "2", "-j", "2");

        // --- offline: a cleanly stopped cluster; refused while it runs
        ProcessResult running = walj.run(walEnv, "backup-push", "--while-offline", source.dataDir().toString());
        assertEquals(1, running.exitCode(), running.describe());
        assertTrue(running.stderr().contains("MSG: while_offline set, but pg looks to be running"), running.stderr());
        source.stop();
        walj.run(Tools.withPgBinOnPath(walEnv), Duration.ofMinutes(3), "backup-push", "--while-offline", source.dataDir().toString())
                .requireSuccess();
        String offlineName = onlyNewBackup(archive, List.of(onlineName));
        BackupContents offlineBackup = checkBackup(archive, offlineName, lzop, tar, scratch);
        assertFalse(offlineBackup.members().contains("backup_label"), "an offline backup has no backup_label");
        String controlData = Exec.of(Tools.pg("pg_controldata").toString(), source.dataDir().toString())
                .env("LC_ALL", "C").runOk().stdout();
        Matcher redo = Pattern.compile("Latest checkpoint's REDO WAL file:\\s+([0-9A-F]{24})").matcher(controlData);
        assertTrue(redo.find(), controlData);
        assertTrue(offlineName.startsWith("base_" + redo.group(1) + "_"), offlineName + " vs " + controlData);
        String offlineSentinel = Files.readString(sentinel(archive, offlineName));
        Matcher stop = Pattern.compile("\"wal_segment_backup_stop\": \"([0-9A-F]{24})\", "
                + "\"wal_segment_offset_backup_stop\": \"([0-9]{8})\"").matcher(offlineSentinel);
        assertTrue(stop.find(), offlineSentinel);
        assertEquals(offlineName, "base_" + stop.group(1) + "_" + stop.group(2), "offline: stop = start");
        String pgConfigVersion = Exec.of(Tools.pg("pg_config").toString(), "--version").runOk().stdout().strip();
        assertEquals(pgConfigVersion, Files.readString(archive.resolve(
                "basebackups_005/" + offlineName + "/extended_version.txt")));

        // --- more writes after both backups, all archived
        source.start();
        source.psql("INSERT INTO marker SELECT g, 'after offline ' || g FROM generate_series(2001, 3000) g;"
                + "UPDATE marker SET note = 'changed' WHERE id % 7 = 0; DELETE FROM marker WHERE id % 11 = 0;");
        source.pgbench(Duration.ofMinutes(1), "-T", "3", "-c", "2", "-j", "2");
        String last = source.switchWal();
        String endOfWrites = source.currentWalLsn();
        source.waitArchived(last, Duration.ofMinutes(2));
        Map<String, Path> expected = source.dumpTables(TABLES, scratch.dir("dumps/src"));
        source.stop();

        for (String name : List.of(onlineName, offlineName)) {
            String label = name.equals(onlineName) ? "from-online" : "from-offline";
            PgCluster restored = restoreWalEWay(scratch, label, source, archive, name, lzop, tar, walj, walEnv);
            restored.start(Duration.ofMinutes(2));
            restored.waitRecoveryFinished(Duration.ofMinutes(2));
            assertEquals("t", restored.psql("SELECT pg_current_wal_lsn() >= '" + endOfWrites + "'::pg_lsn"),
                    "recovery from " + name + " replayed the archive to the end");
            for (String table : TABLES) {
                Path dump = scratch.file("dumps/" + restored.name() + "/" + table + ".tsv");
                restored.dumpTable(table, dump);
                Compare.assertSameLines(expected.get(table), dump, "table " + table + " restored from " + name);
            }
            restored.stop();
        }
    }

    @Test
    void tablespaceOutsideTheDataDirectoryIsArchivedUnderItsLinkWithTheSpec(Scratch scratch) throws Exception {
        Path lzop = Tools.require("lzop", "lzop");
        Path tar = Tools.require("tar", "tar");
        WalJ walj = WalJ.install(scratch);
        Path archive = scratch.archive("archive");
        Path location = scratch.dir("ts1");
        PgCluster source = PgCluster.initdb(scratch, "src");
        source.configure(ArchivingCluster.SHORT_CHECKPOINTS);
        source.start();
        source.psql("CREATE TABLESPACE ts1 LOCATION '" + location + "';"
                + "CREATE TABLE in_ts (id int) TABLESPACE ts1; INSERT INTO in_ts SELECT generate_series(1, 1000);");
        String oid = source.psql("SELECT oid FROM pg_tablespace WHERE spcname = 'ts1'");
        String relfile = source.psql("SELECT pg_relation_filepath('in_ts')");
        assertTrue(relfile.startsWith("pg_tblspc/" + oid + "/PG_15_"), relfile);

        Map<String, String> env = walj.fileArchiveEnv(archive);
        env.putAll(source.clientEnv());
        walj.run(env, Duration.ofMinutes(3), "backup-push", "--pool-size", "2", source.dataDir().toString())
                .requireSuccess();
        String name = onlyNewBackup(archive, List.of());
        BackupContents backup = checkBackup(archive, name, lzop, tar, scratch);
        assertTrue(backup.members().contains(relfile), relfile + " in " + backup.members());
        assertFalse(backup.members().contains("pg_tblspc/" + oid), "the link itself is not a member (WAL-E)");
        assertEquals(List.of("backup_label", "tablespace_map"), backup.lastPartitionMembers());
        assertTrue(backup.tablespaceMap().startsWith(oid + " " + location), backup.tablespaceMap());
        String sentinel = Files.readString(sentinel(archive, name));
        assertTrue(sentinel.endsWith("\"spec\": {\"base_prefix\": \"" + source.dataDir() + "/\", \"tablespaces\": [\""
                + oid + "\"], \"" + oid + "\": {\"loc\": \"" + location + "/\", \"link\": \"pg_tblspc/" + oid
                + "\"}}}"), sentinel);
        source.stop();
    }

    @Test
    void aPushKilledMidwayLeavesNoSentinelAndTheNextOneSucceeds(Scratch scratch) throws Exception {
        Path lzop = Tools.require("lzop", "lzop");
        Path tar = Tools.require("tar", "tar");
        WalJ walj = WalJ.install(scratch);
        Path archive = scratch.archive("archive");
        PgCluster source = PgCluster.initdb(scratch, "src");
        source.configure(ArchivingCluster.SHORT_CHECKPOINTS);
        // more than one partition's 6,144 members: PostgreSQL ignores a directory it does not know
        Path extra = scratch.dir(scratch.root().relativize(source.dataDir().resolve("walj_it_extra")).toString());
        byte[] block = new byte[8192];
        for (int i = 0; i < 7000; i++) {
            block[0] = (byte) i;
            block[1] = (byte) (i >> 8);
            Path f = extra.resolve(String.format("f%05d", i));
            Files.write(f, block);
        }
        source.start();

        Map<String, String> env = walj.fileArchiveEnv(archive);
        env.putAll(source.clientEnv());
        // one partition at a time, slowly, so the first is stored long before the last
        List<String> argv = scratch.user().wrap(List.of(walj.launcher().toString(), "backup-push", "--pool-size",
                "1", "--cluster-read-rate-limit", "6000000", source.dataDir().toString()));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(scratch.file("killed-push.log").toFile());
        pb.environment().putAll(env);
        Process push = pb.start();
        Path basebackups = archive.resolve("basebackups_005");
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        boolean sawPartition = false;
        while (System.nanoTime() < deadline && push.isAlive()) {
            if (Files.isDirectory(basebackups)) {
                try (Stream<Path> s = Files.walk(basebackups)) {
                    sawPartition = s.anyMatch(p -> p.getFileName().toString().equals("part_00000000.tar.lzo"));
                }
            }
            if (sawPartition) {
                break;
            }
            Thread.sleep(50);
        }
        assertTrue(sawPartition && push.isAlive(), "the first partition was stored while the push still ran:\n"
                + Files.readString(scratch.file("killed-push.log")));
        push.descendants().forEach(ProcessHandle::destroyForcibly); // SIGKILL to the JVM under runuser
        push.destroyForcibly();
        push.waitFor();
        String killed = onlyNewDirectory(basebackups);
        assertFalse(Files.exists(sentinel(archive, killed)), "no sentinel for the killed push");

        walj.run(env, Duration.ofMinutes(3), "backup-push", source.dataDir().toString()).requireSuccess();
        String completed;
        try (Stream<Path> s = Files.list(basebackups)) {
            List<String> sentinels = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).toList();
            assertEquals(1, sentinels.size(), "one complete backup: " + sentinels);
            completed = sentinels.get(0).replace("_backup_stop_sentinel.json", "");
        }
        assertFalse(completed.equals(killed), "the complete backup is the second one");
        BackupContents backup = checkBackup(archive, completed, lzop, tar, scratch);
        assertTrue(backup.partitions() >= 3, "two data partitions and the final one: " + backup.partitions());
        assertTrue(backup.members().contains("walj_it_extra/f06999"));
        source.stop();
    }

    @Test
    void badInputGivesOneClearLineAndExitOneAndNoBackup(Scratch scratch) throws Exception {
        WalJ walj = WalJ.install(scratch);
        Path archive = scratch.archive("archive");
        Path notData = scratch.dir("not-a-cluster");
        Map<String, String> env = walj.fileArchiveEnv(archive);

        ProcessResult r = walj.run(env, "backup-push", notData.toString());
        assertEquals(1, r.exitCode(), r.describe());
        assertTrue(r.stderr().contains("MSG: not a PostgreSQL data directory: \"" + notData + "\""), r.stderr());
        assertNoStackTraceAndNoBackup(r, archive);

        PgCluster stopped = PgCluster.initdb(scratch, "stopped");
        env.putAll(stopped.clientEnv());
        env.put("PGPASSWORD", "s3cret-never-logged");
        r = walj.run(env, "backup-push", stopped.dataDir().toString());
        assertEquals(1, r.exitCode(), r.describe());
        assertTrue(r.stderr().contains("MSG: could not connect to PostgreSQL (socket \"" + stopped.socketDir()
                + "/.s.PGSQL." + stopped.port() + "\""), r.stderr());
        assertNoStackTraceAndNoBackup(r, archive);

        env.put("PGHOST", "127.0.0.1");
        r = walj.run(env, "backup-push", stopped.dataDir().toString());
        assertEquals(1, r.exitCode(), r.describe());
        assertTrue(r.stderr().contains("MSG: could not connect to PostgreSQL (host \"127.0.0.1\" port "
                + stopped.port()), r.stderr());
        assertNoStackTraceAndNoBackup(r, archive);
    }

    @Test
    void anUnreadableFileFailsThePushAfterStoppingTheBackup(Scratch scratch) throws Exception {
        WalJ walj = WalJ.install(scratch);
        Path archive = scratch.archive("archive");
        PgCluster source = PgCluster.initdb(scratch, "src");
        source.configure(ArchivingCluster.SHORT_CHECKPOINTS);
        source.start();
        // mode 000: neither the server's user (wal-j runs as it) nor a non-root owner can read it
        Path unreadable = source.dataDir().resolve("base/unreadable_by_walj");
        Files.writeString(unreadable, "secret");
        Files.setPosixFilePermissions(unreadable, java.nio.file.attribute.PosixFilePermissions.fromString("---------"));
        Map<String, String> env = walj.fileArchiveEnv(archive);
        env.putAll(source.clientEnv());
        ProcessResult r = walj.run(env, Duration.ofMinutes(3), "backup-push", source.dataDir().toString());
        assertEquals(1, r.exitCode(), r.describe());
        assertTrue(r.stderr().contains("MSG: could not read " + unreadable + ": Permission denied"), r.stderr());
        assertTrue(r.stderr().contains("WARNING  MSG: blocking on sending WAL segments"), r.stderr());
        assertFalse(r.stderr().contains("could not stop the backup"), "the stop call succeeded\n" + r.stderr());
        assertFalse(r.stderr().contains("\tat "), "no stack trace\n" + r.stderr());
        String name = onlyNewDirectory(archive.resolve("basebackups_005"));
        assertFalse(Files.exists(sentinel(archive, name)), "no sentinel for a failed push");

        Files.delete(unreadable);
        walj.run(env, Duration.ofMinutes(3), "backup-push", source.dataDir().toString()).requireSuccess();
        source.stop();
    }

    private static void assertNoStackTraceAndNoBackup(ProcessResult r, Path archive) throws IOException {
        assertFalse(r.stderr().contains("\tat "), "no stack trace\n" + r.stderr());
        assertFalse(r.stderr().contains("s3cret"), "the password is never shown\n" + r.stderr());
        assertEquals(1, r.stderr().lines().filter(l -> l.contains(" ERROR ") || l.contains("ERROR   ")).count(),
                "one error record\n" + r.stderr());
        if (Files.isDirectory(archive.resolve("basebackups_005"))) {
            try (Stream<Path> s = Files.list(archive.resolve("basebackups_005"))) {
                assertEquals(List.of(), s.toList(), "nothing stored");
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    /** What a backup's tars hold, read with lzop and GNU tar. */
    record BackupContents(List<String> members, List<String> lastPartitionMembers, long regularFileBytes,
                          int partitions, String backupLabel, String tablespaceMap) {
    }

    /**
     * Every partition passes {@code lzop -t} and lists with GNU {@code tar -tv}; partitions are numbered from 0
     * without gaps.
     */
    private static BackupContents checkBackup(Path archive, String name, Path lzop, Path tar, Scratch scratch)
            throws IOException {
        Path dir = archive.resolve("basebackups_005").resolve(name).resolve("tar_partitions");
        List<Path> parts;
        try (Stream<Path> s = Files.list(dir)) {
            parts = s.sorted().toList();
        }
        List<String> members = new ArrayList<>();
        List<String> lastMembers = List.of();
        long bytes = 0;
        for (int i = 0; i < parts.size(); i++) {
            Path part = parts.get(i);
            assertEquals(String.format("part_%08d.tar.lzo", i), part.getFileName().toString());
            Exec.of(lzop.toString(), "-t", part.toString()).runOk();
            String listing = Exec.of("bash", "-c", "set -o pipefail; \"$0\" -dc \"$1\" | \"$2\" -tvf - --numeric-owner",
                    lzop.toString(), part.toString(), tar.toString()).timeout(Duration.ofMinutes(2)).runOk().stdout();
            List<String> these = new ArrayList<>();
            for (String line : listing.lines().toList()) {
                // -rw------- 106/112 8192 2026-11-22 03:49 base/1/1259
                String[] f = line.split("\\s+", 6);
                String member = f[5].contains(" -> ") ? f[5].substring(0, f[5].indexOf(" -> ")) : f[5];
                these.add(member);
                if (line.startsWith("-")) {
                    bytes += Long.parseLong(f[2]);
                }
            }
            members.addAll(these);
            lastMembers = these;
        }
        String label = extract(dir.resolve(parts.get(parts.size() - 1).getFileName()), "backup_label", lzop, tar);
        String map = lastMembers.contains("tablespace_map")
                ? extract(dir.resolve(parts.get(parts.size() - 1).getFileName()), "tablespace_map", lzop, tar) : "";
        return new BackupContents(members, lastMembers, bytes - label.length() - map.length(), parts.size(),
                label, map);
    }

    private static String extract(Path part, String member, Path lzop, Path tar) {
        ProcessResult r = Exec.of("bash", "-c", "set -o pipefail; \"$0\" -dc \"$1\" | \"$2\" -xOf - \"$3\"", lzop.toString(),
                part.toString(), tar.toString(), member).run();
        return r.succeeded() ? r.stdout() : "";
    }

    /** Restores {@code name} as WAL-E users could without any backup-fetch: lzop and tar, then archive recovery. */
    private static PgCluster restoreWalEWay(Scratch scratch, String label, PgCluster source, Path archive,
                                            String name, Path lzop, Path tar, WalJ walj, Map<String, String> walEnv)
            throws IOException {
        PgCluster restored = PgCluster.unfilled(scratch, label);
        Path data = restored.dataDir();
        Files.createDirectories(data);
        Path dir = archive.resolve("basebackups_005").resolve(name).resolve("tar_partitions");
        try (Stream<Path> s = Files.list(dir)) {
            for (Path part : s.sorted().toList()) {
                Exec.of("bash", "-c", "set -o pipefail; \"$0\" -dc \"$1\" | \"$2\" -xf - -C \"$3\"", lzop.toString(), part.toString(),
                        tar.toString(), data.toString()).timeout(Duration.ofMinutes(2)).runOk();
            }
        }
        restored.adoptConfigurationOf(source);
        restored.configure(Map.of("restore_command", walj.shellCommand("wal-fetch", "%f", "%p")));
        restored.serverEnv(walEnv);
        restored.createRecoverySignal();
        return restored;
    }

    private static Path sentinel(Path archive, String name) {
        return archive.resolve("basebackups_005").resolve(name + "_backup_stop_sentinel.json");
    }

    /** The one backup directory not in {@code known}, whose sentinel exists. */
    private static String onlyNewBackup(Path archive, List<String> known) throws IOException {
        String name = onlyNewDirectory(archive.resolve("basebackups_005"), known);
        assertTrue(Files.isRegularFile(sentinel(archive, name)), "sentinel of " + name);
        return name;
    }

    private static String onlyNewDirectory(Path basebackups) throws IOException {
        return onlyNewDirectory(basebackups, List.of());
    }

    private static String onlyNewDirectory(Path basebackups, List<String> known) throws IOException {
        try (Stream<Path> s = Files.list(basebackups)) {
            List<String> names = s.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(n -> !known.contains(n)).toList();
            assertEquals(1, names.size(), "one new backup directory: " + names);
            assertTrue(BACKUP.matcher(names.get(0)).matches(), names.get(0));
            return names.get(0);
        }
    }
}
