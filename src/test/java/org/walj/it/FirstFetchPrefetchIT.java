package org.walj.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.walj.it.harness.ProcessResult;
import org.walj.it.harness.Scratch;
import org.walj.it.harness.ScratchExtension;
import org.walj.it.harness.WalJ;

/**
 * The first wal-fetch of a recovery, with nothing configured (the daemon started on demand): it starts the daemon
 * and no {@code wal-prefetch} JVM of its own (the daemon prefetches from the next request on), watched in the real
 * process table while it runs and for a few seconds after; the same call with the daemon off does start one, so the
 * watch can see what it looks for. The next calls are served by the daemon, and every segment is restored exactly.
 */
@ExtendWith(ScratchExtension.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class FirstFetchPrefetchIT {
    private static final int SEGMENT_BYTES = 16 * 1024 * 1024;
    private static final List<String> SEGMENTS = List.of("000000010000000000000001", "000000010000000000000002",
            "000000010000000000000003");

    @Test
    void theFirstCallStartsADaemonAndNoPrefetchProcess(Scratch scratch) throws Exception {
        WalJ walj = WalJ.install(scratch);
        Map<String, String> env = walj.fileArchiveEnv(scratch.archive("archive"));
        Path walDir = scratch.dir("pg_wal");
        Random random = new Random(14);
        Map<String, byte[]> contents = new LinkedHashMap<>();
        for (String s : SEGMENTS) {
            byte[] bytes = segmentBytes(random);
            contents.put(s, bytes);
            Path f = walDir.resolve(s);
            Files.write(f, bytes);
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
            Map<String, String> off = new LinkedHashMap<>(env);
            off.put("WALJ_DAEMON_AUTOSTART", "off");
            walj.run(off, "wal-push", "--pool-size", "1", f.toString()).requireSuccess();
        }

        // the daemon off: the call starts a wal-prefetch JVM (the watch sees it)
        Path control = scratch.dir("control");
        Map<String, String> off = new LinkedHashMap<>(env);
        off.put("WALJ_DAEMON_AUTOSTART", "off");
        Set<String> seen = fetchWatchingPrefetches(walj, off, SEGMENTS.get(0), control, scratch.root());
        assertTrue(seen.stream().anyMatch(c -> c.contains(control.toString())),
                "the call without a daemon started a wal-prefetch process: " + seen);

        // the daemon started on demand: none, and the next calls are the daemon's
        Path restore = scratch.dir("restore");
        seen = fetchWatchingPrefetches(walj, env, SEGMENTS.get(0), restore, scratch.root());
        assertTrue(seen.stream().noneMatch(c -> c.contains(restore.toString())),
                "the first call started no wal-prefetch process: " + seen);
        assertTrue(hasFile(scratch.runtimeDir().resolve("wal-j"), ".pid"), "a daemon was started");
        for (String s : SEGMENTS.subList(1, SEGMENTS.size())) {
            ProcessResult r = walj.run(env, "wal-fetch", s, restore.resolve(s).toString()).requireSuccess();
            assertTrue(!r.stderr().contains("working in-process"), r.describe());
        }
        for (String s : SEGMENTS) {
            assertArrayEquals(contents.get(s), Files.readAllBytes(restore.resolve(s)), s);
        }
        String daemonLog = readLogs(scratch.runtimeDir().resolve("wal-j"));
        assertTrue(count(daemonLog, "MSG: served a request") >= SEGMENTS.size() - 1,
                "the daemon served the calls after the first:\n" + daemonLog);
    }

    /**
     * Runs wal-fetch of {@code segment} into {@code dir} and watches the process table until 5 s after it ended: the
     * command lines of the wal-prefetch processes seen under {@code root}.
     */
    private static Set<String> fetchWatchingPrefetches(WalJ walj, Map<String, String> env, String segment, Path dir,
                                                       Path root) throws Exception {
        Set<String> seen = new HashSet<>();
        Process p = walj.start(env, dir.resolveSibling(dir.getFileName() + ".out"),
                dir.resolveSibling(dir.getFileName() + ".err"), "wal-fetch", segment, dir.resolve(segment).toString());
        long after = Long.MAX_VALUE;
        while (System.nanoTime() < after) {
            ProcessHandle.allProcesses().forEach(h -> h.info().commandLine()
                    .filter(c -> c.contains(" wal-prefetch ") && c.contains(root.toString())).ifPresent(seen::add));
            if (after == Long.MAX_VALUE && !p.isAlive()) {
                assertEquals(0, p.exitValue(), Files.readString(dir.resolveSibling(dir.getFileName() + ".err")));
                after = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            }
            Thread.sleep(20);
        }
        return seen;
    }

    /** Text-like, as compressible as WAL of inserted rows: random hex digits. */
    private static byte[] segmentBytes(Random random) {
        byte[] b = new byte[SEGMENT_BYTES];
        byte[] hex = "0123456789abcdef".getBytes();
        for (int i = 0; i < b.length; i++) {
            b[i] = hex[random.nextInt(16)];
        }
        return b;
    }

    private static boolean hasFile(Path dir, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.toString().endsWith(suffix));
        }
    }

    private static String readLogs(Path dir) throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().contains(".log")).toList()) {
                all.append(Files.readString(f));
            }
        }
        return all.toString();
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
