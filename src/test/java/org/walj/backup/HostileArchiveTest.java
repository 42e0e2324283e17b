package org.walj.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.walj.backup.BackupFetch.RestoreSpecOption.NONE;
import static org.walj.backup.BackupFetch.RestoreSpecOption.SOURCE;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.walj.archive.Archives;
import org.walj.layout.Tablespace;

/**
 * Archives made by an attacker who can write to the bucket, restored by backup-fetch on the real file backend. Every
 * case must fail with one line naming the member (or tablespace), leave no {@code global/pg_control}, and leave the
 * decoy file and directory outside the target exactly as they were (bytes, mode, mtime, link count).
 */
class HostileArchiveTest {
    @TempDir
    Path tmp;

    /** Builds the archive of one case in its sandbox and says how the operator runs the fetch. */
    @FunctionalInterface
    interface Scenario {
        BackupFetch.RestoreSpecOption build(HostileSandbox s) throws IOException;
    }

    private record Case(String name, String needle, Scenario scenario) {
    }

    private static final byte[] PG_CONTROL_ONLY = tarUnchecked(t -> t.file("global/pg_control", "control"));

    @TestFactory
    Stream<DynamicTest> everyHostileArchiveIsRefusedWithoutTouchingAnythingOutside() {
        List<Case> cases = new ArrayList<>();
        // ---- issue 12 item 1: the held-back tablespace_map written through a symlink member
        cases.add(new Case("item 1: symlink tablespace_map.walj-incomplete", "\"tablespace_map.walj-incomplete\"",
                s -> {
                    s.sentinel(List.of(new Tablespace("16385", s.tablespace("ts1") + "/", "pg_tblspc/16385")));
                    s.partition(0, new Tars().file("global/pg_control", "c").file("tablespace_map", "16385 /x\n")
                            .symlink("tablespace_map.walj-incomplete", s.decoy.toString()).bytes());
                    return SOURCE;
                }));
        cases.add(new Case("item 1: the symlink in another partition", "\"./tablespace_map.walj-incomplete\"", s -> {
            s.sentinel(List.of(new Tablespace("16385", s.tablespace("ts1") + "/", "pg_tblspc/16385")));
            s.partition(0, new Tars().file("global/pg_control", "c").file("tablespace_map", "16385 /x\n").bytes());
            s.partition(1, new Tars().symlink("./tablespace_map.walj-incomplete", s.decoy.toString()).bytes());
            return SOURCE;
        }));
        cases.add(new Case("held-back temporary name as a regular file", "\"global/pg_control.walj-incomplete\"",
                s -> {
                    s.sentinel(List.of());
                    s.partition(0, new Tars().file("global/pg_control", "c")
                            .file("global/pg_control.walj-incomplete", "forged").bytes());
                    return NONE;
                }));
        // ---- item 2 without the race: a file and a symlink at one path, in two partitions
        cases.add(new Case("item 2: file and symlink at one path in two partitions", "\"x\"", s -> {
            s.sentinel(List.of());
            s.partition(0, new Tars().file("global/pg_control", "c").file("x", "data", 0777, 1_500_000_000_000L)
                    .bytes());
            s.partition(1, new Tars().symlink("x", s.decoy.toString()).bytes());
            return NONE;
        }));
        // ---- item 6: the sentinel's loc decides where root writes
        cases.add(new Case("item 6: recorded tablespace location is not created by default", "tablespace 16385 at \"",
                s -> {
                    s.sentinel(List.of(new Tablespace("16385", s.outside.resolve("ssh") + "/", "pg_tblspc/16385")));
                    s.partition(0, new Tars().file("global/pg_control", "c")
                            .file("pg_tblspc/16385/authorized_keys", "ssh-ed25519 AAAA attacker").bytes());
                    return NONE;
                }));
        cases.add(new Case("item 6: a newline in loc would forge tablespace_map lines", "contains a control character",
                s -> {
                    s.sentinel(List.of(new Tablespace("16385", s.tablespace("ts1") + "\n16386 /etc/",
                            "pg_tblspc/16385")));
                    s.partition(0, new Tars().file("global/pg_control", "c").file("tablespace_map", "x").bytes());
                    return SOURCE;
                }));
        cases.add(new Case("item 6: loc is /", "location \"/\" is the root directory", s -> {
            s.sentinel(List.of(new Tablespace("16385", "/", "pg_tblspc/16385")));
            s.partition(0, PG_CONTROL_ONLY);
            return SOURCE;
        }));
        cases.add(new Case("item 6: relative loc", "is not absolute", s -> {
            s.sentinel(List.of(new Tablespace("16385", "ts1/", "pg_tblspc/16385")));
            s.partition(0, PG_CONTROL_ONLY);
            return SOURCE;
        }));
        cases.add(new Case("item 6: loc with ..", "is not a normalized path", s -> {
            s.sentinel(List.of(new Tablespace("16385", s.restore + "/ts1/../../outside/x/", "pg_tblspc/16385")));
            s.partition(0, PG_CONTROL_ONLY);
            return SOURCE;
        }));
        cases.add(new Case("item 6: loc inside the data directory", "overlaps the data directory", s -> {
            s.sentinel(List.of(new Tablespace("16385", s.data + "/base/", "pg_tblspc/16385")));
            s.partition(0, PG_CONTROL_ONLY);
            return SOURCE;
        }));
        cases.add(new Case("item 6: loc reaching the data directory through a symlink", "overlaps the data directory",
                s -> {
                    Files.createSymbolicLink(s.restore.resolve("ts-alias"), s.restore);
                    s.sentinel(List.of(new Tablespace("16385", s.restore + "/ts-alias/data/base/", "pg_tblspc/16385")));
                    s.partition(0, PG_CONTROL_ONLY);
                    return SOURCE;
                }));
        cases.add(new Case("item 6: two tablespaces in one directory", "overlaps another tablespace's", s -> {
            s.sentinel(List.of(new Tablespace("1", s.tablespace("ts1") + "/", "pg_tblspc/1"),
                    new Tablespace("2", s.tablespace("ts1") + "/", "pg_tblspc/2")));
            s.partition(0, PG_CONTROL_ONLY);
            return SOURCE;
        }));
        cases.add(new Case("item 6: a restore spec file with a control character", "contains a control character",
                s -> {
                    s.sentinel(List.of(new Tablespace("16385", "/srv/ts1/", "pg_tblspc/16385")));
                    s.partition(0, PG_CONTROL_ONLY);
                    return BackupFetch.RestoreSpecOption.file("{\"16385\": {\"loc\": \"" + s.tablespace("ts1")
                            + "\\r/\", \"link\": \"pg_tblspc/16385\"}}");
                }));
        // ---- item 8: devices and FIFOs
        cases.add(new Case("item 8: FIFO", "\"pg_stat/fifo\": unsupported tar member type (FIFO", s -> {
            s.sentinel(List.of());
            s.partition(0, new Tars().file("global/pg_control", "c").special("pg_stat/fifo", TarConstants.LF_FIFO)
                    .bytes());
            return NONE;
        }));
        cases.add(new Case("item 8: character device", "\"null\": unsupported tar member type (character device", s -> {
            s.sentinel(List.of());
            s.partition(0, new Tars().file("global/pg_control", "c").special("null", TarConstants.LF_CHR).bytes());
            return NONE;
        }));
        cases.add(new Case("item 8: block device", "\"sda\": unsupported tar member type (block device", s -> {
            s.sentinel(List.of());
            s.partition(0, new Tars().file("global/pg_control", "c").special("sda", TarConstants.LF_BLK).bytes());
            return NONE;
        }));
        // ---- item 10: garbage after the end-of-archive blocks
        cases.add(new Case("garbage after end-of-archive", HostileSandbox.PARTITION_0 + " could not be restored: "
                + "the tar stream has data after its end-of-archive blocks", s -> {
            s.sentinel(List.of());
            byte[] tar = new Tars().file("global/pg_control", "c").bytes();
            byte[] evil = new Tars().file("evil", "x").bytes();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(tar);
            out.write(evil); // a second archive, which tar -i would extract
            s.partition(0, out.toByteArray());
            return NONE;
        }));
        // ---- the classics
        cases.add(new Case("..", "\"../../outside/evil\": names with \"..\"", s -> {
            s.sentinel(List.of());
            s.partition(0, new Tars().file("global/pg_control", "c").file("../../outside/evil", "x").bytes());
            return NONE;
        }));
        cases.add(new Case(".. hidden in the middle", "\"base/../../../outside/decoy\"", s -> {
            s.sentinel(List.of());
            s.partition(0, new Tars().file("global/pg_control", "c").file("base/../../../outside/decoy", "x").bytes());
            return NONE;
        }));
        cases.add(new Case("absolute name", "absolute names are not restored", s -> {
            s.sentinel(List.of());
            s.partition(0, new Tars().file("global/pg_control", "c").file(s.decoy.toString(), "x").bytes());
            return NONE;
        }));
        cases.add(new Case("PAX long name with ..", "names with \"..\"", s -> {
            s.sentinel(List.of());
            s.partition(0, new Tars().file("global/pg_control", "c")
                    .file("d".repeat(150) + "/../../../outside/decoy", "x").bytes());
            return NONE;
        }));
        cases.add(new Case("GNU long name with ..", "names with \"..\"", s -> {
            s.sentinel(List.of());
            s.partition(0, new Tars(TarArchiveOutputStream.LONGFILE_GNU).file("global/pg_control", "c")
                    .file("d".repeat(150) + "/../../../outside/decoy", "x").bytes());
            return NONE;
        }));
        cases.add(new Case("a directory at pg_control's path", "\"global/pg_control/\"", s -> {
            s.sentinel(List.of());
            s.partition(0, new Tars().dir("global/pg_control", 0700).bytes());
            return NONE;
        }));
        cases.add(new Case("a file below pg_control's path", "\"global/pg_control/x\"", s -> {
            s.sentinel(List.of());
            s.partition(0, new Tars().file("global/pg_control/x", "x").bytes());
            return NONE;
        }));
        cases.add(new Case("a symlink at backup_label's path", "\"backup_label\"", s -> {
            s.sentinel(List.of());
            s.partition(0, new Tars().file("global/pg_control", "c").symlink("backup_label", s.decoy.toString())
                    .bytes());
            return NONE;
        }));
        cases.add(new Case("hard link to an absolute path outside", "\"h\": hard link to \"/", s -> {
            s.sentinel(List.of());
            s.partition(0, new Tars().file("global/pg_control", "c").hardLink("h", s.decoy.toString()).bytes());
            return NONE;
        }));
        cases.add(new Case("hard link with ..", "\"h\": hard link to \"../../outside/decoy\": names with \"..\"", s -> {
            s.sentinel(List.of());
            s.partition(0, new Tars().file("global/pg_control", "c").hardLink("h", "../../outside/decoy").bytes());
            return NONE;
        }));
        cases.add(new Case("hard link to something never extracted", "\"h\"", s -> {
            s.sentinel(List.of());
            s.partition(0, new Tars().file("global/pg_control", "c").hardLink("h", "PG_VERSION").bytes());
            return NONE;
        }));
        cases.add(new Case("hard link to a held-back file", "\"h\"", s -> {
            s.sentinel(List.of());
            s.partition(0, new Tars().file("global/pg_control", "c").hardLink("h", "global/pg_control").bytes());
            return NONE;
        }));
        cases.add(new Case("hard link to a directory", "\"h\"", s -> {
            s.sentinel(List.of());
            s.partition(0, new Tars().file("global/pg_control", "c").dir("base", 0700).hardLink("h", "base").bytes());
            return NONE;
        }));
        cases.add(new Case("symlink then hard link through it", "\"h\"", s -> {
            s.sentinel(List.of());
            s.partition(0, new Tars().file("global/pg_control", "c").symlink("s", s.decoy.toString())
                    .hardLink("h", "s").bytes());
            return NONE;
        }));
        cases.add(new Case("link then write through it", "\"d/x\": it would be written through the symbolic link",
                s -> {
                    s.sentinel(List.of());
                    s.partition(0, new Tars().file("global/pg_control", "c").symlink("d", s.decoyDir.toString())
                            .file("d/x", "x").bytes());
                    return NONE;
                }));
        cases.add(new Case("relative link then write through it in another partition", "\"d/decoy\"", s -> {
            s.sentinel(List.of());
            s.partition(0, new Tars().file("global/pg_control", "c").symlink("d", "../../outside").bytes());
            s.partition(1, new Tars().file("d/decoy", "overwritten").bytes());
            return NONE;
        }));
        cases.add(new Case("link then a directory through it", "\"d/sub/\"", s -> {
            s.sentinel(List.of());
            s.partition(0, new Tars().file("global/pg_control", "c").symlink("d", s.decoyDir.toString())
                    .dir("d/sub", 0777).bytes());
            return NONE;
        }));
        cases.add(new Case("write, then a link at the file's parent", "\"d\"", s -> {
            s.sentinel(List.of());
            s.partition(0, new Tars().file("global/pg_control", "c").file("d/x", "x")
                    .symlink("d", s.decoyDir.toString()).bytes());
            return NONE;
        }));
        cases.add(new Case("link to a file, then the file's content through it", "\"f\"", s -> {
            s.sentinel(List.of());
            s.partition(0, new Tars().file("global/pg_control", "c").symlink("f", s.decoy.toString())
                    .file("f", "overwritten").bytes());
            return NONE;
        }));
        cases.add(new Case("PAX long symlink target, then write through", "it would be written through", s -> {
            s.sentinel(List.of());
            String longTarget = s.decoyDir + "/" + ".".repeat(1) + "/".repeat(120);
            s.partition(0, new Tars().file("global/pg_control", "c").symlink("d", longTarget, 0777)
                    .file("d/x", "x").bytes());
            return NONE;
        }));
        cases.add(new Case("duplicate file in one partition", "\"base/1/1\": its path is already restored", s -> {
            s.sentinel(List.of());
            s.partition(0, new Tars().file("global/pg_control", "c").file("base/1/1", "a").file("base/1/1", "b")
                    .bytes());
            return NONE;
        }));
        cases.add(new Case("duplicate file in two partitions", "its path is already restored", s -> {
            s.sentinel(List.of());
            s.partition(0, new Tars().file("global/pg_control", "c").file("base/1/1", "a").bytes());
            s.partition(1, new Tars().file("./base/1/1", "b").bytes());
            return NONE;
        }));
        cases.add(new Case("pg_control twice", "\"global/pg_control\": its path is already restored", s -> {
            s.sentinel(List.of());
            s.partition(0, new Tars().file("global/pg_control", "c").bytes());
            s.partition(1, new Tars().file("global/pg_control", "forged").bytes());
            return NONE;
        }));
        cases.add(new Case("directory, then a file at its path", "\"x\": its path is already restored by the member "
                + "\"x/\" (a directory)", s -> {
            s.sentinel(List.of());
            s.partition(0, new Tars().file("global/pg_control", "c").dir("x", 0700).file("x", "f").bytes());
            return NONE;
        }));
        // either partition may come first: the refusal names "x" or "x/"
        cases.add(new Case("file, then a directory at its path (other partition)", "its path is already restored", s -> {
            s.sentinel(List.of());
            s.partition(0, new Tars().file("global/pg_control", "c").file("x", "f").bytes());
            s.partition(1, new Tars().dir("x/", 0700).bytes());
            return NONE;
        }));
        cases.add(new Case("file, then a file below it", "\"x/y\"", s -> {
            s.sentinel(List.of());
            s.partition(0, new Tars().file("global/pg_control", "c").file("x", "f").file("x/y", "g").bytes());
            return NONE;
        }));
        cases.add(new Case("two symlinks at one path", "\"l\"", s -> {
            s.sentinel(List.of());
            s.partition(0, new Tars().file("global/pg_control", "c").symlink("l", "a").bytes());
            s.partition(1, new Tars().symlink("l", s.decoy.toString()).bytes());
            return NONE;
        }));
        cases.add(new Case("hard link at a file's path", "\"a\"", s -> {
            s.sentinel(List.of());
            s.partition(0, new Tars().file("global/pg_control", "c").file("a", "1").file("b", "2").hardLink("a", "b")
                    .bytes());
            return NONE;
        }));
        cases.add(new Case("a file replacing a tablespace directory", "\"pg_tblspc/16385\"", s -> {
            s.sentinel(List.of(new Tablespace("16385", s.tablespace("ts1") + "/", "pg_tblspc/16385")));
            s.partition(0, new Tars().file("global/pg_control", "c").file("pg_tblspc/16385", "x").bytes());
            return SOURCE;
        }));
        cases.add(new Case("a symlink in the tablespace, then write through it", "\"pg_tblspc/16385/PG_15/x\"", s -> {
            s.sentinel(List.of(new Tablespace("16385", s.tablespace("ts1") + "/", "pg_tblspc/16385")));
            s.partition(0, new Tars().file("global/pg_control", "c")
                    .symlink("pg_tblspc/16385/PG_15", s.decoyDir.toString()).file("pg_tblspc/16385/PG_15/x", "x")
                    .bytes());
            return SOURCE;
        }));
        cases.add(new Case("huge declared size", "\"base/1/huge\" is truncated", s -> {
            s.sentinel(List.of());
            s.partition(0, PG_CONTROL_ONLY);
            s.partition(1, Tars.lyingSize("base/1/huge", 1L << 40, "short".getBytes(StandardCharsets.UTF_8)));
            return NONE;
        }));
        cases.add(new Case("declared size past the end of the stream", "\"base/1/big\" is truncated", s -> {
            s.sentinel(List.of());
            s.partition(0, PG_CONTROL_ONLY);
            byte[] whole = new Tars().file("base/1/big", "y".repeat(5000)).bytes();
            s.partition(1, java.util.Arrays.copyOf(whole, 2048));
            return NONE;
        }));
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            HostileSandbox s = new HostileSandbox(tmp.resolve("case-" + cases.indexOf(c)));
            BackupFetch.RestoreSpecOption spec = c.scenario().build(s);
            s.assertRefusedSafely(s.fetch(spec, HostileSandbox.runningAsRoot()), c.needle());
        }));
    }

    /**
     * A long absolute name (PAX {@code path} or GNU {@code L} member) comes out of Commons Compress without its
     * leading slash, as GNU tar strips it by default: restored inside the target, never at the absolute path.
     */
    @Test
    void longAbsoluteNamesLandInsideTheTarget() throws IOException {
        int i = 0;
        for (int mode : new int[]{TarArchiveOutputStream.LONGFILE_POSIX, TarArchiveOutputStream.LONGFILE_GNU}) {
            HostileSandbox s = new HostileSandbox(tmp.resolve("long-" + i++));
            String name = s.outside + "/" + "e".repeat(150);
            s.sentinel(List.of());
            s.partition(0, new Tars(mode).file("global/pg_control", "c").file(name, "x").bytes());
            assertNull(s.fetch(NONE, false));
            assertEquals("x", Files.readString(s.data.resolve(name.substring(1))));
            s.assertOutsideUntouched();
        }
    }

    /**
     * PostgreSQL makes a {@code pg_tblspc/<oid>} link for every line of {@code tablespace_map} when it starts, then
     * writes through it: the archive's map is replaced by one listing exactly the tablespaces this fetch restored.
     */
    @Test
    void tablespaceMapFromTheArchiveCannotPointPostgresqlElsewhere() throws IOException {
        int i = 0;
        for (boolean blind : new boolean[]{false, true}) {
            HostileSandbox s = new HostileSandbox(tmp.resolve("map-" + i++));
            s.sentinel(blind ? List.of(new Tablespace("16385", "/srv/ts1/", "pg_tblspc/16385")) : List.of());
            s.partition(0, new Tars().file("global/pg_control", "c")
                    .file("tablespace_map", "16390 " + s.decoyDir + "\n").file("pg_tblspc/16385/PG_15/1", "t").bytes());
            new BackupFetch(Archives.on(s.storage, HostileSandbox.CODEC)).fetch(s.data,
                    HostileSandbox.NAME, new BackupFetch.Options(2, blind, NONE, false));
            assertEquals("", Files.readString(s.data.resolve("tablespace_map")), blind ? "blind" : "no tablespaces");
            assertEquals("t", Files.readString(s.data.resolve("pg_tblspc/16385/PG_15/1")));
            s.assertOutsideUntouched();
        }
    }

    /** The sandbox itself: an honest backup restores, so the refusals above are about the hostile parts. */
    @Test
    void anHonestBackupWithSymlinksHardLinksAndATablespaceRestores() throws IOException {
        HostileSandbox s = new HostileSandbox(tmp.resolve("honest"));
        Path ts = s.tablespace("ts1");
        s.sentinel(List.of(new Tablespace("16385", ts + "/", "pg_tblspc/16385")));
        s.partition(0, new Tars().dir("/", 0700).dir("base", 0700).file("base/1/1", "one")
                .symlink("pg_wal", s.decoyDir.toString()).symlink("base/1/rel", "1").hardLink("base/1/h", "base/1/1")
                .file("tablespace_map", "16385 /srv/ts1\n").bytes());
        s.partition(1, new Tars().dir("base", 0700).file("global/pg_control", "control").dir("pg_tblspc", 0700)
                .dir("pg_tblspc/16385", 0700).file("pg_tblspc/16385/PG_15/5/1", "ts").bytes());
        s.partition(2, new Tars().file("backup_label", "label").bytes());
        assertNull(s.fetch(SOURCE, HostileSandbox.runningAsRoot()));
        assertEquals("control", Files.readString(s.data.resolve("global/pg_control")));
        assertEquals(s.decoyDir, Files.readSymbolicLink(s.data.resolve("pg_wal")));
        assertEquals(Path.of("1"), Files.readSymbolicLink(s.data.resolve("base/1/rel")));
        assertEquals(Files.getAttribute(s.data.resolve("base/1/1"), "unix:ino"),
                Files.getAttribute(s.data.resolve("base/1/h"), "unix:ino"));
        assertEquals("ts", Files.readString(ts.resolve("PG_15/5/1")));
        assertEquals("16385 " + ts.toRealPath() + "\n", Files.readString(s.data.resolve("tablespace_map")));
        s.assertOutsideUntouched();
    }

    /**
     * Issue 12 item 2, for real: partition 0 is in the middle of writing a file {@code x} (mode 0777) when partition 1,
     * extracted at the same time, brings a symlink {@code x -> decoy}. Before, the symlink replaced the half-written
     * file and partition 0's chmod and utime then followed it to the decoy. The pause inside x's content makes the
     * interleaving certain instead of likely.
     */
    @Test
    void item2ASymlinkFromAnotherPartitionCannotRedirectTheChmodOfAFileBeingWritten() throws Exception {
        HostileSandbox s = new HostileSandbox(tmp.resolve("race"));
        Files.createDirectories(s.data);
        Files.setPosixFilePermissions(s.data, PosixFilePermissions.fromString("rwx------"));
        PartitionExtractor extractor = new PartitionExtractor(new RestoreTarget(s.data.toRealPath(), Map.of()),
                HostileSandbox.runningAsRoot());
        byte[] p0 = new Tars().bigFile("x", 4 << 20, 0777).bytes();
        byte[] p1 = new Tars().bigFile("padding", 1 << 20, 0600).symlink("x", s.decoy.toString()).bytes();
        CountDownLatch paused = new CountDownLatch(1);
        CountDownLatch p1Done = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> f0 = pool.submit(() -> {
                extractor.extract(new PausingStream(p0, 1 << 20, paused, p1Done));
                return null;
            });
            Future<?> f1 = pool.submit(() -> {
                try {
                    assertTrue(paused.await(2, TimeUnit.MINUTES), "partition 0 reached the middle of x");
                    extractor.extract(new ByteArrayInputStream(p1));
                } finally {
                    p1Done.countDown();
                }
                return null;
            });
            List<Throwable> failures = new ArrayList<>();
            for (Future<?> f : List.of(f0, f1)) {
                try {
                    f.get(5, TimeUnit.MINUTES);
                } catch (ExecutionException e) {
                    failures.add(e.getCause());
                }
            }
            s.assertOutsideUntouched();
            assertEquals(1, failures.size(), failures.toString());
            assertEquals("refusing tar member \"x\": its path is already restored by another member; each path is "
                    + "restored once", failures.get(0).getMessage());
        } finally {
            pool.shutdownNow();
        }
        assertTrue(Files.isRegularFile(s.data.resolve("x"), LinkOption.NOFOLLOW_LINKS));
        assertEquals("rwxrwxrwx", PosixFilePermissions.toString(Files.getPosixFilePermissions(s.data.resolve("x"),
                LinkOption.NOFOLLOW_LINKS)));
    }

    /** backup-verify reads partitions with the same reader: it refuses devices and FIFOs too. */
    @Test
    void item8TheReaderSharedWithBackupVerifyRefusesDevicesAndFifos() throws IOException {
        for (byte flag : new byte[]{TarConstants.LF_FIFO, TarConstants.LF_CHR, TarConstants.LF_BLK}) {
            byte[] tar = new Tars().file("a", "1").special("dev", flag).bytes();
            UnsafeMemberException e = assertThrows(UnsafeMemberException.class,
                    () -> PartitionReader.read(new ByteArrayInputStream(tar), new Ignore(), null));
            assertTrue(e.getMessage().startsWith("refusing tar member \"dev\": unsupported tar member type ("),
                    e.getMessage());
        }
        byte[] sparse = tarUnchecked(t -> t.special("holes", TarConstants.LF_GNUTYPE_SPARSE));
        assertThrows(IOException.class, () -> PartitionReader.read(new ByteArrayInputStream(sparse), new Ignore(),
                null));
        // the types restored still pass, old-style directories (a / at the end of a regular member) included
        PartitionReader.read(new ByteArrayInputStream(new Tars().file("f", "1").dir("d", 0700).symlink("s", "f")
                .hardLink("h", "f").special("old-dir/", TarConstants.LF_OLDNORM)
                .special("contig", TarConstants.LF_CONTIG)
                .bytes()), new Ignore(), null);
    }

    @Test
    void garbageAfterTheEndOfArchiveIsNotCalledTruncation() throws IOException {
        byte[] tar = new Tars().file("a", "1").bytes();
        byte[] withGarbage = java.util.Arrays.copyOf(tar, tar.length + 512);
        withGarbage[tar.length + 17] = 'g';
        IOException e = assertThrows(IOException.class,
                () -> PartitionReader.read(new ByteArrayInputStream(withGarbage), new Ignore(), null));
        assertEquals("the tar stream has data after its end-of-archive blocks (at byte " + (tar.length + 17) + " of "
                + withGarbage.length + ")", e.getMessage());
        // one zero block, then a header: the second half of the marker is missing and a member hides behind it
        byte[] a = new Tars().file("a", "1").bytes();
        byte[] b = new Tars().file("b", "2").bytes();
        ByteArrayOutputStream lone = new ByteArrayOutputStream();
        lone.write(a, 0, 1024 + 512); // header, data block, one zero block
        lone.write(b);
        e = assertThrows(IOException.class,
                () -> PartitionReader.read(new ByteArrayInputStream(lone.toByteArray()), new Ignore(), null));
        assertTrue(e.getMessage().startsWith("the tar stream has data after its end-of-archive blocks"),
                e.getMessage());
        // trailing zeros of any length (tar's record padding) are fine
        PartitionReader.read(new ByteArrayInputStream(java.util.Arrays.copyOf(tar, tar.length + 100_000)), new Ignore(),
                null);
    }

    // ---- helpers

    /** Serves {@code bytes}, pausing once after {@code pauseAt} bytes until {@code resume} opens. */
    static final class PausingStream extends InputStream {
        private final byte[] bytes;
        private final int pauseAt;
        private final CountDownLatch paused;
        private final CountDownLatch resume;
        private int pos;

        PausingStream(byte[] bytes, int pauseAt, CountDownLatch paused, CountDownLatch resume) {
            this.bytes = bytes;
            this.pauseAt = pauseAt;
            this.paused = paused;
            this.resume = resume;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (pos == pauseAt && paused.getCount() > 0) {
                paused.countDown();
                try {
                    if (!resume.await(2, TimeUnit.MINUTES)) {
                        throw new IOException("the other partition never finished");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
            if (pos >= bytes.length) {
                return -1;
            }
            int limit = pos < pauseAt ? pauseAt : bytes.length;
            int n = Math.min(len, limit - pos);
            System.arraycopy(bytes, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    static final class Ignore implements PartitionReader.Members {
        @Override
        public void directory(MemberName name, TarArchiveEntry entry) {
        }

        @Override
        public void file(MemberName name, TarArchiveEntry entry, InputStream content) {
        }

        @Override
        public void symlink(MemberName name, TarArchiveEntry entry) {
        }

        @Override
        public void hardLink(MemberName name, MemberName target, TarArchiveEntry entry) {
        }
    }

    @FunctionalInterface
    interface TarBuilder {
        Tars build(Tars t) throws IOException;
    }

    static byte[] tarUnchecked(TarBuilder b) {
        try {
            return b.build(new Tars()).bytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
