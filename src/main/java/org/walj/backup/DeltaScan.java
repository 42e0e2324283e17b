package org.walj.backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.walj.layout.BackupManifest;
import org.walj.layout.ManifestEntry;
import org.walj.storage.ObjectInfo;

/**
 * The first half of a delta restore ({@code backup-fetch --delta}, and the rerun of an interrupted fetch): compares
 * what is already in the data directory and the tablespace directories with the backup's manifest, removes what the
 * backup does not have and what does not match, and says which files, links and directories stay, and so which
 * partitions need not be read at all. docs/backup-fetch.md states the rules.
 *
 * <p>The walk never follows a symbolic link: every entry is judged by {@code lstat}, a link is kept only when the
 * manifest records a link of that name with that exact target, and anything else at a link's path is removed as a
 * link (unlink), never through it. Only directories found real by {@code lstat} are entered. The disk drives the walk
 * and names are looked up in the manifest, so no manifest name can make the scan touch a path outside the target:
 * a name the extractor would refuse ({@link MemberName}) matches nothing and its partition is read, where the
 * extractor refuses it.
 */
final class DeltaScan {
    /**
     * Top-level files the operator owns that a backup does not bring: kept whatever they are, unless the manifest
     * lists the name. WAL-E's listing never backs up postgresql.conf, pg_hba.conf, pg_ident.conf and recovery.conf
     * ({@link ClusterListing#TOP_LEVEL_FILES_SKIPPED}); recovery.signal and standby.signal say how this copy is to
     * start, which is the operator's choice, not the backup's.
     */
    static final Set<String> PROTECTED = Set.of("postgresql.conf", "pg_hba.conf", "pg_ident.conf", "recovery.conf",
            "recovery.signal", "standby.signal");
    private static final Set<String> HELD_BACK = Set.of(PartitionExtractor.PG_CONTROL,
            PartitionExtractor.BACKUP_LABEL, PartitionExtractor.TABLESPACE_MAP);

    /**
     * What stays, by member name relative to the data directory (e.g. {@code base/1/1259}).
     *
     * @param files         regular files whose size and SHA-256 match the manifest: not written again
     * @param links         symbolic links with the recorded target: not made again
     * @param heldBack      held-back files that match, already moved to their {@code .walj-incomplete} name
     * @param skipped       partition numbers whose every member is in place: not downloaded
     * @param keptBytes     the kept files' bytes
     * @param removed       entries removed (a directory and what was in it count once each)
     */
    record Result(Set<String> files, Set<String> links, Set<String> heldBack, Set<Integer> skipped, long keptBytes,
                  long removed) {
        static final Result NOTHING_KEPT = new Result(Set.of(), Set.of(), Set.of(), Set.of(), 0, 0);

        Result {
            files = Set.copyOf(files);
            links = Set.copyOf(links);
            heldBack = Set.copyOf(heldBack);
            skipped = Set.copyOf(skipped);
        }

        /** Whether partition {@code p} must be read. */
        boolean reads(ObjectInfo p) {
            return !skipped.contains(BackupPartitions.number(p));
        }
    }

    private final RestoreTarget target;
    /** The manifest by the relative name a member lands at; names the extractor would refuse are not here. */
    private final Map<String, ManifestEntry> byPath = new HashMap<>();
    /** Relative paths two manifest names lead to: nothing there is kept, the extractor refuses the second. */
    private final Set<String> ambiguous = new HashSet<>();
    /** Every directory on the way to a manifest member (a version 1 manifest lists no directories). */
    private final Set<String> ancestors = new HashSet<>();
    private final Set<Integer> unusableNames = new HashSet<>();
    private final Set<String> keptFiles = ConcurrentHashMap.newKeySet();
    private final Set<String> keptLinks = new HashSet<>();
    private final Set<String> keptHeldBack = ConcurrentHashMap.newKeySet();
    private final Set<String> foundDirectories = new HashSet<>();
    private final List<Candidate> candidates = new ArrayList<>();
    private final AtomicLong removed = new AtomicLong();
    private final AtomicLong keptBytes = new AtomicLong();

    /** A regular file of the right size, to be hashed. */
    private record Candidate(Path path, String relative, ManifestEntry entry, boolean heldBack) {
    }

    private DeltaScan(RestoreTarget target, BackupManifest manifest) {
        this.target = target;
        for (ManifestEntry e : manifest.all()) {
            String relative;
            try {
                relative = MemberName.parse(e.name()).relative();
            } catch (UnsafeMemberException refused) {
                unusableNames.add(e.partition());
                continue;
            }
            if (byPath.putIfAbsent(relative, e) != null) {
                ambiguous.add(relative);
            }
            for (int i = relative.indexOf('/'); i >= 0; i = relative.indexOf('/', i + 1)) {
                ancestors.add(relative.substring(0, i));
            }
        }
    }

    /**
     * Prepares {@code target} for extracting only what differs from {@code manifest}; the data directory exists.
     * Moves {@code global/pg_control} aside first, so that from here on PostgreSQL refuses the directory until the
     * fetch's {@link PartitionExtractor#finish} puts the backup's in place.
     */
    static Result prepare(RestoreTarget target, BackupManifest manifest, int threads) throws IOException {
        Path data = target.dataDirectory();
        setAsideHeldBack(data);
        DeltaScan scan = new DeltaScan(target, manifest);
        scan.walk(data, "", true);
        for (Map.Entry<String, Path> ts : target.tablespaceDirectories().entrySet()) {
            scan.walk(ts.getValue(), "pg_tblspc/" + ts.getKey() + "/", false);
        }
        Durability.syncDirectories(data); // the removals, before anything is written again
        scan.hashCandidates(threads);
        return scan.result(manifest);
    }

    /**
     * Without a manifest (a WAL-E backup) nothing can be compared: everything but the protected files and the
     * restore marker is removed and the backup restored whole.
     */
    static long clear(RestoreTarget target) throws IOException {
        Path data = target.dataDirectory();
        setAsideHeldBack(data);
        long[] count = {0};
        for (Path child : children(data)) {
            String name = child.getFileName().toString();
            if (!PROTECTED.contains(name) && !name.equals(RestoreMarker.NAME)) {
                count[0] += removeTree(child);
            }
        }
        for (Path ts : target.tablespaceDirectories().values()) {
            for (Path child : children(ts)) {
                count[0] += removeTree(child);
            }
        }
        Durability.syncDirectories(data);
        return count[0];
    }

    /**
     * {@code global/pg_control} (first), {@code backup_label} and {@code tablespace_map} get their temporary names,
     * each rename fsynced: an interrupted delta restore leaves no {@code global/pg_control}, as a full one does.
     */
    private static void setAsideHeldBack(Path data) throws IOException {
        BasicFileAttributes global = lstat(data.resolve("global"));
        List<String> names = new ArrayList<>();
        if (global != null && global.isDirectory()) {
            names.add(PartitionExtractor.PG_CONTROL); // a link named global is never gone through
        }
        names.add(PartitionExtractor.BACKUP_LABEL);
        names.add(PartitionExtractor.TABLESPACE_MAP);
        for (String name : names) {
            Path p = data.resolve(name);
            BasicFileAttributes a = lstat(p);
            if (a != null && a.isRegularFile()) {
                Path aside = p.resolveSibling(p.getFileName() + PartitionExtractor.INCOMPLETE_SUFFIX);
                removeTree(aside);
                Files.move(p, aside, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                Durability.syncFile(p.getParent());
            }
        }
    }

    /** Judges every entry below {@code dir}, whose members' names start with {@code prefix}. */
    private void walk(Path dir, String prefix, boolean inData) throws IOException {
        boolean dataRoot = inData && prefix.isEmpty();
        for (Path child : children(dir)) {
            String name = child.getFileName().toString();
            String relative = prefix + name;
            BasicFileAttributes a = lstat(child);
            if (a == null) {
                continue;
            }
            if (dataRoot && name.equals(RestoreMarker.NAME)) {
                continue;
            }
            if (dataRoot && PROTECTED.contains(name) && !byPath.containsKey(relative)) {
                continue;
            }
            if (relative.startsWith("pg_tblspc/") && relative.indexOf('/', "pg_tblspc/".length()) < 0
                    && target.tablespaceDirectories().containsKey(name)) {
                removed.addAndGet(removeTree(child)); // the fetch makes this link itself, to where the spec says
                continue;
            }
            if (name.endsWith(PartitionExtractor.INCOMPLETE_SUFFIX)) {
                judgeAside(child, relative, a);
                continue;
            }
            ManifestEntry e = ambiguous.contains(relative) ? null : byPath.get(relative);
            if (a.isDirectory() && !a.isSymbolicLink()
                    && (e == null ? ancestors.contains(relative) : e.type() == ManifestEntry.Type.DIRECTORY)) {
                foundDirectories.add(relative);
                fixMode(child, e);
                walk(child, relative + "/", inData);
            } else if (e != null && e.type() == ManifestEntry.Type.FILE && a.isRegularFile() && a.size() == e.size()
                    && !(inData && HELD_BACK.contains(relative))) {
                candidates.add(new Candidate(child, relative, e, false));
            } else if (e != null && e.type() == ManifestEntry.Type.SYMLINK && a.isSymbolicLink()
                    && e.target().equals(Files.readSymbolicLink(child).toString())) {
                keptLinks.add(relative);
            } else {
                removed.addAndGet(removeTree(child));
            }
        }
    }

    /**
     * A {@code .walj-incomplete} name: a held-back file a fetch put aside (kept when it matches) or any other
     * leftover of an interrupted fetch (removed; no member can have such a name).
     */
    private void judgeAside(Path child, String relative, BasicFileAttributes a) throws IOException {
        String original = relative.substring(0, relative.length() - PartitionExtractor.INCOMPLETE_SUFFIX.length());
        ManifestEntry e = ambiguous.contains(original) ? null : byPath.get(original);
        // a tablespace's names start with pg_tblspc/, so only the data directory's own held-back files match
        if (HELD_BACK.contains(original) && e != null && e.type() == ManifestEntry.Type.FILE
                && a.isRegularFile() && a.size() == e.size()) {
            candidates.add(new Candidate(child, original, e, true));
        } else {
            removed.addAndGet(removeTree(child));
        }
    }

    /** SHA-256 of every candidate on {@code threads} threads; a mismatch is removed. */
    private void hashCandidates(int threads) throws IOException {
        ParallelEach.run(candidates, threads, "backup-fetch-delta", c -> {
            if (c.entry().matches(Files.size(c.path()), sha256(c.path()))) {
                (c.heldBack() ? keptHeldBack : keptFiles).add(c.relative());
                keptBytes.addAndGet(c.entry().size());
                fixMode(c.path(), c.entry());
            } else {
                removed.addAndGet(removeTree(c.path()));
            }
        });
    }

    private Result result(BackupManifest manifest) {
        Set<Integer> needed = new TreeSet<>(unusableNames);
        Set<Integer> all = new TreeSet<>();
        for (ManifestEntry e : manifest.all()) {
            all.add(e.partition());
            if (!manifest.complete() || !inPlace(e)) {
                needed.add(e.partition());
            }
        }
        all.removeAll(needed);
        return new Result(keptFiles, keptLinks, keptHeldBack, all, keptBytes.get(), removed.get());
    }

    private boolean inPlace(ManifestEntry e) {
        String relative;
        try {
            relative = MemberName.parse(e.name()).relative();
        } catch (UnsafeMemberException refused) {
            return false;
        }
        if (ambiguous.contains(relative)) {
            return false;
        }
        return switch (e.type()) {
            case FILE -> keptFiles.contains(relative) || keptHeldBack.contains(relative);
            case SYMLINK -> keptLinks.contains(relative);
            case DIRECTORY -> relative.isEmpty() || foundDirectories.contains(relative) || isTablespaceBase(relative);
        };
    }

    private boolean isTablespaceBase(String relative) {
        return relative.startsWith("pg_tblspc/")
                && target.tablespaceDirectories().containsKey(relative.substring("pg_tblspc/".length()));
    }

    /** The recorded permission bits on a kept file or directory, set without following a link. */
    private static void fixMode(Path p, ManifestEntry e) throws IOException {
        if (e == null || !e.hasMode()) {
            return;
        }
        PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        PosixFileAttributes now = view.readAttributes();
        Set<PosixFilePermission> wanted = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = PosixFilePermission.values();
        for (int i = 0; i < 9; i++) {
            if ((e.mode() & (0400 >> i)) != 0) {
                wanted.add(bits[i]);
            }
        }
        if (!now.permissions().equals(wanted)) {
            view.setPermissions(wanted);
        }
    }

    static byte[] sha256(Path file) throws IOException {
        MessageDigest sha = ManifestEntry.newDigest();
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                sha.update(buffer, 0, n);
            }
        }
        return sha.digest();
    }

    /**
     * Removes {@code p} and, when it is a real directory, everything in it; a symbolic link is removed itself, never
     * followed. Returns the number of entries removed.
     */
    static long removeTree(Path p) throws IOException {
        BasicFileAttributes a = lstat(p);
        if (a == null) {
            return 0;
        }
        long n = 1;
        if (a.isDirectory() && !a.isSymbolicLink()) {
            for (Path child : children(p)) {
                n += removeTree(child);
            }
        }
        try {
            Files.delete(p);
        } catch (NoSuchFileException gone) {
            return n - 1;
        }
        return n;
    }

    private static List<Path> children(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                out.add(p);
            }
        }
        return out;
    }

    private static BasicFileAttributes lstat(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
