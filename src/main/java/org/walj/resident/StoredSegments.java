package org.walj.resident;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The WAL files the daemon stored lately, by absolute path, with their stamps. Bounded: the oldest are forgotten,
 * which only costs a second upload of a file PostgreSQL asks for long after it was stored. Not thread-safe; the
 * caller holds its lock.
 */
final class StoredSegments {
    private final Map<Path, SegmentStamp> stamps;

    StoredSegments(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.stamps = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Path, SegmentStamp> eldest) {
                return size() > capacity;
            }
        };
    }

    void remember(Path file, SegmentStamp stamp) {
        stamps.remove(file); // re-inserted as the newest
        stamps.put(file, stamp);
    }

    /** Stored under this path, whatever the file is now: enough to leave it out of a scan, never to skip a request. */
    boolean contains(Path file) {
        return stamps.containsKey(file);
    }

    /** Stored, and the file still has the size and mtime it had then. */
    boolean matches(Path file, SegmentStamp now) {
        return now != null && now.equals(stamps.get(file));
    }

    int size() {
        return stamps.size();
    }
}
