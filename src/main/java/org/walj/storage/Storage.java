package org.walj.storage;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * One archive location (a WAL-E prefix) holding named objects.
 *
 * <p>Keys are relative to the prefix and use '/' as separator, e.g. {@code wal_005/000000010000000000000002.lzo}.
 * Each backend maps them to its native object names (S3 key, GCS object with WAL-E's leading slash, file path).
 * A backend may refuse keys it cannot store safely (absolute, with {@code ..} or empty segments, NUL, backslash) with
 * {@link IllegalArgumentException}.
 *
 * <p>Failures: {@link ObjectNotFoundException} means the storage answered and the object is not there;
 * {@link StorageUnavailableException} means it could not be reached or refused (after any retries). The two must never
 * be confused: a wal-fetch that takes an unreachable archive for a missing segment ends recovery early.
 */
public interface Storage extends AutoCloseable {

    /**
     * Stores everything {@code content} yields under {@code key}, replacing any existing object.
     * Returns only once the object is completely and durably stored; if it throws, no partial object is left under
     * {@code key} (an object that was there before stays as it was). An exception thrown by {@code content} is
     * rethrown, or is the cause of what is thrown. Concurrent puts to one key leave one of the complete contents.
     *
     * @param contentType MIME type for backends that store one ({@code application/octet-stream} when null); the file
     *                    backend ignores it, as WAL-E's does
     */
    void put(String key, InputStream content, String contentType) throws IOException;

    /** Opens the object for reading. Throws {@link ObjectNotFoundException} when there is no such object. */
    InputStream get(String key) throws IOException;

    /** Size and last-modified time of one object, or empty when it does not exist. */
    Optional<ObjectInfo> stat(String key) throws IOException;

    /**
     * Every object whose key starts with {@code keyPrefix}, at any depth, ordered by key (by code point, which is
     * also UTF-8 byte order). The prefix is plain text and may end in the middle of a name
     * ({@code basebackups_005/base_0000}); the empty prefix lists everything. No objects is an empty list, never
     * {@link ObjectNotFoundException}.
     */
    List<ObjectInfo> list(String keyPrefix) throws IOException;

    /**
     * Whether the storage holds anything under {@code directoryKey} (a key ending in '/', such as {@code wal_005/}).
     * Object stores: at least one object has a key starting with it, found with one listing of at most one key. The
     * file backend: the directory exists, even empty (an operator starts an archive with {@code mkdir}); a name that
     * exists as something else (a regular file, a dangling symbolic link) throws {@link StorageUnavailableException}.
     */
    default boolean holdsDirectory(String directoryKey) throws IOException {
        return !list(directoryKey).isEmpty();
    }

    /**
     * Whether a write may start a new archive where there is none. True for object stores (a new prefix is a new
     * archive); false for the file backend, whose root may be an unmounted mount point: an empty directory of the
     * local disk.
     */
    default boolean mayStartArchive() {
        return true;
    }

    /** Deletes the given objects; keys that do not exist are ignored. */
    void delete(Collection<String> keys) throws IOException;

    /**
     * The process is being stopped (SIGTERM, SIGINT: called from a shutdown hook while puts may still run): removes
     * what unfinished puts have written so far and makes every later put fail, so that an interrupted upload leaves
     * nothing behind. Backends whose unfinished uploads are invisible and expire on their own do nothing.
     */
    default void abandonUploads() {
    }

    /**
     * What puts killed outright (SIGKILL, a crash) left under {@code keyPrefix}: storage that {@link #list} never
     * shows, such as the file backend's temporary files. Names relative to the prefix's root, for the log and for
     * {@link #deleteLeftovers}. Only for deleting a whole prefix: a put still running would lose its upload.
     */
    default List<String> leftovers(String keyPrefix) throws IOException {
        return List.of();
    }

    /** Deletes leftovers named by {@link #leftovers}; names that are gone are ignored. */
    default void deleteLeftovers(Collection<String> names) throws IOException {
    }

    /** The object's address as WAL-E prints it in logs, e.g. {@code s3://bucket/pfx/wal_005/X.lzo}. */
    String url(String key);

    @Override
    default void close() throws IOException {
    }
}
