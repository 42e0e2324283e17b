package org.walj.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.walj.it.harness.Exec;
import org.walj.it.harness.PgCluster;
import org.walj.it.harness.ProcessResult;
import org.walj.it.harness.ResidentDaemon;
import org.walj.it.harness.Scratch;
import org.walj.it.harness.ScratchExtension;
import org.walj.it.harness.Tools;
import org.walj.it.harness.WalJ;

/**
 * Issue 12, the push side, through the installed launcher with the C locale every test command gets (Exec sets
 * {@code LC_ALL=C}, as a service manager or cron would): file names kept byte for byte or refused (item 5), S3
 * endpoint credentials never shown (item 7), a SIGTERMed or SIGKILLed backup-push leaving nothing that cannot be
 * removed (item 10), and a daemon started under umask 022 storing and restoring private files (item 10).
 */
@ExtendWith(ScratchExtension.class)
class PushSideHardeningIT {

    /** A path whose last name is the raw bytes {@code percentEncoded} (file URI syntax): any byte, UTF-8 or not. */
    private static Path rawName(Path dir, String percentEncoded) {
        return Path.of(URI.create(dir.toUri() + percentEncoded));
    }

    private static Map<String, String> offlineEnv(Path archive) {
        return Tools.withPgBinOnPath(Map.of("WALE_FILE_PREFIX", "file://localhost" + archive));
    }

    @Test
    void underLangCAUtf8NameRoundTripsAndANameThatIsNotUtf8FailsThePushNamingIt(Scratch scratch) throws Exception {
        Tools.require("lzop", "lzop");
        WalJ walj = WalJ.install(scratch);
        Path archive = scratch.archive("archive");
        Map<String, String> env = offlineEnv(archive);
        PgCluster source = PgCluster.initdb(scratch, "src"); // never started: cleanly shut down
        Path db = source.dataDir().resolve("base/1");
        Path cafe = rawName(db, "caf%C3%A9"); // "café" in UTF-8
        Path kanji = rawName(source.dataDir(), "%E6%97%A5%E6%9C%AC"); // a directory "日本"
        Files.writeString(cafe, "a UTF-8 name");
        Files.createDirectory(kanji);
        Files.writeString(kanji.resolve("x"), "inside");
        scratch.user().own(cafe);
        scratch.user().own(kanji);
        scratch.user().own(kanji.resolve("x"));

        ProcessResult pushed = walj.run(env, Duration.ofMinutes(3), "backup-push", "--while-offline",
                source.dataDir().toString());
        pushed.requireSuccess();
        Path target = scratch.dir("restored");
        walj.run(env, Duration.ofMinutes(3), "backup-fetch", target.toString(), "LATEST").requireSuccess();
        assertEquals("a UTF-8 name", Files.readString(rawName(target.resolve("base/1"), "caf%C3%A9")),
                "restored under exactly the same bytes");
        assertEquals("inside", Files.readString(rawName(target, "%E6%97%A5%E6%9C%AC").resolve("x")));
        try (Stream<Path> s = Files.list(target.resolve("base/1"))) {
            assertEquals(1, s.filter(p -> p.getFileName().toString().startsWith("caf")).count(),
                    "and under no other name");
        }
        assertEquals(1, sentinels(archive).size());

        // two names that both decode to "x\uFFFD": they collided, the push exited 0 and the backup did not restore
        Files.writeString(rawName(db, "caf%E9"), "a Latin-1 name");
        Files.writeString(rawName(db, "caf%E8"), "another");
        ProcessResult refused = walj.run(env, Duration.ofMinutes(3), "backup-push", "--while-offline",
                source.dataDir().toString());
        assertEquals(1, refused.exitCode(), refused.describe());
        assertTrue(refused.stderr().contains("MSG: cannot back up \"base/1/caf\\xe8\": its name cannot be stored "
                + "exactly"), refused.stderr());
        assertEquals(1, refused.stderr().lines().filter(l -> l.contains(" ERROR ")).count(),
                "one error record\n" + refused.stderr());
        assertFalse(refused.stderr().contains("\tat "), "no stack trace\n" + refused.stderr());
        assertEquals(1, sentinels(archive).size(), "no sentinel for the refused push");
    }

    @Test
    void aSigtermedPushRemovesItsUploadsAndSpoolAndDeleteEverythingRemovesWhatASigkillLeaves(Scratch scratch)
            throws Exception {
        Tools.require("lzop", "lzop");
        WalJ walj = WalJ.install(scratch);
        Path archive = scratch.archive("archive");
        Path spool = scratch.dir("java-tmp");
        PgCluster source = PgCluster.initdb(scratch, "src");
        // more than one partition's members, read slowly below, so that partitions are in flight for long
        Path extra = scratch.dir(scratch.root().relativize(source.dataDir().resolve("walj_it_extra")).toString());
        byte[] block = new byte[8192];
        Random random = new Random(12);
        for (int i = 0; i < 7000; i++) {
            random.nextBytes(block);
            Files.write(extra.resolve(String.format("f%05d", i)), block);
        }
        Map<String, String> env = offlineEnv(archive);
        env.put("WALJ_JAVA_OPTS", "-Djava.io.tmpdir=" + spool);
        String[] push = {"backup-push", "--while-offline", "--pool-size", "2", "--cluster-read-rate-limit",
                "4000000", source.dataDir().toString()};

        // --- SIGTERM: the shutdown hook removes the in-flight temporary objects; the spool never had a name
        Process term = walj.start(env, scratch.file("term.out"), scratch.file("term.err"), push);
        long java = javaOf(term, scratch.file("term.err"));
        waitForTempPartition(archive, term, scratch.file("term.err"));
        assertEquals(List.of(), list(spool), "the manifest spool is unlinked while the push runs");
        Exec.of("kill", "-TERM", Long.toString(java)).runOk();
        assertTrue(term.waitFor(2, TimeUnit.MINUTES), "the push stopped on SIGTERM");
        String termErr = Files.readString(scratch.file("term.err"));
        assertNotEquals(0, term.exitValue(), termErr);
        assertEquals(List.of(), temporaries(archive), "no temporary object left:\n" + termErr);
        assertEquals(List.of(), list(spool), "no spool left");
        assertTrue(termErr.contains("MSG: backup-push stopped by a signal"), termErr);
        assertEquals(List.of(), sentinels(archive));

        // --- SIGKILL: nothing can run, so the temporary files stay; delete everything removes them
        Process kill = walj.start(env, scratch.file("kill.out"), scratch.file("kill.err"), push);
        long killedJava = javaOf(kill, scratch.file("kill.err"));
        waitForTempPartition(archive, kill, scratch.file("kill.err"));
        Exec.of("kill", "-KILL", Long.toString(killedJava)).runOk();
        assertTrue(kill.waitFor(1, TimeUnit.MINUTES));
        assertFalse(temporaries(archive).isEmpty(), "SIGKILL leaves temporary files (what delete must remove)");
        assertEquals(List.of(), list(spool), "not even SIGKILL leaves the spool");
        ProcessResult deleted = walj.run(env, Duration.ofMinutes(2), "delete", "--confirm", "everything");
        deleted.requireSuccess();
        assertTrue(deleted.stderr().contains("MSG: deleting the leftover of an interrupted upload"), deleted.stderr());
        assertEquals(List.of(), temporaries(archive), "delete everything removes what the killed push left");
        // and everything below basebackups_005/, which stays so that the root is still an archive
        try (Stream<Path> left = Files.list(archive.resolve("basebackups_005"))) {
            assertEquals(List.of(), left.toList());
        }
    }

    @Test
    void credentialsInWaleS3EndpointNeverReachStderrWithOrWithoutDebug(Scratch scratch) {
        WalJ walj = WalJ.install(scratch);
        String secret = "wJalrXUtnFEMIxK7MDENGbPxRfiCYEXAMPLEKEY";
        for (String endpoint : List.of("http+path://AKIAIOSFODNN7EXAMPLE:" + secret + "@127.0.0.1:9",
                "http+path://AKIAIOSFODNN7EXAMPLE:" + secret + "/x@127.0.0.1:9",
                "https+path://127.0.0.1:9/?X-Amz-Signature=" + secret)) {
            for (boolean debug : new boolean[] {false, true}) {
                Map<String, String> env = new LinkedHashMap<>();
                env.put("WALE_S3_PREFIX", "s3://bucket/prefix");
                env.put("AWS_REGION", "us-east-1");
                env.put("WALE_S3_ENDPOINT", endpoint);
                if (debug) {
                    env.put("WALJ_DEBUG", "1");
                }
                ProcessResult r = walj.run(env, "backup-list");
                assertEquals(1, r.exitCode(), r.describe());
                assertTrue(r.stderr().contains("MSG: invalid WALE_S3_ENDPOINT"), r.stderr());
                assertFalse(r.stderr().contains(secret), "debug=" + debug + ":\n" + r.stderr());
                assertFalse(r.stdout().contains(secret), r.stdout());
                if (debug) {
                    assertTrue(r.stderr().contains("\tat "), "WALJ_DEBUG still prints the trace:\n" + r.stderr());
                }
            }
        }
    }

    @Test
    void aDaemonStartedUnderUmask022StoresAndRestoresPrivateFiles(Scratch scratch) throws Exception {
        Tools.require("lzop", "lzop");
        WalJ walj = WalJ.install(scratch);
        Path archive = scratch.dir("archive");
        scratch.dir("archive/basebackups_005"); // an archive already, so the daemon makes wal_005/ itself
        Path runDir = scratch.user().createDirectory(scratch.root().resolve("run"));
        Map<String, String> env = walj.fileArchiveEnv(archive);
        env.put("WALJ_DAEMON_SOCKET", runDir.resolve("daemon.sock").toString());
        ResidentDaemon daemon = ResidentDaemon.startWithUmask(walj, env, scratch, "daemon", "022");
        try {
            Path pgWal = scratch.dir("pg_wal");
            Path segment = pgWal.resolve("000000010000000000000003");
            byte[] content = new byte[1 << 20];
            new Random(3).nextBytes(content);
            Files.write(segment, content);
            scratch.user().own(segment);
            walj.run(env, "wal-push", segment.toString()).requireSuccess();
            assertEquals(1, daemon.served("wal-push"), "the daemon did the push:\n" + daemon.log());
            assertEquals("rw-------", mode(archive.resolve("wal_005/000000010000000000000003.lzo")));
            assertEquals("rwx------", mode(archive.resolve("wal_005")));

            Path restoreDir = scratch.dir("restore");
            walj.run(env, "wal-fetch", "000000010000000000000003", restoreDir.resolve("RECOVERYXLOG").toString())
                    .requireSuccess();
            assertEquals(1, daemon.served("wal-fetch"), "the daemon did the fetch:\n" + daemon.log());
            assertArrayEquals(content, Files.readAllBytes(restoreDir.resolve("RECOVERYXLOG")));
            assertEquals("rw-------", mode(restoreDir.resolve("RECOVERYXLOG")));
        } finally {
            daemon.terminate();
        }
    }

    // ---------------------------------------------------------------- helpers

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    /** The JVM under runuser (the launcher execs it). */
    private static long javaOf(Process p, Path stderr) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && p.isAlive()) {
            List<ProcessHandle> javas = p.descendants()
                    .filter(h -> h.info().command().map(c -> c.endsWith("/java")).orElse(false)).toList();
            if (!javas.isEmpty()) {
                return javas.get(0).pid();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no java process under the launcher:\n" + Files.readString(stderr));
    }

    private static void waitForTempPartition(Path archive, Process push, Path stderr) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline && push.isAlive()) {
            if (temporaries(archive).stream().anyMatch(n -> n.matches(".*/tar_partitions/\\.part_.*\\.tmp-.*"))) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no partition in flight while the push ran:\n" + Files.readString(stderr));
    }

    private static List<String> temporaries(Path archive) throws IOException {
        if (!Files.isDirectory(archive)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(archive)) {
            return s.filter(p -> p.getFileName().toString().matches("\\..*\\.tmp-[0-9a-f]{16}"))
                    .map(p -> archive.relativize(p).toString()).sorted().toList();
        }
    }

    private static List<String> sentinels(Path archive) throws IOException {
        Path dir = archive.resolve("basebackups_005");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("_backup_stop_sentinel.json"))
                    .toList();
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
