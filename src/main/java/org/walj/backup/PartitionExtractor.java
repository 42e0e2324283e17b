package org.walj.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Extracts tar partitions into a {@link RestoreTarget}, several at once (one call per partition, from any thread).
 * This is the writing half; the reading half ({@link PartitionReader}: tar structure, member names and types,
 * complete members, hashing for the manifest) is shared with backup-verify. docs/backup-fetch.md argues the design.
 *
 * <p>Safety against a hostile archive: a member name is relative, has no {@code ..} segment ({@link MemberName});
 * every path is claimed once across all partitions ({@link PathClaims}), so no two members meet at one path; and
 * <b>no symbolic link from the archive exists while anything is written</b>: symlink members are only recorded, and
 * made by {@link #finish} after every file and directory was written, had its mode, owner and times set and was
 * fsynced, each at a free path below real directories. Until then every directory on a member's way is one this
 * extraction made or checked (without following links) and nothing can turn into a link behind it. As defence in
 * depth files are created with {@code O_EXCL|O_NOFOLLOW}, modes, owners and times are changed without following
 * links, and parents are checked with lstat.
 *
 * <p>Completeness: {@code global/pg_control}, {@code backup_label} and {@code tablespace_map} are written under a
 * temporary name and only put in place by {@link #finish}, after every partition has been extracted and fsynced, with
 * {@code pg_control} last. A data directory whose fetch was interrupted has no {@code global/pg_control}, and
 * PostgreSQL refuses to start without it, so it cannot be mistaken for a complete restore.
 */
public final class PartitionExtractor {
    static final String INCOMPLETE_SUFFIX = ".walj-incomplete";
    static final String PG_CONTROL = "global/pg_control";
    static final String BACKUP_LABEL = "backup_label";
    static final String TABLESPACE_MAP = "tablespace_map";
    /**
     * Bytes per write(2) of a restored file; one buffer per partition being extracted. 64 KiB: 1 MiB writes doubled
     * the kernel's time copying into the page cache (perf: copy_folio_from_iter_atomic, docs/performance.md).
     */
    private static final int WRITE_BUFFER = 64 * 1024;
    private static final Set<String> HELD_BACK = Set.of(PG_CONTROL, BACKUP_LABEL, TABLESPACE_MAP);

    private final RestoreTarget target;
    private final boolean applyOwnership;
    private final PathClaims claims;
    /** Directories known to be real (made or lstat-checked here); extraction never removes or replaces one. */
    private final Set<Path> realDirectories = ConcurrentHashMap.newKeySet();
    private final Set<String> heldBack = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<DirectoryTimes> directoryTimes = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<DelayedLink> delayedLinks = new ConcurrentLinkedQueue<>();
    private final Map<String, Optional<UserPrincipal>> principals = new ConcurrentHashMap<>();
    /**
     * fsyncs each large restored file in the background as soon as it is complete: the kernel does not start writing
     * back a restore smaller than its background dirty threshold (10 % of RAM) until someone syncs, so a single pass
     * at the end would leave the disk idle during extraction and then wait for all of it. The end pass
     * ({@link Durability#syncTree}) still syncs everything, and then finds little left; a failed fsync here fails the
     * restore.
     */
    private final ParallelSync writeBehind = ParallelSync.unbounded(2, "walj-write-behind-");
    /** What a delta restore found in place (nothing for a restore into an empty directory). */
    private final DeltaScan.Result kept;
    private final java.util.concurrent.atomic.LongAdder bytesWritten = new java.util.concurrent.atomic.LongAdder();

    private record DirectoryTimes(Path path, FileTime mtime) {
    }

    /** A symlink member, made only by {@link #finish}. */
    private record DelayedLink(String member, Destination destination, String linkTarget, TarArchiveEntry entry) {
    }

    /** A member name split into where it goes: a base directory (data directory or tablespace) and the rest. */
    private record Destination(Path base, List<String> segments, String relativeName) {
        Path path() {
            Path p = base;
            for (String s : segments) {
                p = p.resolve(s);
            }
            return p;
        }

        boolean isBase() {
            return segments.isEmpty();
        }
    }

    /**
     * @param applyOwnership set the owner and group of each member (only meaningful, and only allowed, when
     *                       running as root)
     */
    public PartitionExtractor(RestoreTarget target, boolean applyOwnership) {
        this(target, applyOwnership, DeltaScan.Result.NOTHING_KEPT);
    }

    /**
     * A delta restore: the files and links in {@code kept} are already in place (checked against the manifest) and
     * are not written again; the reader still reads and checks their members.
     */
    PartitionExtractor(RestoreTarget target, boolean applyOwnership, DeltaScan.Result kept) {
        this(target, applyOwnership, kept, kept.manifest());
    }

    /**
     * As above, with the backup's {@code manifest} (null: none), by whose entry numbers the files written are
     * remembered ({@link PathClaims}).
     */
    PartitionExtractor(RestoreTarget target, boolean applyOwnership, DeltaScan.Result kept,
                       org.walj.layout.BackupManifest manifest) {
        this.target = target;
        this.claims = new PathClaims(manifest);
        this.applyOwnership = applyOwnership;
        this.kept = kept;
        heldBack.addAll(kept.heldBack());
        realDirectories.add(target.dataDirectory());
        realDirectories.addAll(target.tablespaceDirectories().values());
    }

    /** Extracts one tar stream completely; the stream must end with tar's end-of-archive blocks. */
    public void extract(InputStream tarStream) throws IOException {
        extract(tarStream, null);
    }

    /**
     * As {@link #extract(InputStream)}, telling {@code check} about every regular file with the SHA-256 of the bytes
     * written (null: hash nothing).
     */
    void extract(InputStream tarStream, FileCheck check) throws IOException {
        PartitionReader.read(tarStream, new Writer(), check);
    }

    /** The writing half: what {@link PartitionReader} hands over goes to disk, through this partition's buffer. */
    private final class Writer implements PartitionReader.Members {
        private final byte[] buffer = new byte[WRITE_BUFFER];

        @Override
        public void directory(MemberName name, TarArchiveEntry entry) throws IOException {
            Destination d = destination(name, true);
            PartitionExtractor.this.directory(name.original(), d, entry);
        }

        @Override
        public void file(MemberName name, TarArchiveEntry entry, InputStream content) throws IOException {
            Destination d = destination(name, true);
            if (d.isBase()) {
                throw new UnsafeMemberException(name.original(), "a file cannot replace the restore directory");
            }
            PartitionExtractor.this.file(name.original(), d, content, entry, buffer);
        }

        @Override
        public void symlink(MemberName name, TarArchiveEntry entry) throws IOException {
            if (isTablespaceLink(name)) {
                return; // the fetch makes pg_tblspc/<oid> itself, from the spec
            }
            Destination d = destination(name, true);
            if (d.isBase()) {
                throw new UnsafeMemberException(name.original(), "a symbolic link cannot replace the restore "
                        + "directory");
            }
            requireNotHeldBack(name.original(), d);
            claims.claim(d.relativeName(), PathClaims.Kind.SYMLINK, name.original());
            if (kept.kept(name.original())) {
                return; // the same link with the same target is there
            }
            if (lstat(d.path()) != null) {
                throw PathClaims.clashWithAFile(name.original()); // else symlink(2) in finish fails on it
            }
            delayedLinks.add(new DelayedLink(name.original(), d, entry.getLinkName(), entry));
        }

        @Override
        public void hardLink(MemberName name, MemberName linkTarget, TarArchiveEntry entry) throws IOException {
            Destination d = destination(name, true);
            PartitionExtractor.this.hardLink(name.original(), d, linkTarget);
        }
    }

    private void directory(String name, Destination d, TarArchiveEntry entry) throws IOException {
        if (d.isBase()) {
            return; // the data directory's and tablespace directories' modes are set by the fetch (0700)
        }
        requireNotHeldBack(name, d);
        Path path = d.path();
        claims.claim(d.relativeName(), PathClaims.Kind.DIRECTORY, name);
        makeRealDirectory(name, path, false);
        setMode(path, entry.getMode());
        setOwner(path, entry);
        directoryTimes.add(new DirectoryTimes(path, FileTime.from(entry.getModTime().toInstant())));
    }

    private void file(String name, Destination d, InputStream data, TarArchiveEntry entry, byte[] buffer)
            throws IOException {
        Path path = d.path();
        claims.requireFree(d.relativeName(), name);
        boolean held = isHeldBack(d);
        if (kept.kept(name)) {
            // in place with the manifest's size and SHA-256; the reader hashes this member too
            if (!held) {
                claims.extracted(name, d.relativeName());
            }
            return;
        }
        Path written = held ? path.resolveSibling(path.getFileName() + INCOMPLETE_SUFFIX) : path;
        if (held) {
            heldBack.add(d.relativeName());
        }
        // CREATE_NEW: O_CREAT|O_EXCL, which never follows a link and never reuses what is there
        try (OutputStream out = Files.newOutputStream(written, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            bytesWritten.add(copy(data, out, buffer)); // the reader checks the member was complete
        } catch (FileAlreadyExistsException e) {
            throw PathClaims.clashWithAFile(name);
        }
        // times and owner before the mode: a mode without owner read would stop the no-follow opens below
        setTimes(written, FileTime.from(entry.getModTime().toInstant()));
        setOwner(written, entry);
        setMode(written, entry.getMode());
        if (!held) {
            claims.extracted(name, d.relativeName());
        }
        if (entry.getSize() >= WRITE_BUFFER) {
            writeBehind.submit(written);
        }
    }

    /** Fills the buffer before each write: fewer, larger writes than transferTo's 8 KiB ones. */
    private static long copy(InputStream in, OutputStream out, byte[] buffer) throws IOException {
        int filled = 0;
        long total = 0;
        int n;
        while ((n = in.read(buffer, filled, buffer.length - filled)) >= 0) {
            filled += n;
            total += n;
            if (filled == buffer.length) {
                out.write(buffer, 0, filled);
                filled = 0;
            }
        }
        if (filled > 0) {
            out.write(buffer, 0, filled);
        }
        return total;
    }

    /** Bytes of regular files written so far (kept files not counted). */
    public long bytesWritten() {
        return bytesWritten.sum();
    }

    private void hardLink(String name, Destination d, MemberName linkName) throws IOException {
        if (d.isBase()) {
            throw new UnsafeMemberException(name, "a hard link cannot replace the restore directory");
        }
        Destination t = destination(linkName, false);
        Path existing = t.path();
        BasicFileAttributes ta = t.isBase() || isHeldBack(t) || !claims.wasExtracted(t.relativeName()) ? null
                : lstat(existing);
        if (ta == null || !ta.isRegularFile()) {
            throw new UnsafeMemberException(name, "hard link to \"" + linkName.original()
                    + "\", which is not a regular file this fetch extracted earlier");
        }
        requireNotHeldBack(name, d);
        Path path = d.path();
        claims.claim(d.relativeName(), PathClaims.Kind.HARD_LINK, name);
        try {
            Files.createLink(path, existing); // link(2): makes a new name, follows nothing at it
        } catch (FileAlreadyExistsException e) {
            throw PathClaims.clashWithAFile(name);
        }
        claims.extracted(name, d.relativeName());
    }

    private boolean isHeldBack(Destination d) {
        return d.base().equals(target.dataDirectory()) && HELD_BACK.contains(d.relativeName());
    }

    /** pg_control, backup_label and tablespace_map are regular files: nothing else may take their path. */
    private void requireNotHeldBack(String name, Destination d) throws UnsafeMemberException {
        if (isHeldBack(d)) {
            throw new UnsafeMemberException(name, d.relativeName() + " can only be restored as a regular file");
        }
    }

    /**
     * Where a member goes: the data directory, or a declared tablespace's directory for names below
     * {@code pg_tblspc/<oid>/}. With {@code makeParents}, claims and creates missing parent directories and refuses
     * any parent that is not a real directory; without, only computes the path (a hard link's target must already be
     * there). The name itself was judged by {@link MemberName#parse}.
     */
    private Destination destination(MemberName member, boolean makeParents) throws IOException {
        String name = member.original();
        List<String> segments = member.segments();
        String relative = String.join("/", segments);
        Path base = target.dataDirectory();
        List<String> rest = segments;
        if (segments.size() >= 2 && segments.get(0).equals("pg_tblspc")
                && target.tablespaceDirectories().containsKey(segments.get(1))) {
            base = target.tablespaceDirectories().get(segments.get(1));
            rest = segments.subList(2, segments.size());
        }
        try {
            Destination d = new Destination(base, List.copyOf(rest), relative);
            d.path(); // fails here, not halfway through writing, if the name cannot be a file name
            if (makeParents) {
                Path dir = base;
                int prefix = segments.size() - rest.size(); // pg_tblspc/<oid> of a tablespace member
                for (int i = 0; i < rest.size() - 1; i++) {
                    dir = dir.resolve(rest.get(i));
                    String dirName = String.join("/", segments.subList(0, prefix + i + 1));
                    if (base.equals(target.dataDirectory()) && HELD_BACK.contains(dirName)) {
                        throw new UnsafeMemberException(name, "a directory on its way is " + dirName
                                + ", which can only be a regular file");
                    }
                    claims.claimOnTheWay(dirName, name);
                    makeRealDirectory(name, dir, true);
                }
            }
            return d;
        } catch (InvalidPathException e) {
            throw new UnsafeMemberException(name, "the name cannot be a file name with this locale's encoding ("
                    + System.getProperty("sun.jnu.encoding") + "); run backup-fetch with a UTF-8 locale, e.g. "
                    + "LANG=C.UTF-8");
        }
    }

    /**
     * Makes {@code dir} (0700) unless this extraction already has; what is there must be a real directory.
     * {@code onTheWay}: {@code dir} is a parent of the member's path, not the member's own.
     */
    private void makeRealDirectory(String member, Path dir, boolean onTheWay) throws IOException {
        if (realDirectories.contains(dir)) {
            return; // once checked it stays a directory: extraction never removes directories
        }
        BasicFileAttributes a = lstat(dir);
        if (a == null) {
            try {
                Files.createDirectory(dir);
                setMode(dir, 0700);
            } catch (FileAlreadyExistsException raced) {
                // another partition made it at the same time: check what it made
            }
            a = lstat(dir);
        }
        if (a == null || a.isSymbolicLink()) {
            throw new UnsafeMemberException(member, "it would be written through the symbolic link " + dir);
        }
        if (!a.isDirectory()) {
            if (!onTheWay) {
                throw PathClaims.clashWithAFile(member);
            }
            throw new UnsafeMemberException(member, "a directory on its way, " + dir + ", is not a directory");
        }
        realDirectories.add(dir);
    }

    private static boolean isTablespaceLink(MemberName name) {
        List<String> s = name.segments();
        return s.size() == 2 && s.get(0).equals("pg_tblspc") && s.get(1).matches("[0-9]+");
    }

    private static BasicFileAttributes lstat(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** chmod without following a link: the JDK opens the path with O_NOFOLLOW and uses fchmod. */
    private static void setMode(Path p, int mode) throws IOException {
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE, high bit first
        for (int i = 0; i < 9; i++) {
            if ((mode & (0400 >> i)) != 0) {
                perms.add(bits[i]);
            }
        }
        Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setPermissions(perms);
    }

    /** utime without following a link (O_NOFOLLOW and futimens, or lutimes on a link itself). */
    private static void setTimes(Path p, FileTime mtime) throws IOException {
        Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setTimes(mtime, null,
                null);
    }

    /** As Python's tarfile (WAL-E): by user and group name when they exist here, else by the numeric ids. */
    private void setOwner(Path p, TarArchiveEntry entry) throws IOException {
        if (!applyOwnership) {
            return;
        }
        PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        Optional<UserPrincipal> user = principal(entry.getUserName(), false);
        if (user.isPresent()) {
            view.setOwner(user.get());
        } else {
            Files.setAttribute(p, "unix:uid", (int) entry.getLongUserId(), LinkOption.NOFOLLOW_LINKS);
        }
        Optional<UserPrincipal> group = principal(entry.getGroupName(), true);
        if (group.isPresent()) {
            view.setGroup((GroupPrincipal) group.get());
        } else {
            Files.setAttribute(p, "unix:gid", (int) entry.getLongGroupId(), LinkOption.NOFOLLOW_LINKS);
        }
    }

    private Optional<UserPrincipal> principal(String name, boolean group) {
        if (name == null || name.isEmpty()) {
            return Optional.empty();
        }
        return principals.computeIfAbsent((group ? "g:" : "u:") + name, k -> {
            UserPrincipalLookupService lookup = target.dataDirectory().getFileSystem().getUserPrincipalLookupService();
            try {
                return Optional.of(group ? lookup.lookupPrincipalByGroupName(name) : lookup.lookupPrincipalByName(name));
            } catch (IOException e) {
                return Optional.empty(); // no such user or group on this host
            }
        });
    }

    /** Names of held-back members seen so far ({@code global/pg_control}, {@code backup_label}, {@code tablespace_map}). */
    public Set<String> heldBack() {
        return Set.copyOf(heldBack);
    }

    /**
     * After every partition: wait for the write-behind fsyncs, fsync everything, make the delayed symbolic links,
     * apply directory mtimes, put the held-back files in place ({@code pg_control} last, each rename fsynced), fsync
     * the directories. {@code tablespaceMap}, when given, replaces the content of {@code tablespace_map} (tablespaces
     * restored by spec). On any failure there is no {@code global/pg_control}.
     */
    public void finish(String tablespaceMap) throws IOException {
        if (!heldBack.contains(PG_CONTROL)) {
            throw new IOException("the backup has no global/pg_control: it is not a complete base backup");
        }
        writeBehind.awaitAll();
        Durability.syncTree(target.dataDirectory());
        for (Path ts : target.tablespaceDirectories().values()) {
            Durability.syncTree(ts);
        }
        makeDelayedLinks();
        // before the renames, so that whatever fails here leaves no pg_control
        for (DirectoryTimes t : directoryTimes) {
            setTimes(t.path(), t.mtime());
        }
        Path data = target.dataDirectory();
        if (heldBack.contains(TABLESPACE_MAP)) {
            Path partial = data.resolve(TABLESPACE_MAP + INCOMPLETE_SUFFIX);
            if (tablespaceMap != null) {
                rewrite(partial, tablespaceMap);
            }
            putInPlace(partial, data.resolve(TABLESPACE_MAP));
        }
        if (heldBack.contains(BACKUP_LABEL)) {
            putInPlace(data.resolve(BACKUP_LABEL + INCOMPLETE_SUFFIX), data.resolve(BACKUP_LABEL));
        }
        putInPlace(data.resolve(PG_CONTROL + INCOMPLETE_SUFFIX), data.resolve(PG_CONTROL));
        Path global = data.resolve(PG_CONTROL).getParent();
        for (DirectoryTimes t : directoryTimes) {
            if (t.path().equals(global)) {
                setTimes(t.path(), t.mtime()); // the rename changed it; it was set a moment ago, so this succeeds
            }
        }
        Durability.syncDirectories(data);
        for (Path ts : target.tablespaceDirectories().values()) {
            Durability.syncDirectories(ts);
        }
    }

    /**
     * The symbolic links, now that nothing more is written: each below directories that are real (lstat, from its
     * base down) and at a path nothing occupies (symlink(2) never replaces), its parent fsynced.
     */
    private void makeDelayedLinks() throws IOException {
        Set<Path> parents = new LinkedHashSet<>();
        for (DelayedLink link : delayedLinks) {
            Destination d = link.destination();
            Path dir = d.base();
            for (int i = 0; i < d.segments().size() - 1; i++) {
                dir = dir.resolve(d.segments().get(i));
                BasicFileAttributes a = lstat(dir);
                if (a == null || !a.isDirectory() || a.isSymbolicLink()) {
                    throw new UnsafeMemberException(link.member(), dir + " is no longer a real directory");
                }
            }
            Path path = d.path();
            try {
                Files.createSymbolicLink(path, Path.of(link.linkTarget()));
            } catch (FileAlreadyExistsException e) {
                throw PathClaims.clashWithAFile(link.member());
            } catch (InvalidPathException e) {
                throw new UnsafeMemberException(link.member(), "its link target cannot be a path here");
            }
            setOwner(path, link.entry()); // lchown: the link itself
            parents.add(path.getParent());
        }
        for (Path p : parents) {
            Durability.syncFile(p);
        }
    }

    /** Writes the held-back file's new content without following a link, and fsyncs it. */
    private static void rewrite(Path partial, String content) throws IOException {
        BasicFileAttributes a = lstat(partial);
        if (a == null || !a.isRegularFile()) {
            throw new IOException(partial + " is not the regular file this fetch wrote");
        }
        try (FileChannel c = FileChannel.open(partial, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer b = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                c.write(b);
            }
            c.force(true);
        }
    }

    private static void putInPlace(Path partial, Path fin) throws IOException {
        Files.move(partial, fin, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Durability.syncFile(fin.getParent());
    }

}
