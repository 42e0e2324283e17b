package org.walj.backup;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
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

    /** Hashing reads files in place: on a cold cache that waits on the disk, so more reads than cores help. */
    static final int MIN_HASH_THREADS = 4;
    /** A disk path that two manifest names lead to. */
    private static final int AMBIGUOUS = -2;

    /**
     * What stays: manifest entries (by entry number) found in place, so the extractor writes nothing for their
     * members.
     *
     * @param manifest  the backup's manifest (null: nothing kept)
     * @param inPlace   entries whose file (same size and SHA-256), link (same target) or directory is in place
     * @param heldBack  held-back files (by name relative to the data directory) that match, already moved to their
     *                  {@code .walj-incomplete} name
     * @param skipped   partition numbers whose every member is in place: not downloaded
     * @param files     the number of regular files kept (held-back ones not counted)
     * @param keptBytes the kept files' bytes
     * @param removed   entries removed (a directory and what was in it count once each)
     */
    record Result(BackupManifest manifest, EntryBits inPlace, Set<String> heldBack, Set<Integer> skipped,
                  long files, long keptBytes, long removed) {
        static final Result NOTHING_KEPT = new Result(null, null, Set.of(), Set.of(), 0, 0, 0);

        Result {
            heldBack = Set.copyOf(heldBack);
            skipped = Set.copyOf(skipped);
        }

        /** Whether the member named exactly {@code memberName} is in place (its entry was found matching). */
        boolean kept(String memberName) {
            if (manifest == null) {
                return false;
            }
            int i = manifest.indexOf(memberName);
            return i >= 0 && inPlace.get(i);
        }

        /** Whether partition {@code p} must be read. */
        boolean reads(ObjectInfo p) {
            return !skipped.contains(BackupPartitions.number(p));
        }
    }

    private final RestoreTarget target;
    private final BackupManifest manifest;
    /**
     * Names that are not one of the four plain spellings of their path ({@link #lookup}), by that path: none in a
     * backup wal-j made. {@link #AMBIGUOUS} where two such names lead to one path.
     */
    private final Map<String, Integer> oddNames = new HashMap<>();
    /**
     * Directories on the way to a member that the manifest does not list itself: every one for a version 1 manifest
     * (files only), none for a backup wal-j made, which lists every directory.
     */
    private final Set<String> ancestors = new HashSet<>();
    private final Set<Integer> unusableNames = new HashSet<>();
    private final EntryBits inPlace;
    private final Set<String> keptHeldBack = ConcurrentHashMap.newKeySet();
    private final AtomicLong keptFiles = new AtomicLong();
    private final AtomicLong removed = new AtomicLong();
    private final AtomicLong keptBytes = new AtomicLong();

    private DeltaScan(RestoreTarget target, BackupManifest manifest) {
        this.target = target;
        this.manifest = manifest;
        this.inPlace = new EntryBits(manifest.members());
        for (int i = 0; i < manifest.members(); i++) {
            String name = manifest.name(i);
            String relative;
            try {
                relative = MemberName.parse(name).relative();
            } catch (UnsafeMemberException refused) {
                unusableNames.add(manifest.partition(i));
                continue;
            }
            if (!spellings(relative).contains(name)) {
                oddNames.merge(relative, i, (x, y) -> AMBIGUOUS);
            }
        }
        for (int i = 0; i < manifest.members(); i++) {
            String relative;
            try {
                relative = MemberName.parse(manifest.name(i)).relative();
            } catch (UnsafeMemberException refused) {
                continue;
            }
            // up to the first parent the manifest lists (each listed one's own parents are its entry's business)
            for (int j = relative.lastIndexOf('/'); j > 0; j = relative.lastIndexOf('/', j - 1)) {
                String parent = relative.substring(0, j);
                if (lookup(parent) != -1 || !ancestors.add(parent)) {
                    break;
                }
            }
        }
    }

    /** How backup-push and WAL-E spell a member's name: {@code base/1}, {@code base/1/}, {@code ./base/1}, .... */
    private static List<String> spellings(String relative) {
        return List.of(relative, relative + "/", "./" + relative, "./" + relative + "/");
    }

    /**
     * The number of the entry whose name leads to {@code relative}, -1 for none, {@link #AMBIGUOUS} when two do
     * (nothing is kept there; the extractor refuses the second). Looked up in the packed manifest by each plain
     * spelling, so no map of every name is held.
     */
    private int lookup(String relative) {
        int found = -1;
        for (String name : spellings(relative)) {
            int i = manifest.indexOf(name);
            if (i >= 0) {
                if (found >= 0) {
                    return AMBIGUOUS;
                }
                found = i;
            }
        }
        Integer odd = oddNames.get(relative);
        if (odd != null) {
            return odd == AMBIGUOUS || found >= 0 ? AMBIGUOUS : odd;
        }
        return found;
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
        try (WorkQueue hashing = FileHashing.queue(Math.max(threads, MIN_HASH_THREADS))) {
            scan.walk(data, "", true, hashing);
            for (Map.Entry<String, Path> ts : target.tablespaceDirectories().entrySet()) {
                scan.walk(ts.getValue(), "pg_tblspc/" + ts.getKey() + "/", false, hashing);
            }
            hashing.awaitAll();
        }
        Durability.syncDirectories(data); // the removals, before anything is written again
        return scan.result();
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
    private void walk(Path dir, String prefix, boolean inData, WorkQueue hashing) throws IOException {
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
            int i = lookup(relative);
            if (dataRoot && PROTECTED.contains(name) && i == -1) {
                continue;
            }
            if (relative.startsWith("pg_tblspc/") && relative.indexOf('/', "pg_tblspc/".length()) < 0
                    && target.tablespaceDirectories().containsKey(name)) {
                removed.addAndGet(removeTree(child)); // the fetch makes this link itself, to where the spec says
                continue;
            }
            if (name.endsWith(PartitionExtractor.INCOMPLETE_SUFFIX)) {
                judgeAside(child, relative, a, hashing);
                continue;
            }
            ManifestEntry e = i >= 0 ? manifest.entry(i) : null;
            if (a.isDirectory() && !a.isSymbolicLink()
                    && (e == null ? ancestors.contains(relative) : e.type() == ManifestEntry.Type.DIRECTORY)) {
                if (e != null) {
                    inPlace.set(i);
                }
                fixMode(child, e);
                walk(child, relative + "/", inData, hashing);
            } else if (e != null && e.type() == ManifestEntry.Type.FILE && a.isRegularFile() && a.size() == e.size()
                    && !(inData && HELD_BACK.contains(relative))) {
                hash(hashing, child, relative, i, e, false);
            } else if (e != null && e.type() == ManifestEntry.Type.SYMLINK && a.isSymbolicLink()
                    && e.target().equals(Files.readSymbolicLink(child).toString())) {
                inPlace.set(i);
            } else {
                removed.addAndGet(removeTree(child));
            }
        }
    }

    /**
     * A {@code .walj-incomplete} name: a held-back file a fetch put aside (kept when it matches) or any other
     * leftover of an interrupted fetch (removed; no member can have such a name).
     */
    private void judgeAside(Path child, String relative, BasicFileAttributes a, WorkQueue hashing)
            throws IOException {
        String original = relative.substring(0, relative.length() - PartitionExtractor.INCOMPLETE_SUFFIX.length());
        int i = lookup(original);
        ManifestEntry e = i >= 0 ? manifest.entry(i) : null;
        // a tablespace's names start with pg_tblspc/, so only the data directory's own held-back files match
        if (HELD_BACK.contains(original) && e != null && e.type() == ManifestEntry.Type.FILE
                && a.isRegularFile() && a.size() == e.size()) {
            hash(hashing, child, original, i, e, true);
        } else {
            removed.addAndGet(removeTree(child));
        }
    }

    /** Hashes {@code path} on a hashing thread: kept when it matches entry {@code i}, else removed. */
    private void hash(WorkQueue hashing, Path path, String relative, int i, ManifestEntry e, boolean heldBack)
            throws IOException {
        hashing.submit(() -> {
            if (e.matches(Files.size(path), FileHashing.sha256(path))) {
                inPlace.set(i);
                if (heldBack) {
                    keptHeldBack.add(relative);
                } else {
                    keptFiles.incrementAndGet();
                }
                keptBytes.addAndGet(e.size());
                fixMode(path, e);
            } else {
                removed.addAndGet(removeTree(path));
            }
        });
    }

    private Result result() {
        Set<Integer> needed = new TreeSet<>(unusableNames);
        Set<Integer> all = new TreeSet<>();
        for (int i = 0; i < manifest.members(); i++) {
            int partition = manifest.partition(i);
            all.add(partition);
            if (!manifest.complete() || !inPlace.get(i) && !isBaseDirectory(i)) {
                needed.add(partition);
            }
        }
        all.removeAll(needed);
        return new Result(manifest, inPlace, keptHeldBack, all, keptFiles.get(), keptBytes.get(), removed.get());
    }

    /**
     * Whether entry {@code i} is the data directory or a tablespace directory being restored (unambiguously): in
     * place without being found, as the fetch makes those itself.
     */
    private boolean isBaseDirectory(int i) {
        ManifestEntry e = manifest.entry(i);
        if (e.type() != ManifestEntry.Type.DIRECTORY) {
            return false;
        }
        String relative;
        try {
            relative = MemberName.parse(e.name()).relative();
        } catch (UnsafeMemberException refused) {
            return false;
        }
        boolean base = relative.isEmpty() || relative.startsWith("pg_tblspc/")
                && target.tablespaceDirectories().containsKey(relative.substring("pg_tblspc/".length()));
        return base && lookup(relative) == i;
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
