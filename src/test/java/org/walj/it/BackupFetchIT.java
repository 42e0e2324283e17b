package org.walj.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.walj.it.harness.ArchivingCluster;
import org.walj.it.harness.Compare;
import org.walj.it.harness.Exec;
import org.walj.it.harness.PgCluster;
import org.walj.it.harness.ProcessResult;
import org.walj.it.harness.Scratch;
import org.walj.it.harness.ScratchExtension;
import org.walj.it.harness.Tools;
import org.walj.it.harness.WalEStyleBackup;
import org.walj.it.harness.WalJ;

/**
 * backup-list and backup-fetch against a backup laid out the WAL-E way without wal-j's backup-push
 * ({@link WalEStyleBackup}), restored on a real PostgreSQL 15 with wal-j as restore_command.
 */
@ExtendWith(ScratchExtension.class)
class BackupFetchIT {
    private static final String HEADER = "name\tlast_modified\texpanded_size_bytes\twal_segment_backup_start\t"
            + "wal_segment_offset_backup_start\twal_segment_backup_stop\twal_segment_offset_backup_stop\r\n";
    private static final DateTimeFormatter S3_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    @Test
    void pointInTimeRecoveryAndEndOfArchiveWithATablespace(Scratch scratch) throws IOException {
        Tools.require("lzop", "lzop");
        Tools.require("tar", "tar");
        WalJ walj = WalJ.install(scratch);
        Path archive = scratch.archive("archive");
        Map<String, String> env = walj.fileArchiveEnv(archive);

        PgCluster source = ArchivingCluster.initdb(scratch, walj, "src", env);
        source.start();
        source.waitArchived(source.switchWal(), Duration.ofSeconds(60));
        Path tsDir = scratch.dir("ts-src");
        source.psql("CREATE TABLESPACE ts1 LOCATION '" + tsDir + "'");
        String oid = source.psql("SELECT oid FROM pg_tablespace WHERE spcname = 'ts1'");
        source.psql("CREATE TABLE marker (id int PRIMARY KEY, note text) TABLESPACE ts1;"
                + "INSERT INTO marker SELECT g, 'before backup' FROM generate_series(1, 1000) g");
        source.pgbench(Duration.ofMinutes(2), "-i", "-s", "2", "-q");

        assertEquals(HEADER, walj.run(env, "backup-list").requireSuccess().stdout(), "no backups: header only");

        WalEStyleBackup.Pushed pushed = WalEStyleBackup.push(scratch, source, archive,
                WalEStyleBackup.tablespaces(oid, tsDir), 3, List.of());
        WalEStyleBackup.checkWithRealTools(pushed);

        source.psql("INSERT INTO marker SELECT g, 'after backup, before T' FROM generate_series(1001, 2000) g");
        source.pgbench(Duration.ofMinutes(1), "-t", "200", "-c", "2");
        source.psql("UPDATE marker SET note = 'updated before T' WHERE id % 7 = 0");
        String targetTime = source.psql("SELECT clock_timestamp()");
        Path atT = scratch.file("marker-at-T.txt");
        source.dumpTable("marker", atT);
        source.psql("INSERT INTO marker SELECT g, 'after T' FROM generate_series(2001, 3000) g;"
                + "DELETE FROM marker WHERE id % 5 = 0");
        source.pgbench(Duration.ofMinutes(1), "-t", "200", "-c", "2");
        Path finalMarker = scratch.file("marker-final.txt");
        Path finalAccounts = scratch.file("accounts-final.txt");
        source.dumpTable("marker", finalMarker);
        source.dumpTable("pgbench_accounts", finalAccounts);
        source.waitArchived(source.switchWal(), Duration.ofSeconds(60));
        assertNotEquals(Files.readString(atT), Files.readString(finalMarker), "T must separate two different states");

        // --- backup-list: every column, with and without --detail
        String modified = S3_TIME.format(Files.getLastModifiedTime(pushed.sentinel()).toInstant()
                .truncatedTo(ChronoUnit.MILLIS));
        String plain = pushed.name() + "\t" + modified + "\t\t" + pushed.startSegment() + "\t" + pushed.startOffset()
                + "\t\t\r\n";
        assertEquals(HEADER + plain, walj.run(env, "backup-list").requireSuccess().stdout());
        assertEquals(HEADER + plain, walj.run(env, "backup-list", "LATEST").requireSuccess().stdout());
        String detail = pushed.name() + "\t" + modified + "\t" + pushed.expandedSizeBytes() + "\t"
                + pushed.startSegment() + "\t" + pushed.startOffset() + "\t" + pushed.stopSegment() + "\t"
                + pushed.stopOffset() + "\r\n";
        // WAL-E's seven columns, then wal-j's WAL coverage columns (docs/retention.md)
        String detailed = walj.run(env, "backup-list", "--detail", pushed.name()).requireSuccess().stdout();
        assertTrue(detailed.startsWith(HEADER.replace("\r\n", "\twal_coverage\twal_replayable_until\r\n")
                + detail.replace("\r\n", "\tcomplete\t")), detailed);
        assertTrue(walj.run(env, "backup-list", "--json", "--detail").requireSuccess().stdout()
                .contains("\"expanded_size_bytes\": " + pushed.expandedSizeBytes() + ","));

        // --- restore 1: relocate the tablespace with --restore-spec, recover to T
        Path relocated = scratch.root().resolve("ts-pitr");
        Path spec = scratch.file("spec.json");
        Files.writeString(spec, "{\"" + oid + "\": {\"loc\": \"" + relocated + "/\", \"link\": \"pg_tblspc/" + oid
                + "\"}}");
        scratch.user().own(spec);
        PgCluster pitr = PgCluster.unfilled(scratch, "pitr");
        ProcessResult fetched = walj.run(env, "backup-fetch", "--pool-size", "3", "--restore-spec", spec.toString(),
                pitr.dataDir().toString(), "LATEST").requireSuccess();
        assertEquals("", fetched.stdout(), "backup-fetch prints nothing on stdout");
        assertEquals(3, count(fetched.stderr(), "MSG: beginning partition download"), fetched.stderr());
        assertEquals(relocated, Files.readSymbolicLink(pitr.dataDir().resolve("pg_tblspc/" + oid)));
        assertFalse(Files.exists(pitr.dataDir().resolve("recovery.signal")), "WAL-E writes no recovery settings");
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(pitr.dataDir())));
        pitr.adoptConfigurationOf(source).recoverWith(walj.shellCommand("wal-fetch", "%f", "%p"),
                Map.of("recovery_target_time", targetTime, "recovery_target_action", "promote"),
                env, Duration.ofMinutes(2));
        Path pitrMarker = scratch.file("marker-pitr.txt");
        pitr.dumpTable("marker", pitrMarker);
        Compare.assertSameLines(atT, pitrMarker, "marker table recovered to T");
        assertEquals(relocated.toString(), pitr.psql("SELECT pg_tablespace_location(" + oid + ")"));
        pitr.stop();

        // --- restore 2: the source is gone (stopped, its tablespace moved aside); --restore-spec SOURCE recreates
        //     the tablespace where it was; recover to the end of the archive
        source.stop();
        Files.move(tsDir, scratch.root().resolve("ts-src.old"));
        PgCluster full = PgCluster.unfilled(scratch, "full");
        // the recorded location is used only when the operator says so (issue 12 item 6)
        assertOneError(walj.run(env, "backup-fetch", full.dataDir().toString(), pushed.name()),
                "MSG: refusing to create tablespace directories where the backup records them: tablespace " + oid
                        + " at \"" + tsDir + "/\"");
        assertFalse(Files.exists(tsDir));
        walj.run(env, "backup-fetch", "--restore-spec", "SOURCE", full.dataDir().toString(), pushed.name())
                .requireSuccess();
        assertEquals(tsDir, Files.readSymbolicLink(full.dataDir().resolve("pg_tblspc/" + oid)));
        full.adoptConfigurationOf(source).recoverWith(walj.shellCommand("wal-fetch", "%f", "%p"),
                env, Duration.ofMinutes(2));
        Path fullMarker = scratch.file("marker-full.txt");
        Path fullAccounts = scratch.file("accounts-full.txt");
        full.dumpTable("marker", fullMarker);
        full.dumpTable("pgbench_accounts", fullAccounts);
        Compare.assertSameLines(finalMarker, fullMarker, "marker table recovered to the end of the archive");
        Compare.assertSameLines(finalAccounts, fullAccounts, "pgbench_accounts recovered to the end of the archive");
        full.stop();
    }

    @Test
    void badInputGivesOneClearLineAndAnInterruptedFetchCannotStart(Scratch scratch) throws Exception {
        Tools.require("lzop", "lzop");
        WalJ walj = WalJ.install(scratch);
        Path archive = scratch.archive("archive");
        Map<String, String> env = walj.fileArchiveEnv(archive);
        Path target = scratch.dir("target");

        // no backups at all
        ProcessResult none = walj.run(env, "backup-fetch", target.toString(), "LATEST");
        assertOneError(none, "MSG: no backups found for fetching");

        PgCluster source = ArchivingCluster.initdb(scratch, walj, "src", env);
        source.start();
        source.psql("CREATE TABLE big AS SELECT g, repeat('x', 200) AS pad FROM generate_series(1, 1500000) g");
        WalEStyleBackup.Pushed good = WalEStyleBackup.push(scratch, source, archive, Map.of(), 2, List.of());

        // unknown name, bad query
        assertOneError(walj.run(env, "backup-fetch", target.toString(), "base_000000010000000000000099_00000040"),
                "MSG: no backups found for fetching");
        assertOneError(walj.run(env, "backup-fetch", target.toString(), "yesterday"),
                "MSG: invalid backup query submitted");
        assertOneError(walj.run(env, "backup-list", "yesterday"), "MSG: invalid backup query submitted");

        // non-empty target: untouched
        Path nonEmpty = scratch.dir("nonempty");
        Files.writeString(nonEmpty.resolve("keep.txt"), "mine");
        assertOneError(walj.run(env, "backup-fetch", nonEmpty.toString(), "LATEST"),
                "MSG: refusing to restore into the non-empty data directory " + nonEmpty);
        assertEquals(List.of(nonEmpty.resolve("keep.txt")), list(nonEmpty));
        ProcessResult live = walj.run(env, "backup-fetch", source.dataDir().toString(), "LATEST");
        assertOneError(live, "MSG: attempting to overwrite a live data directory");
        assertTrue(live.stderr().contains("DETAIL: Found a postmaster.pid lockfile, and aborting\n"), live.describe());
        assertTrue(live.stderr().contains("HINT: Shut down postgres."), live.describe());

        // a crafted partition with ../evil and /abs members: refused, nothing written outside the target
        Path outsideFile = scratch.root().resolve("outside-evil");
        WalEStyleBackup.Pushed evil = WalEStyleBackup.push(scratch, source, archive, Map.of(), 1,
                List.of("../../outside-evil"));
        ProcessResult refused = walj.run(env, "backup-fetch", target.resolve("evil").toString(), evil.name());
        assertOneError(refused, "MSG: partition part_00000000.tar.lzo: refusing tar member \"../../outside-evil\": "
                + "names with \"..\" are not restored");
        assertFalse(Files.exists(outsideFile));
        assertFalse(Files.exists(target.resolve("evil/global/pg_control")));
        WalEStyleBackup.Pushed absolute = WalEStyleBackup.push(scratch, source, archive, Map.of(), 1,
                List.of(outsideFile.toString()));
        assertOneError(walj.run(env, "backup-fetch", target.resolve("abs").toString(), absolute.name()),
                "refusing tar member \"" + outsideFile + "\": absolute names are not restored");
        assertFalse(Files.exists(outsideFile));

        // --- SIGKILL in the middle of a fetch; PostgreSQL must refuse the half-restored directory
        source.stop();
        PgCluster half = PgCluster.unfilled(scratch, "half");
        Path out = scratch.file("fetch.out");
        Path err = scratch.file("fetch.err");
        Process fetch = walj.start(env, out, err, "backup-fetch", "--pool-size", "1", half.dataDir().toString(),
                good.name());
        Path incomplete = half.dataDir().resolve("global/pg_control.walj-incomplete");
        Path bigTable = null;
        long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(2); // a safety net against a hung fetch only
        while (fetch.isAlive() && System.nanoTime() < giveUp && !(Files.exists(incomplete)
                && (bigTable = anyFileBelow(half.dataDir().resolve("base"), 1 << 20)) != null)) {
            Thread.sleep(5);
        }
        fetch.descendants().forEach(ProcessHandle::destroyForcibly);
        fetch.destroyForcibly();
        fetch.waitFor(30, TimeUnit.SECONDS);
        assertNotEquals(0, fetch.exitValue(), "the fetch must have been killed midway, not finished:\n"
                + Files.readString(err));
        assertTrue(bigTable != null, "killed while partitions were still being extracted");
        assertTrue(Files.exists(incomplete), "pg_control had been extracted, held back under its temporary name");
        assertFalse(Files.exists(half.dataDir().resolve("global/pg_control")));
        half.adoptConfigurationOf(source).serverEnv(env);
        AssertionError refusedStart = assertThrows(AssertionError.class, () -> half.start(Duration.ofSeconds(30)));
        assertTrue(half.logTail(20).contains("could not open file \"" + half.dataDir().resolve("global/pg_control")
                + "\": No such file or directory"), refusedStart.getMessage());
        assertFalse(half.isRunning());

        // a fresh fetch into a new directory still works
        PgCluster again = PgCluster.unfilled(scratch, "again");
        walj.run(env, "backup-fetch", again.dataDir().toString(), good.name()).requireSuccess();
        assertTrue(Files.exists(again.dataDir().resolve("global/pg_control")));
    }

    /**
     * Partitions written by the real GNU tar in its three dialects (ustar, GNU long names, PAX), with {@code ./}
     * names, a 200-character path, a non-ASCII name, a symlink and a hard link: restored byte for byte.
     */
    @Test
    void partitionsWrittenByGnuTarInEveryDialect(Scratch scratch) throws IOException {
        Tools.require("lzop", "lzop");
        Tools.require("tar", "tar");
        WalJ walj = WalJ.install(scratch);
        Path archive = scratch.archive("archive");
        Map<String, String> env = Map.of("WALE_FILE_PREFIX", "file://localhost" + archive);
        Path source = scratch.dir("tree");
        Path deep = Files.createDirectories(source.resolve("base/" + "d".repeat(90) + "/" + "e".repeat(90)));
        Files.writeString(deep.resolve("long-name-file"), "deep");
        Files.writeString(Files.createDirectories(source.resolve("global")).resolve("pg_control"), "control");
        Files.writeString(source.resolve("caf\u00e9"), "non-ascii");
        Files.write(source.resolve("big"), new byte[3 << 20]);
        Files.createSymbolicLink(source.resolve("pg_wal"), Path.of("/elsewhere/pg_wal"));
        Files.createLink(source.resolve("hardlink"), source.resolve("big"));

        String[] formats = {"ustar", "gnu", "posix"};
        for (int i = 0; i < formats.length; i++) {
            String name = String.format("base_00000001000000000000000%d_00000040", i + 1);
            Path parts = Files.createDirectories(archive.resolve("basebackups_005/" + name + "/tar_partitions"));
            if (formats[i].equals("ustar")) { // ustar cannot hold the long path: leave it to the others
                Exec.of("bash", "-c", "set -o pipefail; tar -C \"$1\" --format=ustar -cf - ./global ./big ./hardlink ./pg_wal "
                        + "| lzop -c > \"$2\"", "sh", source.toString(), parts.resolve("part_00000000.tar.lzo")
                        .toString()).runOk();
            } else {
                Exec.of("bash", "-c", "set -o pipefail; tar -C \"$1\" --format=" + formats[i] + " -cf - . | lzop -c > \"$2\"", "sh",
                        source.toString(), parts.resolve("part_00000000.tar.lzo").toString()).runOk();
            }
            Files.writeString(archive.resolve("basebackups_005/" + name + "_backup_stop_sentinel.json"),
                    "{\"wal_segment_backup_stop\": \"000000010000000000000009\", "
                            + "\"wal_segment_offset_backup_stop\": \"00000312\", \"expanded_size_bytes\": 1, "
                            + "\"spec\": {\"base_prefix\": \"/x/\", \"tablespaces\": []}}");
            Path target = scratch.root().resolve("restored-" + formats[i]);
            if (!formats[i].equals("ustar")) {
                // under LANG=C (every Exec) the launcher gives the JVM a UTF-8 character type: the exact name
                Path cLocale = scratch.root().resolve("c-locale-" + i);
                walj.run(env, "backup-fetch", cLocale.toString(), name).requireSuccess();
                assertEquals("non-ascii", Files.readString(cLocale.resolve("caf\u00e9")), formats[i]);
                // a UTF-8 locale that is not installed leaves the JVM with ASCII names: one clear error
                Map<String, String> missing = new LinkedHashMap<>(env);
                missing.put("LC_ALL", "xx_XX.UTF-8");
                ProcessResult c = walj.run(missing, "backup-fetch", scratch.root().resolve("ascii-" + i).toString(),
                        name);
                assertOneError(c, "LANG=C.UTF-8");
                assertTrue(c.stderr().contains("refusing tar member \"./caf\u00e9\""), c.describe());
            }
            Map<String, String> utf8 = new LinkedHashMap<>(env);
            utf8.put("LC_ALL", "C.UTF-8");
            walj.run(utf8, "backup-fetch", target.toString(), name).requireSuccess();
            assertEquals("control", Files.readString(target.resolve("global/pg_control")), formats[i]);
            assertEquals(Path.of("/elsewhere/pg_wal"), Files.readSymbolicLink(target.resolve("pg_wal")), formats[i]);
            Compare.assertSameBytes(source.resolve("big"), target.resolve("hardlink"), formats[i]);
            assertEquals(Files.getAttribute(target.resolve("big"), "unix:ino"),
                    Files.getAttribute(target.resolve("hardlink"), "unix:ino"), formats[i] + ": a hard link");
            if (!formats[i].equals("ustar")) {
                assertEquals("deep", Files.readString(target.resolve(source.relativize(deep)).resolve("long-name-file")));
                assertEquals("non-ascii", Files.readString(target.resolve("caf\u00e9")), formats[i]);
            }
        }
    }

    /**
     * Issue 12 items 1 and 6 through the launcher, run by the invoking user (root on CI, as the reports were): a
     * crafted partition whose symlink member {@code tablespace_map.walj-incomplete} points at a decoy, and a sentinel
     * whose tablespace {@code loc} is a directory outside the target. Each fetch fails with one ERROR line naming the
     * member or the recorded location, writes nothing outside the target and leaves no {@code global/pg_control}.
     */
    @Test
    void craftedArchivesCannotWriteOutsideTheTarget(Scratch scratch) throws IOException {
        Tools.require("lzop", "lzop");
        WalJ walj = WalJ.install(scratch);
        Path archive = scratch.dir("archive");
        Map<String, String> env = walj.fileArchiveEnv(archive);
        Path outside = scratch.dir("outside");
        Path decoy = Files.writeString(outside.resolve("decoy"), "root:x:0:0:root:/root:/bin/sh\n");
        Files.setPosixFilePermissions(decoy, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
        Files.setLastModifiedTime(decoy, java.nio.file.attribute.FileTime.fromMillis(1_000_000_000_000L));
        String decoyBefore = describe(decoy);

        // item 1: the held-back tablespace_map would be written through a symlink member
        String item1 = "base_000000010000000000000002_00000040";
        Path ts = scratch.root().resolve("ts-item1");
        craftedBackup(scratch, archive, item1, "\"16385\": {\"loc\": \"" + ts + "/\", \"link\": \"pg_tblspc/16385\"}",
                tar -> {
                    file(tar, "global/pg_control", "control");
                    file(tar, "tablespace_map", "16385 " + ts + "\n");
                    org.apache.commons.compress.archivers.tar.TarArchiveEntry link =
                            new org.apache.commons.compress.archivers.tar.TarArchiveEntry(
                                    "tablespace_map.walj-incomplete",
                                    org.apache.commons.compress.archivers.tar.TarConstants.LF_SYMLINK, true);
                    link.setLinkName(decoy.toString());
                    tar.putArchiveEntry(link);
                    tar.closeArchiveEntry();
                });
        Path target1 = scratch.root().resolve("restore-item1");
        ProcessResult r1 = asInvoker(env, walj, "backup-fetch", "--restore-spec", "SOURCE", target1.toString(), item1);
        assertOneError(r1, "MSG: partition part_00000000.tar.lzo: refusing tar member "
                + "\"tablespace_map.walj-incomplete\": names ending in \".walj-incomplete\" are backup-fetch's own "
                + "temporary names and are not restored");
        assertEquals(decoyBefore, describe(decoy), "the decoy's bytes, mode and mtime");
        assertFalse(Files.exists(target1.resolve("global/pg_control")));

        // item 6: the sentinel's loc decides where root writes, unless the operator is asked
        String item6 = "base_000000010000000000000003_00000040";
        Path ssh = outside.resolve("ssh");
        craftedBackup(scratch, archive, item6, "\"16385\": {\"loc\": \"" + ssh + "/\", \"link\": \"pg_tblspc/16385\"}",
                tar -> {
                    file(tar, "global/pg_control", "control");
                    file(tar, "pg_tblspc/16385/authorized_keys", "ssh-ed25519 AAAA attacker\n");
                });
        Path target6 = scratch.root().resolve("restore-item6");
        ProcessResult r6 = asInvoker(env, walj, "backup-fetch", target6.toString(), item6);
        assertOneError(r6, "MSG: refusing to create tablespace directories where the backup records them: tablespace "
                + "16385 at \"" + ssh + "/\"");
        assertTrue(r6.stderr().contains("HINT: Give --restore-spec SOURCE to restore each tablespace where it was"),
                r6.describe());
        assertFalse(Files.exists(ssh), "no directory at the recorded location");
        assertFalse(Files.exists(target6.resolve("global/pg_control")));
        assertEquals(decoyBefore, describe(decoy));
        assertEquals(List.of(decoy), list(outside));
    }

    @FunctionalInterface
    private interface Members {
        void write(org.apache.commons.compress.archivers.tar.TarArchiveOutputStream tar) throws IOException;
    }

    /** One partition (tar packed by the real lzop) and a sentinel whose spec declares tablespace 16385. */
    private static void craftedBackup(Scratch scratch, Path archive, String name, String tablespaceSpec,
                                      Members members) throws IOException {
        Path parts = Files.createDirectories(archive.resolve("basebackups_005/" + name + "/tar_partitions"));
        Path tarFile = scratch.file(name + ".tar");
        try (org.apache.commons.compress.archivers.tar.TarArchiveOutputStream tar =
                     new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(
                             Files.newOutputStream(tarFile))) {
            tar.setLongFileMode(org.apache.commons.compress.archivers.tar.TarArchiveOutputStream.LONGFILE_POSIX);
            members.write(tar);
            tar.finish();
        }
        Exec.of("sh", "-c", "lzop -c < \"$1\" > \"$2\"", "sh", tarFile.toString(),
                parts.resolve("part_00000000.tar.lzo").toString()).runOk();
        Files.writeString(archive.resolve("basebackups_005/" + name + "_backup_stop_sentinel.json"),
                "{\"wal_segment_backup_stop\": \"000000010000000000000009\", "
                        + "\"wal_segment_offset_backup_stop\": \"00000312\", \"expanded_size_bytes\": 1, "
                        + "\"spec\": {\"base_prefix\": \"/x/\", \"tablespaces\": [\"16385\"], " + tablespaceSpec
                        + "}}");
    }

    private static void file(org.apache.commons.compress.archivers.tar.TarArchiveOutputStream tar, String name,
                             String content) throws IOException {
        byte[] data = content.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        org.apache.commons.compress.archivers.tar.TarArchiveEntry e =
                new org.apache.commons.compress.archivers.tar.TarArchiveEntry(name, true);
        e.setSize(data.length);
        e.setMode(0100600);
        tar.putArchiveEntry(e);
        tar.write(data);
        tar.closeArchiveEntry();
    }

    /** wal-j through the launcher as the user running the tests (root on CI), not as the server's user. */
    private static ProcessResult asInvoker(Map<String, String> env, WalJ walj, String... args) {
        List<String> argv = new java.util.ArrayList<>();
        argv.add(walj.launcher().toString());
        argv.addAll(List.of(args));
        return Exec.of(argv).env(env).timeout(Duration.ofMinutes(2)).run();
    }

    private static String describe(Path p) throws IOException {
        return Files.readString(p) + " " + java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS)) + " "
                + Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toMillis();
    }

    private static Path anyFileBelow(Path dir, long minSize) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> {
                try {
                    return Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && Files.size(p) >= minSize;
                } catch (IOException e) {
                    return false;
                }
            }).findFirst().orElse(null);
        } catch (IOException | java.io.UncheckedIOException e) {
            return null;
        }
    }

    private static void assertOneError(ProcessResult r, String msgLine) {
        assertEquals(1, r.exitCode(), r.describe());
        assertEquals("", r.stdout(), r.describe());
        assertTrue(r.stderr().contains(msgLine + "\n"), "expected \"" + msgLine + "\" in\n" + r.describe());
        assertEquals(1, count(r.stderr(), " ERROR "), r.describe());
        assertFalse(r.stderr().contains("\tat "), "no stack trace\n" + r.describe());
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
