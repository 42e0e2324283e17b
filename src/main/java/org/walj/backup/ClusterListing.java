package org.walj.backup;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.walj.layout.RestoreSpec;
import org.walj.layout.Tablespace;

/**
 * The members of a base backup and its restore spec, listed by WAL-E's rules ({@code tar_partition.py: partition};
 * docs/backup-push.md): which directories keep only their entry, which files are never copied, tablespaces walked
 * through their {@code pg_tblspc} links. A name or link target the JVM cannot read exactly fails the listing
 * ({@link ExactNames}): it would be stored under another name.
 *
 * @param expandedSizeBytes the sum of the listed regular files' sizes: the sentinel's {@code expanded_size_bytes}
 */
public record ClusterListing(List<ClusterMember> members, RestoreSpec spec, long expandedSizeBytes) {

    /** Top-level directories whose contents are not copied (WAL lives in the archive, not the backup). */
    static final Set<String> TOP_LEVEL_CONTENTS_SKIPPED = Set.of("pg_xlog", "pg_wal", "pg_log", "pg_replslot");
    /** Directories anywhere whose contents are not copied. */
    static final Set<String> CONTENTS_SKIPPED = Set.of("pgsql_tmp", "pg_stat_tmp", ".wal-e");
    /** Skipped entirely, entry and contents. */
    static final String LOST_AND_FOUND = "lost+found";
    /**
     * Top-level files never copied: WAL-E's list (server lock files, and configuration, which WAL-E does not back
     * up), plus {@code backup_label} and {@code tablespace_map}: an online backup gets the ones the stop call returns
     * in its final partition, and an on-disk one is stale and would make restore start from the wrong checkpoint;
     * and backup-fetch's restore marker, which no backup may carry ({@link RestoreMarker}). And {@code standby.signal}
     * and {@code recovery.signal}, as pgBackRest: a standby's backup carrying them would restore as a standby
     * streaming from the old primary; how the copy recovers is the restorer's decision.
     */
    static final Set<String> TOP_LEVEL_FILES_SKIPPED = Set.of("postmaster.pid", "postmaster.opts",
            "postgresql.conf", "pg_hba.conf", "pg_ident.conf", "recovery.conf", "recovery.done", "promote",
            "backup_label", "tablespace_map", RestoreMarker.NAME, "standby.signal", "recovery.signal");

    public ClusterListing {
        members = List.copyOf(members);
    }

    /**
     * Lists {@code dataDirectory} as given on the command line (the spec's {@code base_prefix} is this text plus a
     * slash). A directory that cannot be read fails the listing: a backup silently missing files is worse than none.
     */
    public static ClusterListing of(Path dataDirectory) throws IOException {
        String given = dataDirectory.toString();
        String basePrefix = given.endsWith("/") ? given : given + "/";
        Walk walk = new Walk();
        walk.member(dataDirectory, "./", true);
        walk.directory(dataDirectory, "", true);
        List<Tablespace> tablespaces = new ArrayList<>();
        Path tblspc = dataDirectory.resolve("pg_tblspc");
        if (Files.isDirectory(tblspc, LinkOption.NOFOLLOW_LINKS)) {
            for (Path link : sortedChildren(tblspc)) {
                String oid = link.getFileName().toString();
                if (!Files.isSymbolicLink(link) || !Files.isDirectory(link) || !oid.matches("[0-9]+")) {
                    continue; // a broken link is ignored, as WAL-E does
                }
                Path targetPath = Files.readSymbolicLink(link);
                String name = "pg_tblspc/" + oid;
                ExactNames.requireExactTarget(name, targetPath); // the spec's loc: where a restore puts it
                String target = targetPath.toString();
                tablespaces.add(new Tablespace(oid, target.endsWith("/") ? target : target + "/", name));
                walk.directory(link, name + "/", false);
            }
        }
        return new ClusterListing(walk.members, new RestoreSpec(basePrefix, tablespaces), walk.expandedSize);
    }

    private static final class Walk {
        final List<ClusterMember> members = new ArrayList<>();
        long expandedSize;

        /** Adds the children of {@code dir} (whose member-name prefix is {@code prefix}) and recurses. */
        void directory(Path dir, String prefix, boolean top) throws IOException {
            List<Path> subdirectories = new ArrayList<>();
            for (Path child : sortedChildren(dir)) {
                String base = child.getFileName().toString();
                String name = prefix + base;
                if (base.equals(LOST_AND_FOUND)) {
                    continue;
                }
                if (top && (TOP_LEVEL_FILES_SKIPPED.contains(base))) {
                    continue;
                }
                ClusterMember m = member(child, name, false);
                if (m == null) {
                    continue;
                }
                if (m.type() == ClusterMember.Type.DIRECTORY) {
                    boolean skipContents = CONTENTS_SKIPPED.contains(base)
                            || top && TOP_LEVEL_CONTENTS_SKIPPED.contains(base);
                    if (!skipContents) {
                        subdirectories.add(child);
                    }
                }
            }
            for (Path sub : subdirectories) {
                String base = sub.getFileName().toString();
                boolean tblspcRoot = top && base.equals("pg_tblspc");
                if (tblspcRoot) {
                    // its symlinks are not members; ClusterListing.of walks through them as tablespaces
                    addNonLinks(sub, prefix + base + "/");
                } else {
                    directory(sub, prefix + base + "/", false);
                }
            }
        }

        /** {@code pg_tblspc} itself: anything that is not a tablespace link is copied as usual. */
        private void addNonLinks(Path dir, String prefix) throws IOException {
            for (Path child : sortedChildren(dir)) {
                if (Files.isSymbolicLink(child)) {
                    continue;
                }
                ClusterMember m = member(child, prefix + child.getFileName(), false);
                if (m != null && m.type() == ClusterMember.Type.DIRECTORY) {
                    directory(child, m.name() + "/", false);
                }
            }
        }

        /**
         * Adds the member for {@code path} from its lstat; null if it vanished. {@code follow} for the data directory
         * itself, which may be reached through a symlink.
         */
        ClusterMember member(Path path, String name, boolean follow) throws IOException {
            if (!follow) {
                ExactNames.requireExactName(path, name.substring(0, name.lastIndexOf('/') + 1));
            }
            Map<String, Object> a;
            try {
                a = follow
                        ? Files.readAttributes(path, "unix:mode,uid,gid,size,lastModifiedTime,owner,group")
                        : Files.readAttributes(path, "unix:mode,uid,gid,size,lastModifiedTime,owner,group",
                                LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException vanished) {
                return null;
            }
            int mode = (Integer) a.get("mode");
            int format = mode & 0170000;
            ClusterMember.Type type;
            long size = 0;
            String target = null;
            if (format == 0040000) {
                type = ClusterMember.Type.DIRECTORY;
            } else if (format == 0100000) {
                type = ClusterMember.Type.FILE;
                size = (Long) a.get("size");
            } else if (format == 0120000) {
                type = ClusterMember.Type.SYMLINK;
                Path targetPath;
                try {
                    targetPath = Files.readSymbolicLink(path);
                } catch (NoSuchFileException vanished) {
                    return null;
                }
                ExactNames.requireExactTarget(name, targetPath);
                target = targetPath.toString();
            } else {
                return null; // sockets, FIFOs, devices: nothing PostgreSQL keeps in a data directory
            }
            ClusterMember m = new ClusterMember(path, name, type, size, mode & 07777,
                    ((FileTime) a.get("lastModifiedTime")).toMillis(), (Integer) a.get("uid"), (Integer) a.get("gid"),
                    String.valueOf(a.get("owner")), String.valueOf(a.get("group")), target);
            members.add(m);
            expandedSize += size;
            return m;
        }
    }

    private static List<Path> sortedChildren(Path dir) throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                children.add(p);
            }
        } catch (NoSuchFileException vanished) {
            return List.of(); // a directory removed while listing (e.g. a dropped database) is skipped
        }
        children.sort(null);
        return children;
    }
}
