package org.walj.backup;

import org.walj.layout.BackupManifest;

/**
 * The regular files one fetch wrote, all a hard link needs to know ("a regular file this fetch extracted"; the
 * extractor also lstat-checks the target). With the backup's manifest a file the manifest lists under its plain name
 * costs one bit ({@link EntryBits} by entry number); any other file (no manifest: a backup made by WAL-E; a name
 * spelled otherwise) is remembered as a 64-bit hash of its path in an open-addressing table, 16 bytes each instead of
 * a few hundred for a set of paths, so a restore of millions of files stays within the launcher's heap. A hash
 * collision (crafted or not) can only make a hard link to a path that is not in the set look allowed; the extractor
 * still requires an lstat-checked regular file there, in a target that was empty and that only this fetch writes.
 */
final class ExtractedFiles {
    private final BackupManifest manifest;
    private final EntryBits listed;
    private long[] slots = new long[1 << 4]; // 0: empty
    private int size;

    /** Without a manifest: every path hashed. */
    ExtractedFiles() {
        this(null);
    }

    /** {@code manifest}: the backup's (null for none). */
    ExtractedFiles(BackupManifest manifest) {
        this.manifest = manifest;
        this.listed = manifest == null ? null : new EntryBits(manifest.members());
    }

    /** {@code member}: the file's name in its tar header; {@code path}: where it was written, relative. */
    void add(String member, String path) {
        if (manifest != null && (member.equals(path) || member.length() == path.length() + 2
                && member.startsWith("./") && member.endsWith(path))) {
            int i = manifest.indexOf(member);
            if (i >= 0) {
                listed.set(i);
                return;
            }
        }
        addHash(path);
    }

    /** Whether a file was written at {@code path} (relative to its base, as given to {@link #add}). */
    boolean contains(String path) {
        if (manifest != null) {
            for (String member : new String[] {path, "./" + path}) {
                int i = manifest.indexOf(member);
                if (i >= 0 && listed.get(i)) {
                    return true;
                }
            }
        }
        return containsHash(path);
    }

    /** One lock: such files are few when there is a manifest, and each is added once, after it was written. */
    private synchronized void addHash(String name) {
        if (2 * (size + 1) > slots.length) {
            grow();
        }
        if (insert(slots, hash(name))) {
            size++;
        }
    }

    private synchronized boolean containsHash(String name) {
        long h = hash(name);
        int mask = slots.length - 1;
        for (int i = (int) h & mask; slots[i] != 0; i = (i + 1) & mask) {
            if (slots[i] == h) {
                return true;
            }
        }
        return false;
    }

    private static boolean insert(long[] table, long h) {
        int mask = table.length - 1;
        int i = (int) h & mask;
        while (table[i] != 0) {
            if (table[i] == h) {
                return false;
            }
            i = (i + 1) & mask;
        }
        table[i] = h;
        return true;
    }

    private void grow() {
        long[] bigger = new long[slots.length * 2];
        for (long h : slots) {
            if (h != 0) {
                insert(bigger, h);
            }
        }
        slots = bigger;
    }

    /** FNV-1a over the UTF-16 units, then a SplitMix64 finalizer; never 0. */
    static long hash(String name) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < name.length(); i++) {
            h ^= name.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 30;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 27;
        h *= 0x94d049bb133111ebL;
        h ^= h >>> 31;
        return h == 0 ? 1 : h;
    }
}
