package org.walj.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walj.UserException;
import org.walj.layout.Tablespace;

/** WAL-E's file selection (spec 6.3, 6.4) on a temporary tree shaped like a data directory. */
class ClusterListingTest {

    @Test
    void exclusionsTablespacesAndSymlinks(@TempDir Path tmp) throws IOException {
        Path data = Files.createDirectories(tmp.resolve("data"));
        write(data, "PG_VERSION", "15\n");
        write(data, "global/pg_control", "x".repeat(8192));
        write(data, "base/1/1259", "y".repeat(100));
        write(data, "base/1/pgsql_tmp/t1", "tmp");
        write(data, "base/pgsql_tmp/pgsql_tmp123.0", "tmp");
        write(data, "pg_wal/000000010000000000000001", "wal");
        write(data, "pg_wal/archive_status/000000010000000000000001.ready", "");
        write(data, "pg_replslot/s/state", "s");
        write(data, "pg_stat_tmp/global.stat", "s");
        write(data, "lost+found/junk", "j");
        write(data, "sub/pg_wal/kept", "only top-level pg_wal is skipped");
        for (String f : List.of("postmaster.pid", "postmaster.opts", "postgresql.conf", "pg_hba.conf",
                "pg_ident.conf", "recovery.conf", "recovery.done", "promote", "backup_label", "tablespace_map")) {
            write(data, f, "skip me");
        }
        write(data, "postgresql.auto.conf", "kept");
        write(data, "log/postgresql.log", "kept");
        write(data, ".wal-e/prefetch/x", "skipped");
        Files.createSymbolicLink(data.resolve("pg_logical_link"), Path.of("/nonexistent/target"));
        Files.createDirectories(data.resolve("pg_tblspc"));
        Path ts = Files.createDirectories(tmp.resolve("ts1"));
        write(ts, "PG_15_202209061/5/16390", "t".repeat(10));
        Files.createDirectories(ts.resolve("PG_15_202209061/pgsql_tmp"));
        write(ts, "PG_15_202209061/pgsql_tmp/tmpfile", "tmp");
        Files.createSymbolicLink(data.resolve("pg_tblspc/16385"), ts);
        Files.createSymbolicLink(data.resolve("pg_tblspc/16399"), tmp.resolve("gone")); // broken: ignored

        ClusterListing listing = ClusterListing.of(data);
        Map<String, ClusterMember> byName = listing.members().stream()
                .collect(Collectors.toMap(ClusterMember::name, m -> m));

        assertEquals("./", listing.members().get(0).name(), "the data directory itself comes first");
        assertTrue(byName.containsKey("PG_VERSION"));
        assertTrue(byName.containsKey("global/pg_control"));
        assertTrue(byName.containsKey("base/1/1259"));
        assertTrue(byName.containsKey("base/1/pgsql_tmp"), "pgsql_tmp's entry is kept");
        assertFalse(byName.containsKey("base/1/pgsql_tmp/t1"), "but not its contents");
        assertFalse(byName.containsKey("base/pgsql_tmp/pgsql_tmp123.0"));
        assertTrue(byName.containsKey("pg_wal"));
        assertFalse(byName.keySet().stream().anyMatch(n -> n.startsWith("pg_wal/")), "no WAL, no archive_status");
        assertTrue(byName.containsKey("pg_replslot"));
        assertFalse(byName.containsKey("pg_replslot/s"));
        assertTrue(byName.containsKey("pg_stat_tmp"));
        assertFalse(byName.containsKey("pg_stat_tmp/global.stat"));
        assertFalse(byName.containsKey("lost+found"));
        assertFalse(byName.containsKey("lost+found/junk"));
        assertTrue(byName.containsKey("sub/pg_wal/kept"));
        assertTrue(byName.containsKey(".wal-e"));
        assertFalse(byName.containsKey(".wal-e/prefetch"));
        for (String f : List.of("postmaster.pid", "postmaster.opts", "postgresql.conf", "pg_hba.conf",
                "pg_ident.conf", "recovery.conf", "recovery.done", "promote", "backup_label", "tablespace_map")) {
            assertFalse(byName.containsKey(f), f + " is not backed up");
        }
        assertTrue(byName.containsKey("postgresql.auto.conf"));
        assertTrue(byName.containsKey("log/postgresql.log"));

        ClusterMember link = byName.get("pg_logical_link");
        assertEquals(ClusterMember.Type.SYMLINK, link.type(), "symlinks stay symlinks");
        assertEquals("/nonexistent/target", link.linkTarget());

        assertTrue(byName.containsKey("pg_tblspc"));
        assertFalse(byName.containsKey("pg_tblspc/16385"), "the tablespace link is not a member");
        assertFalse(byName.containsKey("pg_tblspc/16399"));
        assertEquals(ClusterMember.Type.FILE, byName.get("pg_tblspc/16385/PG_15_202209061/5/16390").type());
        assertTrue(byName.containsKey("pg_tblspc/16385/PG_15_202209061/pgsql_tmp"));
        assertFalse(byName.containsKey("pg_tblspc/16385/PG_15_202209061/pgsql_tmp/tmpfile"));
        assertEquals(List.of(new Tablespace("16385", ts + "/", "pg_tblspc/16385")), listing.spec().tablespaces());
        assertEquals(data + "/", listing.spec().basePrefix());

        long files = listing.members().stream().filter(m -> m.type() == ClusterMember.Type.FILE)
                .mapToLong(ClusterMember::size).sum();
        assertEquals(files, listing.expandedSizeBytes());
        assertEquals(3 + 8192 + 100 + 4 + 4 + 10 + "only top-level pg_wal is skipped".length(),
                listing.expandedSizeBytes());
    }

    // ------------------------------------------------------------------------ issue 12 item 5: exact names

    /** A file whose name is the raw bytes {@code percentEncoded} (a file URI's syntax), in {@code dir}. */
    private static Path rawName(Path dir, String percentEncoded) {
        return Path.of(URI.create(dir.toUri() + percentEncoded));
    }

    private static Path cluster(Path tmp) throws IOException {
        Path data = Files.createDirectories(tmp.resolve("data"));
        write(data, "PG_VERSION", "15\n");
        write(data, "global/pg_control", "x");
        Files.createDirectories(data.resolve("base/16384"));
        return data;
    }

    private static final boolean UTF8_FILE_NAMES = "UTF-8".equals(System.getProperty("sun.jnu.encoding"));

    @Test
    void aNameThatIsNotUtf8FailsTheListingNamingItsBytes(@TempDir Path tmp) throws IOException {
        Path data = cluster(tmp);
        Files.writeString(rawName(data.resolve("base/16384"), "caf%E9"), "latin-1 name");
        UserException e = assertThrows(UserException.class, () -> ClusterListing.of(data));
        assertTrue(e.getMessage().startsWith("cannot back up \"base/16384/caf\\xe9\": its name cannot be stored"),
                e.getMessage());
        assertFalse(e.getMessage().contains("\uFFFD"), e.getMessage());
    }

    @Test
    void twoNamesThatWouldBothDecodeToTheReplacementCharacterNeverCollide(@TempDir Path tmp) throws IOException {
        Path data = cluster(tmp);
        Files.writeString(rawName(data.resolve("base"), "x%FF"), "one");
        Files.writeString(rawName(data.resolve("base"), "x%FE"), "two");
        UserException e = assertThrows(UserException.class, () -> ClusterListing.of(data));
        assertTrue(e.getMessage().startsWith("cannot back up \"base/x\\xf"), e.getMessage());
    }

    @Test
    void aDirectoryOrLinkTargetThatIsNotUtf8FailsTheListingToo(@TempDir Path tmp) throws IOException {
        Path data = cluster(tmp);
        Files.createDirectory(rawName(data, "d%C3%28"));
        UserException dir = assertThrows(UserException.class, () -> ClusterListing.of(data));
        assertTrue(dir.getMessage().startsWith("cannot back up \"d\\xc3(\""), dir.getMessage());
        Files.delete(rawName(data, "d%C3%28"));

        Files.createSymbolicLink(data.resolve("link"), rawName(tmp, "t%E9"));
        UserException link = assertThrows(UserException.class, () -> ClusterListing.of(data));
        assertTrue(link.getMessage().startsWith("cannot back up \"link\": the target of this symbolic link"),
                link.getMessage());
        Files.delete(data.resolve("link"));

        Path ts = Files.createDirectory(rawName(tmp, "ts%E9"));
        Files.createDirectories(data.resolve("pg_tblspc"));
        Files.createSymbolicLink(data.resolve("pg_tblspc/16385"), ts);
        UserException tablespace = assertThrows(UserException.class, () -> ClusterListing.of(data));
        assertTrue(tablespace.getMessage().startsWith("cannot back up \"pg_tblspc/16385\": the target"),
                tablespace.getMessage());
    }

    @Test
    void aUtf8NameIsListedExactlyWhenFileNamesAreUtf8AndRefusedOtherwise(@TempDir Path tmp) throws IOException {
        Path data = cluster(tmp);
        Path cafe = rawName(data.resolve("base/16384"), "caf%C3%A9%EF%BF%BD"); // "café" and a real U+FFFD
        Files.writeString(cafe, "utf-8 name");
        if (UTF8_FILE_NAMES) {
            List<String> names = ClusterListing.of(data).members().stream().map(ClusterMember::name).toList();
            assertTrue(names.contains("base/16384/caf\u00e9\uFFFD"), names.toString());
        } else {
            UserException e = assertThrows(UserException.class, () -> ClusterListing.of(data));
            assertTrue(e.getMessage().contains("base/16384/caf\\xc3\\xa9\\xef\\xbf\\xbd"), e.getMessage());
            assertTrue(e.detail().orElseThrow().contains("not UTF-8"), e.detail().orElseThrow());
        }
    }

    @Test
    void escapedBytesAreOneLineAndExact() {
        assertEquals("a\\\\b\\x0ac\\xffd", ExactNames.escape(new byte[] {'a', '\\', 'b', '\n', 'c', (byte) 0xff, 'd'}));
    }

    private static void write(Path root, String relative, String content) throws IOException {
        Path p = root.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }
}
