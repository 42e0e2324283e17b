package org.walj.it;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.walj.daemon.Protocol;
import org.walj.it.harness.ArchivingCluster;
import org.walj.it.harness.Compare;
import org.walj.it.harness.Exec;
import org.walj.it.harness.PgCluster;
import org.walj.it.harness.PgbenchLoad;
import org.walj.it.harness.ProcessResult;
import org.walj.it.harness.ResidentDaemon;
import org.walj.it.harness.RestoreAndCompare;
import org.walj.it.harness.Scratch;
import org.walj.it.harness.ScratchExtension;
import org.walj.it.harness.SourceState;
import org.walj.it.harness.Tools;
import org.walj.it.harness.WalJ;

/**
 * The resident daemon ({@code wal-j daemon}, docs/daemon.md) against a real PostgreSQL 15 whose archive_command and
 * restore_command are the unchanged {@code wal-j wal-push %p} / {@code wal-j wal-fetch %f %p}: the daemon runs as the
 * server's OS user with the server's environment, and its own log proves it did the work. Along the way: SIGKILL of
 * the daemon while it pushes (PostgreSQL still gets everything archived: the clients fall back or the archiver
 * retries), garbage on the socket, and clients of another OS user refused on both sides of the socket.
 */
@ExtendWith(ScratchExtension.class)
class DaemonIT {

    private static final List<String> TABLES = List.of("pgbench_accounts", "pgbench_branches", "pgbench_tellers",
            "pgbench_history", "after_backup");

    @Test
    void archivesAndRestoresThroughTheDaemonSurvivesKillGarbageAndStrangers(Scratch scratch) throws Exception {
        Path lzop = Tools.require("lzop", "lzop");
        WalJ walj = WalJ.install(scratch);
        Path archive = scratch.archive("archive");
        Path runDir = scratch.user().createDirectory(scratch.root().resolve("run"));
        Path socket = runDir.resolve("daemon.sock");
        Map<String, String> walEnv = walj.fileArchiveEnv(archive);
        walEnv.put("WALJ_DAEMON_SOCKET", socket.toString());

        ResidentDaemon daemon = ResidentDaemon.start(walj, walEnv, scratch, "daemon-1");

        PgCluster source = ArchivingCluster.initdb(scratch, walj, "src", walEnv)
                .configure(Map.of("wal_keep_size", "2GB", "max_wal_size", "4GB"));
        source.start();
        source.pgbench(Duration.ofMinutes(2), "-i", "-s", "3", "-q");
        source.waitArchived(source.switchWal(), Duration.ofMinutes(1));
        int pushes = daemon.served("wal-push");
        assertTrue(pushes >= 1, "the daemon served the archive_command calls:\n" + daemon.log());
        assertFalse(Files.readString(source.logFile()).contains("working in-process"),
                "no archive_command call fell back while the daemon was up:\n" + source.logTail(40));
        assertTrue(Files.readString(source.logFile()).contains("MSG: completed archiving to a file"),
                "the daemon's WAL-E records reach PostgreSQL's log through the client");

        PgCluster restored = source.baseBackup("restored");

        // --- SIGKILL while it pushes: nothing acknowledged is lost, PostgreSQL archives everything regardless
        long before = daemon.count("MSG: begin archiving a file");
        source.psql("CREATE TABLE after_backup (id bigint PRIMARY KEY, payload text NOT NULL);");
        PgbenchLoad writes = source.pgbenchInBackground(Duration.ofMinutes(2), "-T", "20", "-c", "2", "-j", "2");
        long killStarts = writes.awaitProgress(Duration.ofMinutes(1)).operationStarts();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (daemon.count("MSG: begin archiving a file") == before) {
            assertTrue(System.nanoTime() < deadline, "no push started within 60 s:\n" + daemon.log());
            source.switchWal();
            Thread.sleep(20);
        }
        daemon.kill();
        source.psql("INSERT INTO after_backup SELECT g, repeat(md5(g::text), 3) FROM generate_series(1, 4000) g");
        writes.assertOverlapped(killStarts, Duration.ofSeconds(1), "the daemon's kill while it pushed");
        writes.finish();
        String afterKill = source.switchWal();
        source.waitArchived(afterKill, Duration.ofMinutes(2));
        assertTrue(Files.readString(source.logFile()).contains("working in-process"),
                "with the daemon dead, archive_command did the work itself:\n" + source.logTail(40));

        // --- a new daemon replaces the stale socket and serves again
        ResidentDaemon second = ResidentDaemon.start(walj, walEnv, scratch, "daemon-2");
        source.psql("UPDATE after_backup SET payload = 'changed' WHERE id % 7 = 0");
        String last = source.switchWal();
        source.waitArchived(last, Duration.ofMinutes(1));
        assertTrue(second.served("wal-push") >= 1, "the restarted daemon serves:\n" + second.log());

        // --- garbage, a truncated request and an oversized one: an error each, and the daemon keeps serving
        String garbage = sendAsServerUser(scratch, socket, "GET / HTTP/1.0\r\n\r\n".getBytes(US_ASCII));
        assertTrue(garbage.contains("malformed request: not a wal-j request"), garbage);
        String oversized = sendAsServerUser(scratch, socket, bytes("WALJ", 1, 0x7f, 0xff, 0xff, 0xff));
        assertTrue(oversized.contains("malformed request: request length"), oversized);
        String badVersion = sendAsServerUser(scratch, socket, bytes("WALJ", 9));
        assertTrue(badVersion.contains("protocol version 9 is not supported"), badVersion);
        sendAsServerUser(scratch, socket, bytes("WALJ", 1, 0, 0, 0x10, 0, 'a', 'b', 'c')); // then hangs up
        int fetchesBefore = second.served("wal-fetch");
        ProcessResult notThere = walj.run(walEnv, "wal-fetch", "00000001000000FF000000FF",
                scratch.root().resolve("nope").toString());
        assertEquals(1, notThere.exitCode(), notThere.describe());
        assertEquals(fetchesBefore + 1, second.served("wal-fetch"), "still serving after garbage:\n" + second.log());

        // --- concurrent requests: each client gets its own records, and its own segment's exact bytes
        Path fetched = scratch.user().createDirectory(scratch.root().resolve("fetched"));
        List<String> segments;
        try (Stream<Path> s = Files.list(archive.resolve("wal_005"))) {
            segments = s.map(p -> p.getFileName().toString()).filter(n -> n.matches("[0-9A-F]{24}\\.lzo"))
                    .map(n -> n.substring(0, 24)).sorted().limit(4).toList();
        }
        assertEquals(4, segments.size(), "segments archived so far");
        List<java.util.concurrent.CompletableFuture<ProcessResult>> parallel = segments.stream()
                .map(seg -> java.util.concurrent.CompletableFuture.supplyAsync(() -> walj.run(walEnv, "wal-fetch",
                        "--prefetch", "0", seg, fetched.resolve(seg).toString())))
                .toList();
        for (int i = 0; i < segments.size(); i++) {
            ProcessResult r = parallel.get(i).join();
            String seg = segments.get(i);
            assertEquals(0, r.exitCode(), r.describe());
            assertTrue(r.stderr().contains("seg=" + seg), r.describe());
            for (String other : segments) {
                assertTrue(other.equals(seg) || !r.stderr().contains(other), "only its own records:\n" + r.describe());
            }
            assertFalse(r.stderr().contains("working in-process"), r.describe());
            Compare.assertSameBytes(source.pgWal().resolve(seg), fetched.resolve(seg), seg + " fetched through the daemon");
        }

        // --- a configuration the daemon was not started with: refused by name, done in-process, same result
        Map<String, String> otherEnv = new LinkedHashMap<>(walEnv);
        otherEnv.put("WALE_S3_ENDPOINT", "http+path://secret-value.invalid:1"); // unused by a file prefix
        ProcessResult differs = walj.run(otherEnv, "wal-fetch", "00000001000000FF000000FF",
                scratch.root().resolve("nope").toString());
        assertEquals(1, differs.exitCode(), differs.describe());
        assertTrue(differs.stderr().contains("the environment differs from the daemon's in WALE_S3_ENDPOINT"),
                differs.describe());
        assertFalse(differs.stderr().contains("secret-value"), "values are never shown: " + differs.describe());

        // --- another OS user: the client refuses the socket directory, the daemon refuses the peer
        ProcessResult stranger = Exec.of(walj.launcher().toString(), "wal-fetch", "00000001000000FF000000FF",
                        scratch.root().resolve("stranger").toString())
                .env(walEnv).dir(scratch.root()).run();
        assertTrue(stranger.stderr().contains("refusing to use the daemon socket"), stranger.describe());
        assertTrue(stranger.stderr().contains("working in-process"), stranger.describe());
        assertEquals("the daemon serves user " + scratch.user().name() + " only", askAsThisUser(socket),
                "a connection from another uid is refused by the daemon itself");

        // --- the archive: every object passes lzop -t and holds the segment's exact bytes
        SourceState expected = SourceState.capture(source, TABLES, scratch.dir("dumps/src"));
        source.stop();
        int checked = checkArchive(archive.resolve("wal_005"), source.pgWal(), lzop, scratch);
        assertTrue(checked >= 5, "segments checked: " + checked);

        // --- restore through the daemon, row by row
        int fetches = second.served("wal-fetch");
        RestoreAndCompare.throughWalFetch(restored, walj, walEnv, Duration.ofMinutes(2), expected, "daemon-served");
        assertTrue(second.served("wal-fetch") > fetches + 3, "restore_command went through the daemon:\n" + second.log());
        assertFalse(Files.readString(restored.logFile()).contains("working in-process"), restored.logTail(40));

        // --- SIGTERM: stops cleanly and removes its socket
        second.terminate();
        assertTrue(second.log().contains("MSG: daemon stopped"), second.log());
        assertFalse(Files.exists(socket), "socket removed on SIGTERM");
    }

    /**
     * Sends raw bytes to the socket as the server's user (only that user gets past the daemon's peer check) with a
     * single-file Java program, and returns the answer's bytes as text.
     */
    private static String sendAsServerUser(Scratch scratch, Path socket, byte[] bytes) throws IOException {
        Path program = scratch.root().resolve("SocketSend.java");
        if (!Files.exists(program)) {
            Files.writeString(program, """
                    import java.net.*;
                    import java.nio.*;
                    import java.nio.channels.*;
                    import java.util.HexFormat;
                    public class SocketSend {
                        public static void main(String[] a) throws Exception {
                            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                                ch.connect(UnixDomainSocketAddress.of(a[0]));
                                ch.write(ByteBuffer.wrap(HexFormat.of().parseHex(a[1])));
                                ch.shutdownOutput();
                                byte[] all = Channels.newInputStream(ch).readAllBytes();
                                System.out.print(new String(all, java.nio.charset.StandardCharsets.ISO_8859_1));
                            }
                        }
                    }
                    """);
            scratch.user().own(program);
        }
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return Exec.of(javaBin, program.toString(), socket.toString(), java.util.HexFormat.of().formatHex(bytes))
                .as(scratch.user()).dir(scratch.root()).timeout(Duration.ofSeconds(60)).runOk().stdout();
    }

    /** A well-formed request from this (root) JVM; returns the refusal reason. */
    private static String askAsThisUser(Path socket) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            DataOutputStream out = new DataOutputStream(Channels.newOutputStream(ch));
            try {
                Protocol.writeRequest(out, new Protocol.Request("x", "/", List.of("wal-fetch", "a", "b"), Map.of()));
            } catch (IOException closedEarly) {
                // the daemon answers a stranger without reading the request
            }
            Protocol.Frame frame = Protocol.readFrame(new DataInputStream(new BufferedInputStream(Channels.newInputStream(ch))));
            assertEquals(Protocol.REFUSED, frame.type(), "answer frame type");
            return frame.text();
        }
    }

    private static byte[] bytes(String head, int... tail) {
        byte[] out = new byte[head.length() + tail.length];
        System.arraycopy(head.getBytes(US_ASCII), 0, out, 0, head.length());
        for (int i = 0; i < tail.length; i++) {
            out[head.length() + i] = (byte) tail[i];
        }
        return out;
    }

    private static int checkArchive(Path wal005, Path pgWal, Path lzop, Scratch scratch) throws IOException {
        List<Path> objects;
        try (Stream<Path> s = Files.list(wal005)) {
            objects = s.sorted().toList();
        }
        Path out = scratch.file("lzop-out/decompressed");
        int compared = 0;
        for (Path object : objects) {
            if (object.getFileName().toString().startsWith(".")) {
                continue; // a temporary file of the killed daemon: never renamed, so never an object
            }
            Exec.of(lzop.toString(), "-t", object.toString()).runOk();
            String base = object.getFileName().toString().replaceFirst("\\.lzo$", "");
            Path original = pgWal.resolve(base);
            if (base.matches("[0-9A-F]{24}") && Files.exists(original)) {
                Files.deleteIfExists(out);
                Exec.of(lzop.toString(), "-d", "-c", object.toString()).stdoutTo(out).runOk();
                Compare.assertSameBytes(original, out, base);
                compared++;
            }
        }
        // every segment PostgreSQL marked done is in the archive
        try (Stream<Path> s = Files.list(pgWal.resolve("archive_status"))) {
            for (Path done : s.filter(p -> p.toString().endsWith(".done")).toList()) {
                String name = done.getFileName().toString().replaceFirst("\\.done$", "");
                assertTrue(Files.exists(wal005.resolve(name + ".lzo")), name + " is marked done but not archived");
            }
        }
        return compared;
    }
}
