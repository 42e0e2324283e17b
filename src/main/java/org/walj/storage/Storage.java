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
 */
public interface Storage extends AutoCloseable {

    /**
     * Stores everything {@code content} yields under {@code key}, replacing any existing object.
     * Returns only once the object is completely and durably stored; if it throws, no object
     * (and no partial object) is left under {@code key}.
     */
    void put(String key, InputStream content, String contentType) throws IOException;

    /** Opens the object for reading. Throws {@link ObjectNotFoundException} when there is no such object. */
    InputStream get(String key) throws IOException;

    /** Size and last-modified time of one object, or empty when it does not exist. */
    Optional<ObjectInfo> stat(String key) throws IOException;

    /** Every object whose key starts with {@code keyPrefix}, at any depth, ordered by key. */
    List<ObjectInfo> list(String keyPrefix) throws IOException;

    /** Deletes the given objects; keys that do not exist are ignored. */
    void delete(Collection<String> keys) throws IOException;

    /** The object's address as WAL-E prints it in logs, e.g. {@code s3://bucket/pfx/wal_005/X.lzo}. */
    String url(String key);

    @Override
    default void close() throws IOException {
    }
}
