package org.walj.layout;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A manifest's entries packed into a few arrays, looked up by exact member name: about 45 bytes (32 of them the
 * SHA-256) and the name front-coded ({@link PackedNames}: a few bytes when it shares its directory with the entry
 * before it) per member, instead of the few hundred a map of {@link ManifestEntry} records costs, so backup-fetch and
 * backup-verify of a million-file backup stay within the launcher's heap (docs/performance.md). Entries are numbered
 * in manifest order; {@link #get} builds the record on demand. Names are compared byte for byte (a hash and its tag
 * only pick the slot). Filled by one thread, then read by many: it is published through the manifest's final field.
 */
final class ManifestEntries {
    private static final int CHUNK_BITS = 14;
    private static final int CHUNK = 1 << CHUNK_BITS;
    /** Type in bits 12-13, mode (or {@link #NO_MODE_BIT}) below. */
    private static final int NO_MODE_BIT = 1 << 15;
    /** Per process: names chosen to collide in one run's table cannot be written into an archive in advance. */
    private static final int SEED = new java.security.SecureRandom().nextInt();
    /** Marks a partition number kept in {@link #largePartitions}. */
    private static final char LARGE_PARTITION = Character.MAX_VALUE;

    /** Partition numbers below 65,535 (a backup has a few hundred); larger ones in {@link #largePartitions}. */
    private char[][] partitions = new char[0][];
    private final Map<Integer, Integer> largePartitions = new HashMap<>();
    private short[][] kinds = new short[0][];
    /** Sizes below 2 GiB (every file wal-j writes into a partition); larger ones in {@link #largeSizes}. */
    private int[][] sizes = new int[0][];
    private final Map<Integer, Long> largeSizes = new HashMap<>();
    private byte[][] digests = new byte[0][];
    /** The names, front-coded in entry order. */
    private final PackedNames names = new PackedNames();
    /** Symbolic links' targets: few. */
    private final Map<Integer, String> targets = new HashMap<>();
    /** Open addressing: entry number + 1, 0 when empty; at most two thirds full. */
    private int[] slots = new int[1 << 10];
    /**
     * Eight bits of each slot's name hash (never 0 in a used slot), so that a probe decodes a name only when they
     * match: names are front-coded, and decoding one costs up to {@value PackedNames#RESTART} records.
     */
    private byte[] tags = new byte[1 << 10];
    private int size;

    int size() {
        return size;
    }

    /** Adds {@code e}; false (and nothing added) when its name is listed already. */
    boolean add(ManifestEntry e) {
        byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
        int h = hash(name);
        if (find(name, h) >= 0) {
            return false;
        }
        if (3 * (size + 1) > 2 * slots.length) {
            rehash();
        }
        int i = size;
        int chunk = i >>> CHUNK_BITS;
        if (chunk == partitions.length) {
            grow();
        }
        int at = i & (CHUNK - 1);
        if (e.partition() >= LARGE_PARTITION) {
            partitions[chunk][at] = LARGE_PARTITION;
            largePartitions.put(i, e.partition());
        } else {
            partitions[chunk][at] = (char) e.partition();
        }
        kinds[chunk][at] = (short) (e.type().ordinal() << 12 | (e.hasMode() ? e.mode() : NO_MODE_BIT));
        if (e.size() > Integer.MAX_VALUE) {
            largeSizes.put(i, e.size());
        } else {
            sizes[chunk][at] = (int) e.size();
        }
        if (e.type() == ManifestEntry.Type.FILE) {
            System.arraycopy(e.sha256(), 0, digests[chunk], at * ManifestEntry.SHA256_BYTES,
                    ManifestEntry.SHA256_BYTES);
        }
        if (e.type() == ManifestEntry.Type.SYMLINK) {
            targets.put(i, e.target());
        }
        names.add(name);
        size++;
        place(slots, tags, h, i);
        return true;
    }

    /** The entry number of {@code name}, or -1. */
    int indexOf(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        return find(bytes, hash(bytes));
    }

    ManifestEntry get(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException(i);
        }
        int chunk = i >>> CHUNK_BITS;
        int at = i & (CHUNK - 1);
        int kind = kinds[chunk][at];
        ManifestEntry.Type type = ManifestEntry.Type.values()[kind >>> 12 & 3];
        int mode = (kind & NO_MODE_BIT) != 0 ? ManifestEntry.NO_MODE : kind & 07777;
        byte[] sha = type == ManifestEntry.Type.FILE
                ? Arrays.copyOfRange(digests[chunk], at * ManifestEntry.SHA256_BYTES,
                        (at + 1) * ManifestEntry.SHA256_BYTES)
                : null;
        long bytes = largeSizes.isEmpty() ? sizes[chunk][at] : largeSizes.getOrDefault(i, (long) sizes[chunk][at]);
        return new ManifestEntry(partition(i), name(i), type, mode, bytes, sha, targets.get(i));
    }

    String name(int i) {
        return new String(names.get(i), StandardCharsets.UTF_8);
    }

    int partition(int i) {
        char p = partitions[i >>> CHUNK_BITS][i & (CHUNK - 1)];
        return p == LARGE_PARTITION ? largePartitions.get(i) : p;
    }

    private int find(byte[] name, int hash) {
        int mask = slots.length - 1;
        byte tag = tag(hash);
        for (int s = hash & mask; slots[s] != 0; s = (s + 1) & mask) {
            if (tags[s] == tag && names.equals(slots[s] - 1, name)) {
                return slots[s] - 1;
            }
        }
        return -1;
    }

    private void grow() {
        int n = partitions.length + 1;
        partitions = Arrays.copyOf(partitions, n);
        kinds = Arrays.copyOf(kinds, n);
        sizes = Arrays.copyOf(sizes, n);
        digests = Arrays.copyOf(digests, n);
        partitions[n - 1] = new char[CHUNK];
        kinds[n - 1] = new short[CHUNK];
        sizes[n - 1] = new int[CHUNK];
        digests[n - 1] = new byte[CHUNK * ManifestEntry.SHA256_BYTES];
    }

    /** Twice the slots; every name decoded once, in order. */
    private void rehash() {
        int[] bigger = new int[slots.length * 2];
        byte[] biggerTags = new byte[bigger.length];
        names.forEach((i, name, length) -> place(bigger, biggerTags, hash(name, length), i));
        slots = bigger;
        tags = biggerTags;
    }

    private static void place(int[] table, byte[] tagTable, int hash, int i) {
        int mask = table.length - 1;
        int s = hash & mask;
        while (table[s] != 0) {
            s = (s + 1) & mask;
        }
        table[s] = i + 1;
        tagTable[s] = tag(hash);
    }

    /** The hash's top byte (the table index uses its low bits), never 0. */
    private static byte tag(int hash) {
        int t = hash >>> 24;
        return (byte) (t == 0 ? 1 : t);
    }

    private static int hash(byte[] b) {
        return hash(b, b.length);
    }

    /** FNV-1a over the first {@code length} bytes, then a finalizer that spreads the bits the table uses. */
    private static int hash(byte[] b, int length) {
        int h = 0x811c9dc5 ^ SEED;
        for (int k = 0; k < length; k++) {
            h ^= b[k] & 0xff;
            h *= 0x01000193;
        }
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        return h;
    }
}
