package org.walj.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionExtractorTest {
    @TempDir
    Path tmp;
    Path data;
    Path outside;
    PartitionExtractor extractor;

    @BeforeEach
    void setUp() throws IOException {
        data = Files.createDirectories(tmp.resolve("a/b/data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------")); // as BackupFetch makes it
        outside = Files.createDirectories(tmp.resolve("outside"));
        extractor = new PartitionExtractor(new RestoreTarget(data.toRealPath(), Map.of()), false);
    }

    void extract(byte[] tar) throws IOException {
        extractor.extract(new ByteArrayInputStream(tar));
    }

    /** Everything under tmp except the data directory's own tree. */
    List<Path> outsideData() throws IOException {
        try (Stream<Path> s = Files.walk(tmp)) {
            return s.filter(p -> !p.startsWith(data) && !data.startsWith(p)).filter(p -> !p.equals(outside)).toList();
        }
    }

    @Test
    void restoresFilesDirectoriesModesAndTimes() throws IOException {
        extract(new Tars().dir("/", 0755).dir("base", 0700).file("base/1/1259", "rel", 0600, 1_500_000_000_000L)
                .file("PG_VERSION", "15\n", 0640, 1_400_000_000_000L).symlink("pg_wal", "/somewhere/else/pg_wal")
                .file("./global/pg_control", "ctl").file("backup_label", "label").bytes());
        assertEquals("rel", Files.readString(data.resolve("base/1/1259")));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("PG_VERSION"))));
        assertEquals(1_400_000_000_000L, Files.getLastModifiedTime(data.resolve("PG_VERSION")).toMillis());
        assertFalse(Files.exists(data.resolve("pg_wal"), LinkOption.NOFOLLOW_LINKS),
                "symbolic links are made by finish, after everything else was written");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)),
                "the root entry does not change the data directory's mode");

        // held back until finish: an interrupted fetch has no pg_control and no backup_label
        assertFalse(Files.exists(data.resolve("global/pg_control")));
        assertFalse(Files.exists(data.resolve("backup_label")));
        extractor.finish(null);
        assertEquals(Path.of("/somewhere/else/pg_wal"), Files.readSymbolicLink(data.resolve("pg_wal")));
        assertEquals("ctl", Files.readString(data.resolve("global/pg_control")));
        assertEquals("label", Files.readString(data.resolve("backup_label")));
        assertFalse(Files.exists(data.resolve("global/pg_control" + PartitionExtractor.INCOMPLETE_SUFFIX)));
        assertEquals(1_600_000_000_000L, Files.getLastModifiedTime(data.resolve("base")).toMillis(),
                "directory times are applied after their contents");
        assertEquals(List.of(), outsideData());
    }

    @Test
    void finishWithoutPgControlFails() throws IOException {
        extract(new Tars().file("PG_VERSION", "15").bytes());
        IOException e = assertThrows(IOException.class, () -> extractor.finish(null));
        assertEquals("the backup has no global/pg_control: it is not a complete base backup", e.getMessage());
    }

    @Test
    void rejectsDotDot() throws IOException {
        byte[] tar = new Tars().file("ok", "1").file("../../../outside/evil", "x").bytes();
        UnsafeMemberException e = assertThrows(UnsafeMemberException.class, () -> extract(tar));
        assertEquals("refusing tar member \"../../../outside/evil\": names with \"..\" are not restored", e.getMessage());
        byte[] hidden = new Tars().file("base/../../x", "x").bytes();
        assertThrows(UnsafeMemberException.class, () -> extract(hidden));
        assertEquals(List.of(), outsideData());
        assertEquals(List.of(), Arrays.asList(outside.toFile().list()));
    }

    @Test
    void rejectsAbsoluteNames() throws IOException {
        Path target = outside.resolve("x");
        byte[] tar = new Tars().file(target.toString(), "x").bytes();
        UnsafeMemberException e = assertThrows(UnsafeMemberException.class, () -> extract(tar));
        assertEquals("refusing tar member \"" + target + "\": absolute names are not restored", e.getMessage());
        assertFalse(Files.exists(target));
    }

    @Test
    void rejectsWritingThroughASymlinkMember() throws IOException {
        byte[] tar = new Tars().symlink("sneaky", outside.toString()).file("sneaky/evil", "x").bytes();
        UnsafeMemberException e = assertThrows(UnsafeMemberException.class, () -> extract(tar));
        assertTrue(e.getMessage().startsWith("refusing tar member \"sneaky/evil\": it would be written through "
                + "the symbolic link"), e.getMessage());
        assertEquals(List.of(), Arrays.asList(outside.toFile().list()));
    }

    @Test
    void rejectsWritingThroughASymlinkFromAnotherPartition() throws IOException {
        extract(new Tars().symlink("pg_wal", outside.toString()).bytes());
        byte[] second = new Tars().file("pg_wal/000000010000000000000001", "x").bytes();
        assertThrows(UnsafeMemberException.class, () -> extract(second));
        byte[] dirThrough = new Tars().dir("pg_wal/archive_status", 0700).bytes();
        assertThrows(UnsafeMemberException.class, () -> extract(dirThrough));
        assertEquals(List.of(), Arrays.asList(outside.toFile().list()));
    }

    @Test
    void rejectsWritingOntoASymlinkLeaf() throws IOException {
        Path victim = Files.writeString(outside.resolve("victim"), "precious");
        extract(new Tars().symlink("f", victim.toString()).bytes());
        byte[] tar = new Tars().file("f", "overwrite").bytes();
        assertThrows(UnsafeMemberException.class, () -> extract(tar));
        assertEquals("precious", Files.readString(victim));
    }

    @Test
    void rejectsASymlinkAlreadyInTheTarget() throws IOException {
        Files.createSymbolicLink(data.resolve("base"), outside);
        byte[] tar = new Tars().file("base/1/1259", "x").bytes();
        assertThrows(UnsafeMemberException.class, () -> extract(tar));
        assertEquals(List.of(), Arrays.asList(outside.toFile().list()));
    }

    @Test
    void hardLinksOnlyToFilesInsideTheTarget() throws IOException {
        Path victim = Files.writeString(outside.resolve("victim"), "precious");
        extract(new Tars().file("a", "A").hardLink("b", "a").bytes());
        assertEquals("A", Files.readString(data.resolve("b")));
        assertEquals(Files.getAttribute(data.resolve("a"), "unix:ino"), Files.getAttribute(data.resolve("b"), "unix:ino"));

        for (String target : new String[]{victim.toString(), "../../../outside/victim"}) {
            byte[] tar = new Tars().hardLink("h", target).bytes();
            assertThrows(UnsafeMemberException.class, () -> extract(tar), target);
        }
        // a hard link to a symlink member pointing outside would link the outside file
        byte[] viaSymlink = new Tars().symlink("s", victim.toString()).hardLink("h2", "s").bytes();
        assertThrows(UnsafeMemberException.class, () -> extract(viaSymlink));
        assertFalse(Files.exists(data.resolve("h"), LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(data.resolve("h2"), LinkOption.NOFOLLOW_LINKS));
        assertEquals(1, ((Number) Files.getAttribute(victim, "unix:nlink")).intValue());
    }

    @Test
    void tablespaceMembersGoToTheirDirectoryNotThroughTheLink() throws IOException {
        Path ts = Files.createDirectories(tmp.resolve("ts"));
        Files.createDirectories(data.resolve("pg_tblspc"));
        Files.createSymbolicLink(data.resolve("pg_tblspc/16385"), ts);
        extractor = new PartitionExtractor(new RestoreTarget(data.toRealPath(), Map.of("16385", ts.toRealPath())), false);
        extract(new Tars().symlink("pg_tblspc/16385", "/original/place").dir("pg_tblspc/16385", 0700)
                .file("pg_tblspc/16385/PG_15_202209061/5/16386", "t").file("global/pg_control", "c").bytes());
        assertEquals("t", Files.readString(ts.resolve("PG_15_202209061/5/16386")));
        assertEquals(ts, Files.readSymbolicLink(data.resolve("pg_tblspc/16385")), "the recorded link is not restored");
        extractor.finish("16385 " + ts.toRealPath() + "\n");
    }

    @Test
    void truncatedTarFails() throws IOException {
        byte[] whole = new Tars().file("big", "x".repeat(5000)).bytes();
        byte[] cut = Arrays.copyOf(whole, 2048);
        assertThrows(IOException.class, () -> extract(cut));
    }

    @Test
    void tarCutAtABlockBoundaryIsTruncated() throws IOException {
        byte[] whole = new Tars().file("a", "x".repeat(600)).file("b", "y").bytes();
        // header a (512) + data (1024) + header b (512) + data (512): cut before the end-of-archive blocks
        byte[] cut = Arrays.copyOf(whole, 2560);
        IOException e = assertThrows(IOException.class, () -> extract(cut));
        assertEquals("the tar stream is truncated: it ends without tar's end-of-archive blocks", e.getMessage());
        // a fetch never writes over what it did not restore: the complete one goes into a new directory
        data = Files.createDirectories(tmp.resolve("a/b/data2"));
        extractor = new PartitionExtractor(new RestoreTarget(data.toRealPath(), Map.of()), false);
        extract(whole); // the complete one, padded to 10240 bytes, passes
        assertEquals("y", Files.readString(data.resolve("b")));
    }

    @Test
    void ownersByNameThenNumberWhenRoot() throws IOException {
        boolean root = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
        extractor = new PartitionExtractor(new RestoreTarget(data.toRealPath(), Map.of()), root);
        extract(new Tars().ownedFile("named", "nobody", 12345, "nogroup", 12346)
                .ownedFile("numeric", "no-such-user-walj", 4242, "no-such-group-walj", 4243).bytes());
        if (root) {
            assertEquals("nobody", Files.getOwner(data.resolve("named"), LinkOption.NOFOLLOW_LINKS).getName());
            assertEquals(4242, Files.getAttribute(data.resolve("numeric"), "unix:uid", LinkOption.NOFOLLOW_LINKS));
            assertEquals(4243, Files.getAttribute(data.resolve("numeric"), "unix:gid", LinkOption.NOFOLLOW_LINKS));
        } else {
            Object me = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            assertEquals(me, Files.getAttribute(data.resolve("numeric"), "unix:uid"), "not root: owners untouched");
        }
    }
}
