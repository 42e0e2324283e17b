package org.walj.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.walj.it.harness.ArchivingCluster;
import org.walj.it.harness.CountingRelay;
import org.walj.it.harness.PgCluster;
import org.walj.it.harness.ProcessResult;
import org.walj.it.harness.RestoreAndCompare;
import org.walj.it.harness.S3Store;
import org.walj.it.harness.Scratch;
import org.walj.it.harness.ScratchExtension;
import org.walj.it.harness.SourceState;
import org.walj.it.harness.WalJ;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Restores that resume, on a real PostgreSQL 15 and a real S3 server (S3Proxy): a backup-fetch SIGKILLed at a seeded
 * point of its download, run again with the same arguments, continues; the second run reads fewer bytes from storage
 * than a full restore, and the result is the full restore's, file for file.
 *
 * <p><b>Counting reads.</b> wal-j reaches S3 through a {@link CountingRelay} in this JVM, which counts every byte the
 * server sends (HTTP headers included) without asking wal-j. The same relay makes the kill points exact: at the
 * trial's byte count it holds the stream back, the fetch waits on its read there, and the test SIGKILLs the whole
 * process tree. A kill point is a byte of the download, so a seed gives the same kill points on a fast machine and a
 * loaded one ({@code RESUME_RESTORE_IT_SEED=N} repeats a run; the seed is printed).
 *
 * <p><b>Where the kills land.</b> One partition at a time ({@code --pool-size 1}, partitions in order); each trial's
 * kill point is drawn within its own tenth of the span from the end of the first partition's bytes to the end of the
 * download, so the ten kills are spread across the fetch (early, in the middle of a partition, between two) and
 * every rerun has something to keep. A kill before the first partition is complete leaves nothing a rerun could
 * skip (a partition is read whole or not at all: a compressed stream cannot be entered in the middle), so it could
 * not read less, and is left out. Kills during the delta scan of a rerun and during the final renames are
 * {@code DeltaRestoreIT}'s (by time).
 *
 * <p><b>Why the cluster looks as it does, and what each trial checks.</b> One backup serves all trials: a small
 * pgbench cluster (scale 1) plus 12,000 files of 256 random bytes in a directory of PGDATA, which backup-push stores
 * like any other file. Partitions are cut at 6,144 members, so the file count (not the files' size) gives three
 * partitions of data (and backup_label's), about 11 MB stored: kill points in several partitions, and a short fetch
 * whose cost is mostly its files. Every trial downloads the whole backup once (up to the kill, then the rest), so its
 * bytes are what each of the ten trials pays: half of what scale 2 and 1 KiB files stored (22 MB). CI runs the suite
 * on two cores; the timeout is for a loaded machine. Every trial's result is compared with
 * a full restore of the same backup, entry by entry (type, size, permission bits, content): equal trees recover
 * alike, and the comparison is exact where a recovery would only notice a difference in what it happens to read.
 * The trials with the earliest and the latest kill are also recovered through wal-fetch and compared with the
 * source table by table (a recovery costs about as much as three trials).
 */
@ExtendWith(ScratchExtension.class)
class ResumeRestoreIT {
    private static final int TRIALS = 10;
    private static final int FILES = 12_000;
    /** Bytes of each file: partitions are cut by member count, so the file count, not their size, sets them. */
    private static final int FILE_SIZE = 256;
    private static final List<String> TABLES = List.of("pgbench_accounts", "pgbench_branches", "pgbench_history",
            "marker");
    private static final Pattern PARTITION = Pattern.compile(".*/tar_partitions/part_(\\d+)\\.tar\\.[a-z0-9]+");

    @Test
    @Timeout(value = 60, unit = TimeUnit.MINUTES)
    void killedFetchesContinueAndReadLessThanAFullRestore(Scratch scratch) throws Exception {
        long seed = seed();
        System.out.println("ResumeRestoreIT: seed " + seed + " (RESUME_RESTORE_IT_SEED=" + seed
                + " repeats these kill points)");
        Random random = new Random(seed);
        S3Store store = S3Store.start();
        try (CountingRelay relay = CountingRelay.to(store.server().port())) {
            WalJ walj = WalJ.install(scratch);
            String prefix = "resume-" + System.nanoTime() + "/";
            Map<String, String> env = new LinkedHashMap<>(walj.env());
            env.putAll(store.archiveEnv(prefix));
            Map<String, String> throughRelay = new LinkedHashMap<>(env);
            throughRelay.put("WALE_S3_ENDPOINT", "http+path://127.0.0.1:" + relay.port());

            PgCluster source = ArchivingCluster.initdb(scratch, walj, "src", env);
            source.start();
            source.pgbench(Duration.ofMinutes(3), "-i", "-s", "1", "-q");
            source.psql("CREATE TABLE marker (id int PRIMARY KEY, note text NOT NULL);"
                    + "INSERT INTO marker SELECT g, 'before backup' FROM generate_series(1, 1000) g; CHECKPOINT");
            manyFiles(scratch, source.dataDir().resolve("walj_it_many"), random);
            Map<String, String> pgEnv = new LinkedHashMap<>(env);
            pgEnv.putAll(source.clientEnv());
            walj.run(pgEnv, Duration.ofMinutes(5), "backup-push", "--pool-size", "2", source.dataDir().toString())
                    .requireSuccess();
            source.psql("INSERT INTO marker SELECT g, 'after backup' FROM generate_series(1001, 2000) g");
            source.pgbench(Duration.ofMinutes(2), "-t", "100", "-c", "2");
            source.psql("INSERT INTO marker VALUES (0, 'last write')");
            SourceState state = SourceState.capture(source, TABLES, scratch.dir("dumps/source"));
            source.waitArchived(source.switchWal(), Duration.ofMinutes(2));
            source.stop();

            // the full restore every trial is measured and compared against
            Path reference = scratch.dir("reference");
            long before = relay.served();
            walj.run(throughRelay, Duration.ofMinutes(5), "backup-fetch", "--pool-size", "1",
                    reference.resolve("pgdata").toString(), "LATEST").requireSuccess();
            long full = relay.served() - before;
            Map<String, Entry> expected = tree(reference.resolve("pgdata"));
            List<Long> partitions = partitionSizes(store, prefix);
            long partitionBytes = partitions.stream().mapToLong(Long::longValue).sum();
            long first = full - partitionBytes + partitions.get(0) + 1; // the first partition is all there
            long last = full - 1024; // the download is never complete
            System.out.printf("ResumeRestoreIT: %d partitions %s, a full restore read %d bytes from storage "
                    + "(%d of them not partitions' bytes); kills between byte %d and %d%n", partitions.size(),
                    partitions, full, full - partitionBytes, first, last);
            assertTrue(partitions.size() >= 3, "several partitions to kill in: " + partitions);

            List<Long> reads = new ArrayList<>();
            for (int trial = 0; trial < TRIALS; trial++) {
                long killAt = first + (long) ((last - first) * (trial + random.nextDouble()) / TRIALS);
                PgCluster copy = PgCluster.unfilled(scratch, "trial-" + trial);
                long read = killAndRerun(scratch, walj, relay, throughRelay, copy.dataDir(), trial, killAt);
                reads.add(read);
                System.out.printf("ResumeRestoreIT: trial %d killed at byte %d of %d; the rerun read %d bytes "
                        + "(%.0f %% of a full restore)%n", trial, killAt, full, read, 100.0 * read / full);
                assertTrue(read < full, "trial " + trial + ": the rerun reads less than a full restore: " + read
                        + " of " + full + " bytes");
                assertTrue(read <= full - partitions.get(0), "trial " + trial + ": the first partition, complete "
                        + "before the kill, is not read again: " + read + " bytes of " + full);
                assertSameTree(expected, tree(copy.dataDir()), "trial " + trial);
                if (trial == 0 || trial == TRIALS - 1) {
                    copy.adoptConfigurationOf(source);
                    RestoreAndCompare.throughWalFetch(copy, walj, env, Duration.ofMinutes(5), state, "S3");
                } else {
                    deleteTree(copy.dataDir());
                }
            }
            System.out.println("ResumeRestoreIT: reruns read " + reads + " bytes; a full restore " + full);
        }
    }

    /**
     * Starts backup-fetch into {@code data}, SIGKILLs it when it has read {@code killAt} bytes, checks what it left,
     * runs it again with the same arguments; returns the bytes the second run read from storage.
     */
    private static long killAndRerun(Scratch scratch, WalJ walj, CountingRelay relay, Map<String, String> env,
                                     Path data, int trial, long killAt) throws IOException, InterruptedException {
        String[] command = {"backup-fetch", "--pool-size", "1", data.toString(), "LATEST"};
        Path err = scratch.file("trial-" + trial + "-killed.err");
        relay.stallAt(relay.served() + killAt);
        Process fetch = walj.start(env, scratch.file("trial-" + trial + "-killed.out"), err, command);
        boolean stalled = false;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!stalled && fetch.isAlive() && System.nanoTime() < deadline) {
            stalled = relay.awaitStall(100);
        }
        boolean wasRunning = fetch.isAlive();
        killTree(fetch);
        relay.release();
        assertTrue(stalled && wasRunning, "trial " + trial + ": the fetch was still reading at byte " + killAt
                + " when it was killed:\n" + Files.readString(err));
        assertFalse(Files.exists(data.resolve("global/pg_control")),
                "trial " + trial + ": a killed fetch leaves no pg_control, so PostgreSQL refuses the directory");
        assertTrue(Files.exists(data.resolve("backup_fetch.walj-incomplete")), "trial " + trial + ": the marker");

        long before = relay.served();
        ProcessResult rerun = walj.run(env, Duration.ofMinutes(5), command).requireSuccess();
        long read = relay.served() - before;
        assertTrue(rerun.stderr().contains("MSG: continuing an interrupted backup-fetch"), rerun.describe());
        assertFalse(Files.exists(data.resolve("backup_fetch.walj-incomplete")), "the marker went at the end");
        Matcher figures = Pattern.compile("read (\\d+) of (\\d+) partitions \\((\\d+) bytes from storage\\)")
                .matcher(rerun.stderr());
        assertTrue(figures.find(), rerun.describe());
        System.out.println("ResumeRestoreIT: trial " + trial + " rerun: " + figures.group());
        return read;
    }

    /** {@link #FILES} files of {@link #FILE_SIZE} seeded random bytes (compression keeps them), 1,000 to a directory. */
    private static void manyFiles(Scratch scratch, Path dir, Random random) throws IOException {
        byte[] content = new byte[FILE_SIZE];
        for (int i = 0; i < FILES; i++) {
            Path sub = dir.resolve(String.format("d%02d", i / 1000));
            if (i % 1000 == 0) {
                Files.createDirectories(sub);
                scratch.user().own(dir);
                scratch.user().own(sub);
            }
            random.nextBytes(content);
            Path f = sub.resolve(String.format("f%05d", i));
            Files.write(f, content);
            scratch.user().own(f);
        }
    }

    /** Stored sizes of the backup's partitions, by partition number. */
    private static List<Long> partitionSizes(S3Store store, String prefix) {
        TreeMap<Integer, Long> sizes = new TreeMap<>();
        try (S3Client c = store.server().adminClient()) {
            for (S3Object o : c.listObjectsV2Paginator(b -> b.bucket(S3Store.BUCKET).prefix(prefix + "basebackups_"))
                    .contents()) {
                Matcher m = PARTITION.matcher(o.key());
                if (m.matches()) {
                    sizes.put(Integer.parseInt(m.group(1)), o.size());
                }
            }
        }
        assertEquals(sizes.size(), sizes.lastKey() + 1, "partitions numbered from 0: " + sizes);
        return List.copyOf(sizes.values());
    }

    /** One directory entry as compared: type, size, permission bits, and a regular file's bytes. */
    private record Entry(String type, long size, String mode, Path path) {
    }

    private static Map<String, Entry> tree(Path root) throws IOException {
        Map<String, Entry> out = new TreeMap<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes a) throws IOException {
                add(dir, "dir");
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes a) throws IOException {
                add(file, a.isSymbolicLink() ? "link " + Files.readSymbolicLink(file) : a.isRegularFile() ? "file"
                        : "other");
                return FileVisitResult.CONTINUE;
            }

            private void add(Path p, String type) throws IOException {
                PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                String mode = a.isSymbolicLink() ? "" : java.nio.file.attribute.PosixFilePermissions.toString(
                        a.permissions());
                out.put(root.relativize(p).toString(), new Entry(type, type.equals("file") ? a.size() : 0, mode, p));
            }
        });
        return out;
    }

    private static void assertSameTree(Map<String, Entry> expected, Map<String, Entry> actual, String what)
            throws IOException {
        assertEquals(expected.keySet(), actual.keySet(), what + ": the same entries as the full restore");
        for (Map.Entry<String, Entry> e : expected.entrySet()) {
            Entry want = e.getValue();
            Entry got = actual.get(e.getKey());
            assertEquals(want.type() + " " + want.size() + " " + want.mode(),
                    got.type() + " " + got.size() + " " + got.mode(), what + ": " + e.getKey());
            if (want.type().equals("file")) {
                assertEquals(-1L, Files.mismatch(want.path(), got.path()), what + ": the content of " + e.getKey());
            }
        }
    }

    /** SIGKILLs the launcher and every process below it. */
    private static void killTree(Process p) throws InterruptedException {
        List<ProcessHandle> tree = Stream.concat(p.toHandle().descendants(), Stream.of(p.toHandle())).toList();
        tree.forEach(ProcessHandle::destroyForcibly);
        p.waitFor(1, TimeUnit.MINUTES);
        for (ProcessHandle h : tree) {
            h.onExit().join();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static long seed() {
        String given = System.getenv("RESUME_RESTORE_IT_SEED");
        return given == null || given.isBlank() ? System.nanoTime() : Long.parseLong(given.strip());
    }
}
