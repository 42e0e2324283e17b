package org.walj.storage.file;

import org.walj.CodePointOrder;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import org.walj.storage.ObjectInfo;
import org.walj.storage.ObjectNotFoundException;
import org.walj.storage.Storage;
import org.walj.storage.StorageUnavailableException;

/**
 * WAL-E's {@code file://} backend: object {@code K} is the file {@code <root>/K}.
 *
 * <p>The layout is byte-for-byte WAL-E's, so either tool reads the other's archive. Unlike WAL-E, writes are
 * crash-safe: the content goes to a temporary file in the target directory ({@code .<name>.tmp-<16 hex>}, a name no
 * WAL-E regex matches and that {@link #list} skips), is fsynced, renamed atomically onto the final name, and the
 * directory is fsynced. A crash therefore leaves either the old object, the new one, or a stray temporary file, never
 * a truncated object under the real name.
 *
 * <p>The root directory must exist. If it does not (an unmounted NFS share, a typo), every operation throws
 * {@link StorageUnavailableException}: a missing root must never read as "segment not in archive", which would end
 * PostgreSQL's recovery early, nor silently start a new archive on the wrong disk. Directories below the root are
 * created on demand.
 *
 * <p>Symbolic links are followed for objects and for the root, but the listing does not descend into linked
 * directories (as WAL-E's {@code os.walk}).
 */
public final class FileStorage implements Storage {

    private static final int COPY_BUFFER = 128 * 1024;
    private static final int TEMP_NAME_MAX_BASE = 200; // keeps ".<base>.tmp-<16>" under NAME_MAX (255)
    private static final int CREATE_ATTEMPTS = 5;
    static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwx------");
    private static final FileAttribute<?>[] PRIVATE_FILE = {PosixFilePermissions.asFileAttribute(FILE_MODE)};
    private static final FileAttribute<?>[] PRIVATE_DIRECTORY = {PosixFilePermissions.asFileAttribute(DIRECTORY_MODE)};

    /** Listings are ordered by code point, which is also the UTF-8 byte order object stores list in. */
    static final Comparator<String> KEY_ORDER = CodePointOrder.INSTANCE;

    private final Path root;
    /** Temporary files of the puts in progress, for {@link #abandonUploads}. */
    private final Set<Path> inFlight = ConcurrentHashMap.newKeySet();
    private volatile boolean abandoned;

    /**
     * @param root absolute path of the archive directory, e.g. {@code /backups/pg} for {@code file://localhost/backups/pg};
     *             it need not exist yet, but operations fail until it does
     */
    public FileStorage(Path root) {
        Objects.requireNonNull(root, "root");
        if (!root.isAbsolute()) {
            throw new IllegalArgumentException("file storage root must be an absolute path: " + root);
        }
        this.root = root.normalize();
    }

    public Path root() {
        return root;
    }

    /** The file that holds {@code key}; throws {@link IllegalArgumentException} for a key that could leave the root. */
    public Path pathOf(String key) {
        FileKeys.requireValidKey(key);
        return root.resolve(key);
    }

    @Override
    public String url(String key) {
        return "file://localhost" + pathOf(key);
    }

    // ---------------------------------------------------------------------------------------------------- put

    /**
     * {@inheritDoc}
     *
     * <p>Temp file, {@code fsync}, {@code rename(2)}, directory {@code fsync}. One case breaks the "nothing on
     * failure" rule: if the final directory fsync fails (an I/O error after the rename), the new object is in place
     * but its durability is unknown, and {@link StorageUnavailableException} is thrown so the caller retries.
     * Object files are mode 0600 and directories this backend creates 0700, whatever the process umask: the
     * archive holds a copy of the whole cluster, and a daemon started by hand (umask 022) must not store it more
     * openly than PostgreSQL's archive_command (umask 077) does.
     */
    @Override
    public void put(String key, InputStream content, String contentType) throws IOException {
        Objects.requireNonNull(content, "content");
        Path target = pathOf(key);
        Path dir = target.getParent();
        requireNotAbandoned();
        requireRoot();

        Path temp = null;
        try {
            FileChannel channel;
            for (int attempt = 1; ; attempt++) {
                try {
                    createDirectories(dir);
                    temp = dir.resolve(tempName(target.getFileName().toString()));
                    // registered before it exists: abandonUploads either sees it or has set the flag checked below
                    inFlight.add(temp);
                    channel = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                            PRIVATE_FILE);
                    break;
                } catch (NoSuchFileException | FileAlreadyExistsException e) {
                    // NoSuchFile: a concurrent delete removed a directory we saw or made (it was empty): make it
                    // again. FileAlreadyExists: the random temp name is taken (CREATE_NEW never opens an existing
                    // file or follows a planted symlink): draw another.
                    forget(temp);
                    temp = null;
                    if (attempt >= CREATE_ATTEMPTS) {
                        throw unavailable(dir, e);
                    }
                } catch (IOException e) {
                    forget(temp);
                    temp = null;
                    throw unavailable(dir, e);
                }
            }
            try (FileChannel out = channel) {
                requireNotAbandoned();
                requireMode(temp, FILE_MODE);
                copy(content, out, temp);
                try {
                    out.force(true);
                } catch (IOException e) {
                    throw unavailable(temp, e);
                }
            }
            try {
                // rename(2): atomically replaces an existing object; readers see the old or the new file, whole.
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw unavailable(target, e);
            }
            forget(temp);
            temp = null;
        } catch (IOException | RuntimeException | Error e) {
            if (temp != null) {
                deleteQuietly(temp, e);
                forget(temp);
            }
            throw e;
        }
        fsyncDirectory(dir);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Deletes the temporary file of every put in progress; a put then fails at its rename, or, if it has not
     * created its file yet, on the flag.
     */
    @Override
    public void abandonUploads() {
        abandoned = true;
        for (Path temp : inFlight) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException | RuntimeException e) {
                // the process is stopping: what cannot be deleted now is for delete everything to remove
            }
        }
    }

    private void forget(Path temp) {
        if (temp != null) {
            inFlight.remove(temp);
        }
    }

    private void requireNotAbandoned() throws StorageUnavailableException {
        if (abandoned) {
            throw new StorageUnavailableException("the process is stopping: no more objects are stored");
        }
    }

    /** Copies the content; its own exceptions pass through unchanged, write failures become storage failures. */
    private static void copy(InputStream content, FileChannel out, Path temp) throws IOException {
        byte[] buffer = new byte[COPY_BUFFER];
        ByteBuffer wrapped = ByteBuffer.wrap(buffer);
        int n;
        while ((n = content.read(buffer)) != -1) {
            wrapped.clear().limit(n);
            try {
                while (wrapped.hasRemaining()) {
                    out.write(wrapped);
                }
            } catch (IOException e) {
                throw unavailable(temp, e);
            }
        }
    }

    private static String tempName(String name) {
        String base = name.length() > TEMP_NAME_MAX_BASE ? name.substring(0, TEMP_NAME_MAX_BASE) : name;
        // Uniqueness, not secrecy, is needed (CREATE_NEW refuses existing names), so no SecureRandom start-up cost.
        return "." + base + ".tmp-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }

    /** Creates the missing directories between the root and {@code dir}, making each new entry durable. */
    private void createDirectories(Path dir) throws IOException {
        if (isDirectory(dir)) {
            return;
        }
        List<Path> missing = new ArrayList<>();
        for (Path p = dir; !p.equals(root); p = p.getParent()) {
            if (isDirectory(p)) {
                break;
            }
            missing.add(p);
        }
        for (int i = missing.size() - 1; i >= 0; i--) {
            Path p = missing.get(i);
            try {
                Files.createDirectory(p, PRIVATE_DIRECTORY);
                requireMode(p, DIRECTORY_MODE);
            } catch (FileAlreadyExistsException e) {
                if (!isDirectory(p)) {
                    throw new StorageUnavailableException(p + ": exists and is not a directory", e);
                }
                fsyncDirectory(p.getParent()); // a concurrent put made it, and may not have made it durable yet
                continue;
            } catch (NoSuchFileException e) {
                throw e; // a concurrent delete removed a parent we saw; the caller's retry starts over
            } catch (IOException e) {
                throw unavailable(p, e);
            }
            fsyncDirectory(p.getParent());
        }
    }

    /**
     * The creation mode is masked by the umask, which can only take bits away; an unusual umask (0277) could take
     * the owner's own, so the exact mode is set afterwards. File systems without POSIX modes keep theirs.
     */
    private static void requireMode(Path p, Set<PosixFilePermission> mode) throws IOException {
        try {
            Files.setPosixFilePermissions(p, mode);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to set
        }
    }

    private boolean isDirectory(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class).isDirectory();
        } catch (NoSuchFileException e) {
            return false;
        } catch (FileSystemException e) {
            if (isNotDirectory(e, p)) {
                return false;
            }
            throw unavailable(p, e);
        }
    }

    /**
     * fsyncs a directory so that entries created or renamed in it survive a crash. Some platforms (Windows) cannot
     * open a directory at all; there the rename's own durability is all there is. A failing fsync on a directory that
     * did open is a real I/O error and is reported.
     */
    private static void fsyncDirectory(Path dir) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(dir, StandardOpenOption.READ);
        } catch (IOException | UnsupportedOperationException e) {
            return;
        }
        try (FileChannel ch = channel) {
            ch.force(true);
        } catch (IOException e) {
            throw new StorageUnavailableException("could not fsync directory " + dir + ": " + reason(e), e);
        }
    }

    private static void deleteQuietly(Path temp, Throwable primary) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException | RuntimeException e) {
            primary.addSuppressed(e);
        }
    }

    // ---------------------------------------------------------------------------------------------------- get, stat

    /**
     * {@inheritDoc}
     *
     * <p>"Not found" only for a plain absence: a directory or a dangling symbolic link where the object should be is
     * a broken archive, reported as {@link StorageUnavailableException} (wal-fetch must not read it as the end of the
     * archive).
     */
    @Override
    public InputStream get(String key) throws IOException {
        Path path = pathOf(key);
        requireRoot();
        if (attributes(path).isEmpty()) {
            requireNothingAt(path);
            throw new ObjectNotFoundException(key);
        }
        try {
            return Files.newInputStream(path);
        } catch (NoSuchFileException e) {
            requireRoot(); // deleted between the two calls, or the root went away
            throw new ObjectNotFoundException(key);
        } catch (IOException e) {
            throw unavailable(path, e);
        }
    }

    /** On the not-found path only: something that is not an object, where one was asked for, is no absence. */
    private static void requireNothingAt(Path path) throws StorageUnavailableException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException nothingThere) {
            return; // absent, or a parent is not a directory (see holdsDirectory for the archive's own)
        }
        if (a.isRegularFile() || (a.isSymbolicLink() && Files.isRegularFile(path))) {
            return; // a concurrent put landed after the first look: it was absent then
        }
        if (a.isSymbolicLink()) {
            throw new StorageUnavailableException(path + " is a symbolic link to nothing (or to something that is "
                    + "not a file)");
        }
        throw new StorageUnavailableException(path + " exists but is not a file"
                + (a.isDirectory() ? " (a directory)" : ""));
    }

    /**
     * The directory exists (links followed), even empty. A name that exists as anything else is a broken archive,
     * never an absence: a regular file, or a dangling link, where the archive keeps its objects.
     */
    @Override
    public boolean holdsDirectory(String directoryKey) throws IOException {
        String key = directoryKey.endsWith("/") ? directoryKey.substring(0, directoryKey.length() - 1) : directoryKey;
        Path path = pathOf(key);
        requireRoot();
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (a.isSymbolicLink()) {
                a = Files.readAttributes(path, BasicFileAttributes.class);
            }
        } catch (NoSuchFileException e) {
            if (Files.isSymbolicLink(path)) {
                throw new StorageUnavailableException(path + " is a dangling symbolic link", e);
            }
            return false;
        } catch (IOException e) {
            throw unavailable(path, e);
        }
        if (!a.isDirectory()) {
            throw new StorageUnavailableException(path + " exists but is not a directory");
        }
        return true;
    }

    /** An unmounted mount point is an empty directory of the local disk: writing there would start an archive. */
    @Override
    public boolean mayStartArchive() {
        return false;
    }

    @Override
    public Optional<ObjectInfo> stat(String key) throws IOException {
        Path path = pathOf(key);
        requireRoot();
        return attributes(path).map(a -> new ObjectInfo(key, a.size(), a.lastModifiedTime().toInstant()));
    }

    /** Attributes of the object file (symlinks followed), or empty when there is no regular file at {@code path}. */
    private Optional<BasicFileAttributes> attributes(Path path) throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            return a.isRegularFile() ? Optional.of(a) : Optional.empty();
        } catch (NoSuchFileException e) {
            requireRoot(); // the root may have vanished since the first check
            return Optional.empty();
        } catch (FileSystemException e) {
            if (isNotDirectory(e, path)) {
                return Optional.empty(); // "wal_005/X.lzo/Y": a parent is a file, so there is no such object
            }
            throw unavailable(path, e);
        } catch (IOException e) {
            throw unavailable(path, e);
        }
    }

    // ---------------------------------------------------------------------------------------------------- list

    @Override
    public List<ObjectInfo> list(String keyPrefix) throws IOException {
        FileKeys.requireValidPrefix(keyPrefix);
        requireRoot();
        int slash = keyPrefix.lastIndexOf('/');
        String dirKey = keyPrefix.substring(0, slash + 1); // "" or "a/b/"
        String namePrefix = keyPrefix.substring(slash + 1);
        Path start = dirKey.isEmpty() ? root : root.resolve(dirKey);

        List<ObjectInfo> out = new ArrayList<>();
        // Only the subtree that can match is read: the prefix's directory, then matching entries in it.
        walk(start, dirKey, namePrefix, false, out);
        if (out.isEmpty()) {
            requireRoot(); // distinguish "nothing there" from "the root went away while we looked"
        }
        out.sort(Comparator.comparing(ObjectInfo::key, KEY_ORDER));
        return out;
    }

    /** {@code temporaries}: list the temporary files of puts instead of the objects. */
    private void walk(Path dir, String dirKey, String namePrefix, boolean temporaries, List<ObjectInfo> out)
            throws IOException {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path entry : stream) {
                String name = entry.getFileName().toString();
                if (name.startsWith(namePrefix) && (temporaries || !FileKeys.isTempName(name))) {
                    entries.add(entry);
                }
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            return; // no such directory (or removed by a concurrent delete): nothing under this prefix
        } catch (FileSystemException e) {
            if (isNotDirectory(e, dir)) {
                return;
            }
            throw unavailable(dir, e);
        } catch (IOException e) {
            throw unavailable(dir, e);
        }
        for (Path entry : entries) {
            String key = dirKey + entry.getFileName();
            BasicFileAttributes a;
            try {
                a = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (a.isSymbolicLink()) {
                    a = Files.readAttributes(entry, BasicFileAttributes.class); // a link to a file is listed
                    if (!a.isRegularFile()) {
                        continue; // links to directories are not descended into (like os.walk), dangling: skip
                    }
                }
            } catch (NoSuchFileException e) {
                continue; // deleted meanwhile, or a dangling link
            } catch (IOException e) {
                throw unavailable(entry, e);
            }
            if (a.isDirectory()) {
                walk(entry, key + "/", "", temporaries, out);
            } else if (a.isRegularFile() && temporaries == FileKeys.isTempName(entry.getFileName().toString())) {
                out.add(new ObjectInfo(key, a.size(), a.lastModifiedTime().toInstant()));
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------- leftovers

    /** {@inheritDoc} Here: the {@code .<name>.tmp-<16 hex>} files of puts that were killed. */
    @Override
    public List<String> leftovers(String keyPrefix) throws IOException {
        FileKeys.requireValidPrefix(keyPrefix);
        requireRoot();
        int slash = keyPrefix.lastIndexOf('/');
        String dirKey = keyPrefix.substring(0, slash + 1);
        List<ObjectInfo> found = new ArrayList<>();
        walk(dirKey.isEmpty() ? root : root.resolve(dirKey), dirKey, keyPrefix.substring(slash + 1), true, found);
        return found.stream().map(ObjectInfo::key).sorted(KEY_ORDER).toList();
    }

    @Override
    public void deleteLeftovers(Collection<String> names) throws IOException {
        List<Path> paths = new ArrayList<>(names.size());
        for (String name : names) {
            paths.add(root.resolve(FileKeys.requireLeftoverName(name))); // every name checked before any delete
        }
        deleteFiles(paths);
    }

    // ---------------------------------------------------------------------------------------------------- delete

    @Override
    public void delete(Collection<String> keys) throws IOException {
        List<Path> paths = new ArrayList<>(keys.size());
        for (String key : keys) {
            paths.add(pathOf(key)); // validate every key before deleting anything
        }
        deleteFiles(paths);
    }

    /** Deletes files (a directory is not an object and is skipped), then the directories they left empty. */
    private void deleteFiles(List<Path> paths) throws IOException {
        if (paths.isEmpty()) {
            return;
        }
        requireRoot();
        TreeSet<Path> parents = new TreeSet<>(Comparator.comparingInt(Path::getNameCount).reversed()
                .thenComparing(Comparator.naturalOrder()));
        for (Path path : paths) {
            try {
                BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (a.isDirectory()) {
                    continue;
                }
                Files.delete(path);
            } catch (NoSuchFileException e) {
                // already gone: ignored, but its directory may still be empty and worth removing
            } catch (FileSystemException e) {
                if (!isNotDirectory(e, path)) {
                    throw unavailable(path, e);
                }
                continue;
            } catch (IOException e) {
                throw unavailable(path, e);
            }
            parents.add(path.getParent());
        }
        removeEmptyDirectories(parents);
    }

    /**
     * Removes directories left empty, deepest first (WAL-E trims them too), but neither the root nor the directories
     * directly below it: {@code wal_005/} and {@code basebackups_005/} are what marks the root as an archive
     * (org.walj.archive.ArchivePresence), and an archive emptied by {@code delete} must still be one.
     */
    private void removeEmptyDirectories(TreeSet<Path> dirs) throws IOException {
        while (!dirs.isEmpty()) {
            Path dir = dirs.pollFirst();
            if (dir.equals(root) || !dir.startsWith(root) || root.equals(dir.getParent())) {
                continue;
            }
            try {
                Files.delete(dir);
            } catch (DirectoryNotEmptyException e) {
                continue; // still holds objects (or a concurrent put's temp file): it and its parents stay
            } catch (NoSuchFileException e) {
                // removed already; its parent may be empty now
            } catch (FileSystemException e) {
                if (!isNotDirectory(e, dir)) {
                    throw unavailable(dir, e);
                }
                continue;
            } catch (IOException e) {
                throw unavailable(dir, e);
            }
            dirs.add(dir.getParent());
        }
    }

    // ---------------------------------------------------------------------------------------------------- helpers

    /** The root must be an existing directory: anything else is an unreachable archive, never an empty one. */
    private void requireRoot() throws StorageUnavailableException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(root, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new StorageUnavailableException("archive directory " + root + " does not exist", e);
        } catch (IOException e) {
            throw unavailable(root, e);
        }
        if (!a.isDirectory()) {
            throw new StorageUnavailableException("archive directory " + root + " is not a directory");
        }
    }

    private static StorageUnavailableException unavailable(Path path, IOException e) {
        if (e instanceof StorageUnavailableException s) {
            return s;
        }
        if (e instanceof AccessDeniedException) {
            return new StorageUnavailableException("permission denied: " + path, e);
        }
        return new StorageUnavailableException(path + ": " + reason(e), e);
    }

    /** The OS's words for the failure, without repeating the path the message already names. */
    private static String reason(IOException e) {
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.replace('\n', ' ');
    }

    /**
     * ENOTDIR: a component of {@code path} below the root is a file, so nothing can exist at {@code path}. Java has
     * no dedicated exception for it outside directory streams, and the reason text depends on the C library, so
     * when in doubt the ancestors are looked at.
     */
    private boolean isNotDirectory(FileSystemException e, Path path) {
        if (e instanceof NotDirectoryException || "Not a directory".equals(e.getReason())) {
            return true;
        }
        if (e instanceof AccessDeniedException) {
            return false;
        }
        for (Path p = path.getParent(); p != null && p.startsWith(root) && !p.equals(root); p = p.getParent()) {
            try {
                if (!Files.readAttributes(p, BasicFileAttributes.class).isDirectory()) {
                    return true;
                }
            } catch (IOException ignored) {
                // missing or unreadable: keep looking further up
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "FileStorage[" + root + "]";
    }
}
