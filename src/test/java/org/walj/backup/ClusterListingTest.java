package org.walj.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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

    private static void write(Path root, String relative, String content) throws IOException {
        Path p = root.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }
}
