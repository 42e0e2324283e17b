package org.walj.backup;

/**
 * The names of the regular files one fetch wrote, as 64-bit hashes in an open-addressing table: 16 bytes a file
 * instead of a few hundred for a set of paths, so a restore of millions of files stays within the launcher's heap.
 * A collision (crafted or not) can only make a hard link to a path that is not in the set look allowed; the extractor
 * still requires an lstat-checked regular file there, in a target that was empty and that only this fetch writes.
 * One lock: each file is added once, after it was written, which costs nothing next to the write.
 */
final class ExtractedFiles {
    private long[] slots = new long[1 << 12]; // 0: empty
    private int size;

    synchronized void add(String name) {
        if (2 * (size + 1) > slots.length) {
            grow();
        }
        if (insert(slots, hash(name))) {
            size++;
        }
    }

    synchronized boolean contains(String name) {
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
