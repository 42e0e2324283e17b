package org.walj.backup;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
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
 * <p>backup-push does not hold the listing: {@link #walk} hands each member to a {@link MemberSink} as it is found,
 * in the same order {@link #of} lists them, and keeps only the directories being walked (the sorted names of each
 * open directory and which of them are subdirectories still to enter), so memory grows with the depth of the tree
 * and the width of its widest directory, never with the number of files.
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

    /** Told each member of a walk, in listing order. */
    @FunctionalInterface
    public interface MemberSink {
        void accept(ClusterMember member) throws IOException;
    }

    /**
     * What a walk found besides its members: the restore spec, the sum of the regular files' sizes, and the data
     * directory's own member (the first one; its owner is given to the files generated at the end of an online push).
     */
    public record Summary(RestoreSpec spec, long expandedSizeBytes, long members, ClusterMember root) {
    }

    /**
     * Lists {@code dataDirectory} as given on the command line (the spec's {@code base_prefix} is this text plus a
     * slash), holding every member: for tests and small trees; backup-push uses {@link #walk}.
     */
    public static ClusterListing of(Path dataDirectory) throws IOException {
        List<ClusterMember> members = new ArrayList<>();
        Summary s = walk(dataDirectory, members::add);
        return new ClusterListing(members, s.spec(), s.expandedSizeBytes());
    }

    /**
     * Walks {@code dataDirectory}, handing each member to {@code sink} as it is found (lstat at that moment). A
     * directory that cannot be read fails the walk: a backup silently missing files is worse than none.
     */
    public static Summary walk(Path dataDirectory, MemberSink sink) throws IOException {
        String given = dataDirectory.toString();
        String basePrefix = given.endsWith("/") ? given : given + "/";
        // the tablespaces first: the spec is small, and a bad link target fails before anything is read
        List<Tablespace> tablespaces = new ArrayList<>();
        List<Path> links = new ArrayList<>();
        Path tblspc = dataDirectory.resolve("pg_tblspc");
        if (Files.isDirectory(tblspc, LinkOption.NOFOLLOW_LINKS)) {
            for (Path base : sortedNames(tblspc)) {
                Path link = tblspc.resolve(base);
                String oid = base.toString();
                if (!Files.isSymbolicLink(link) || !Files.isDirectory(link) || !oid.matches("[0-9]+")) {
                    continue; // a broken link is ignored, as WAL-E does
                }
                Path targetPath = Files.readSymbolicLink(link);
                String name = "pg_tblspc/" + oid;
                ExactNames.requireExactTarget(name, targetPath); // the spec's loc: where a restore puts it
                String target = targetPath.toString();
                tablespaces.add(new Tablespace(oid, target.endsWith("/") ? target : target + "/", name));
                links.add(link);
            }
        }
        Walk walk = new Walk(sink);
        ClusterMember root = walk.member(dataDirectory, "./", true);
        walk.directory(dataDirectory, "", true);
        for (int i = 0; i < links.size(); i++) {
            walk.directory(links.get(i), tablespaces.get(i).link() + "/", false);
        }
        return new Summary(new RestoreSpec(basePrefix, tablespaces), walk.expandedSize, walk.count, root);
    }

    private static final class Walk {
        private final MemberSink sink;
        long expandedSize;
        long count;

        Walk(MemberSink sink) {
            this.sink = sink;
        }

        /**
         * Hands on the children of {@code dir} (whose member-name prefix is {@code prefix}), then enters its
         * subdirectories: WAL-E's order. Only this directory's sorted names and a bit per name stay while the
         * subdirectories are walked.
         */
        void directory(Path dir, String prefix, boolean top) throws IOException {
            Path[] names = sortedNames(dir);
            BitSet enter = new BitSet(names.length);
            for (int i = 0; i < names.length; i++) {
                String base = names[i].toString();
                if (base.equals(LOST_AND_FOUND) || top && TOP_LEVEL_FILES_SKIPPED.contains(base)) {
                    continue;
                }
                ClusterMember m = member(dir.resolve(names[i]), prefix + base, false);
                if (m != null && m.type() == ClusterMember.Type.DIRECTORY
                        && !CONTENTS_SKIPPED.contains(base) && !(top && TOP_LEVEL_CONTENTS_SKIPPED.contains(base))) {
                    enter.set(i);
                }
            }
            for (int i = enter.nextSetBit(0); i >= 0; i = enter.nextSetBit(i + 1)) {
                String base = names[i].toString();
                Path sub = dir.resolve(names[i]);
                names[i] = null; // entered once: nothing of it is needed afterwards
                if (top && base.equals("pg_tblspc")) {
                    // its symlinks are not members; walk() enters them as tablespaces
                    addNonLinks(sub, prefix + base + "/");
                } else {
                    directory(sub, prefix + base + "/", false);
                }
            }
        }

        /** {@code pg_tblspc} itself: anything that is not a tablespace link is copied as usual. */
        private void addNonLinks(Path dir, String prefix) throws IOException {
            for (Path base : sortedNames(dir)) {
                Path child = dir.resolve(base);
                if (Files.isSymbolicLink(child)) {
                    continue;
                }
                ClusterMember m = member(child, prefix + base, false);
                if (m != null && m.type() == ClusterMember.Type.DIRECTORY) {
                    directory(child, m.name() + "/", false);
                }
            }
        }

        /**
         * Hands on the member for {@code path} from its lstat and returns it; null if it vanished. {@code follow} for
         * the data directory itself, which may be reached through a symlink.
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
            expandedSize += size;
            count++;
            sink.accept(m);
            return m;
        }
    }

    /**
     * The last names of {@code dir}'s entries (their exact bytes, as the directory stream gave them), in the byte
     * order of paths; none when the directory was removed while listing (e.g. a dropped database).
     */
    private static Path[] sortedNames(Path dir) throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                children.add(p.getFileName());
            }
        } catch (NoSuchFileException vanished) {
            return new Path[0];
        }
        Path[] sorted = children.toArray(new Path[0]);
        Arrays.sort(sorted);
        return sorted;
    }
}
