package org.walj.layout;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A manifest's entries packed into a few arrays, looked up by exact member name: about 70 bytes and the name's UTF-8
 * bytes per member instead of the few hundred a map of {@link ManifestEntry} records costs, so backup-fetch and
 * backup-verify of a million-file backup stay within the launcher's heap (docs/performance.md). Entries are numbered
 * in manifest order; {@link #get} builds the record on demand. Names are compared byte for byte (a hash only picks
 * the slot). Filled by one thread, then read by many: it is published through the manifest's final field.
 */
final class ManifestEntries {
    private static final int CHUNK_BITS = 14;
    private static final int CHUNK = 1 << CHUNK_BITS;
    private static final int NAME_BLOCK = 1 << 20;
    /** Type in bits 12-13, mode (or {@link #NO_MODE_BIT}) below. */
    private static final int NO_MODE_BIT = 1 << 15;
    /** Per process: names chosen to collide in one run's table cannot be written into an archive in advance. */
    private static final int SEED = new java.security.SecureRandom().nextInt();

    private int[][] partitions = new int[0][];
    private short[][] kinds = new short[0][];
    private long[][] sizes = new long[0][];
    private byte[][] digests = new byte[0][];
    /** Where each name starts: block number in the high 32 bits, offset in the low. */
    private long[][] nameRefs = new long[0][];
    private int[][] nameLengths = new int[0][];
    private byte[][] nameBlocks = new byte[0][];
    private int blockUsed = NAME_BLOCK;
    /** Symbolic links' targets: few. */
    private final Map<Integer, String> targets = new HashMap<>();
    /** Open addressing: entry number + 1, 0 when empty; at most half full. */
    private int[] slots = new int[1 << 10];
    private int size;

    int size() {
        return size;
    }

    /** Adds {@code e}; false (and nothing added) when its name is listed already. */
    boolean add(ManifestEntry e) {
        byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
        if (find(name) >= 0) {
            return false;
        }
        if (2 * (size + 1) > slots.length) {
            rehash();
        }
        int i = size;
        int chunk = i >>> CHUNK_BITS;
        if (chunk == partitions.length) {
            grow();
        }
        int at = i & (CHUNK - 1);
        partitions[chunk][at] = e.partition();
        kinds[chunk][at] = (short) (e.type().ordinal() << 12 | (e.hasMode() ? e.mode() : NO_MODE_BIT));
        sizes[chunk][at] = e.size();
        if (e.type() == ManifestEntry.Type.FILE) {
            System.arraycopy(e.sha256(), 0, digests[chunk], at * ManifestEntry.SHA256_BYTES,
                    ManifestEntry.SHA256_BYTES);
        }
        if (e.type() == ManifestEntry.Type.SYMLINK) {
            targets.put(i, e.target());
        }
        nameRefs[chunk][at] = storeName(name);
        nameLengths[chunk][at] = name.length;
        size++;
        place(slots, hash(name, 0, name.length), i);
        return true;
    }

    /** The entry number of {@code name}, or -1. */
    int indexOf(String name) {
        return find(name.getBytes(StandardCharsets.UTF_8));
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
        return new ManifestEntry(partitions[chunk][at], name(i), type, mode, sizes[chunk][at], sha, targets.get(i));
    }

    String name(int i) {
        long ref = nameRefs[i >>> CHUNK_BITS][i & (CHUNK - 1)];
        return new String(nameBlocks[(int) (ref >>> 32)], (int) ref, nameLengths[i >>> CHUNK_BITS][i & (CHUNK - 1)],
                StandardCharsets.UTF_8);
    }

    int partition(int i) {
        return partitions[i >>> CHUNK_BITS][i & (CHUNK - 1)];
    }

    private int find(byte[] name) {
        int mask = slots.length - 1;
        for (int s = hash(name, 0, name.length) & mask; slots[s] != 0; s = (s + 1) & mask) {
            int i = slots[s] - 1;
            if (nameEquals(i, name)) {
                return i;
            }
        }
        return -1;
    }

    private boolean nameEquals(int i, byte[] name) {
        int chunk = i >>> CHUNK_BITS;
        int at = i & (CHUNK - 1);
        int length = nameLengths[chunk][at];
        if (length != name.length) {
            return false;
        }
        long ref = nameRefs[chunk][at];
        int from = (int) ref;
        return Arrays.equals(nameBlocks[(int) (ref >>> 32)], from, from + length, name, 0, length);
    }

    private long storeName(byte[] name) {
        if (name.length > NAME_BLOCK - blockUsed) {
            // a name longer than a block gets a block of its own
            nameBlocks = Arrays.copyOf(nameBlocks, nameBlocks.length + 1);
            nameBlocks[nameBlocks.length - 1] = new byte[Math.max(NAME_BLOCK, name.length)];
            blockUsed = 0;
        }
        int block = nameBlocks.length - 1;
        System.arraycopy(name, 0, nameBlocks[block], blockUsed, name.length);
        long ref = (long) block << 32 | blockUsed;
        blockUsed += name.length;
        if (blockUsed > NAME_BLOCK) {
            blockUsed = NAME_BLOCK; // the long name's own block is full
        }
        return ref;
    }

    private void grow() {
        int n = partitions.length + 1;
        partitions = Arrays.copyOf(partitions, n);
        kinds = Arrays.copyOf(kinds, n);
        sizes = Arrays.copyOf(sizes, n);
        digests = Arrays.copyOf(digests, n);
        nameRefs = Arrays.copyOf(nameRefs, n);
        nameLengths = Arrays.copyOf(nameLengths, n);
        partitions[n - 1] = new int[CHUNK];
        kinds[n - 1] = new short[CHUNK];
        sizes[n - 1] = new long[CHUNK];
        digests[n - 1] = new byte[CHUNK * ManifestEntry.SHA256_BYTES];
        nameRefs[n - 1] = new long[CHUNK];
        nameLengths[n - 1] = new int[CHUNK];
    }

    private void rehash() {
        int[] bigger = new int[slots.length * 2];
        for (int i = 0; i < size; i++) {
            int chunk = i >>> CHUNK_BITS;
            int at = i & (CHUNK - 1);
            long ref = nameRefs[chunk][at];
            place(bigger, hash(nameBlocks[(int) (ref >>> 32)], (int) ref, nameLengths[chunk][at]), i);
        }
        slots = bigger;
    }

    private static void place(int[] table, int hash, int i) {
        int mask = table.length - 1;
        int s = hash & mask;
        while (table[s] != 0) {
            s = (s + 1) & mask;
        }
        table[s] = i + 1;
    }

    /** FNV-1a over the bytes, then a finalizer that spreads the low bits the table uses. */
    private static int hash(byte[] b, int from, int length) {
        int h = 0x811c9dc5 ^ SEED;
        for (int k = from; k < from + length; k++) {
            h ^= b[k] & 0xff;
            h *= 0x01000193;
        }
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        return h;
    }
}
