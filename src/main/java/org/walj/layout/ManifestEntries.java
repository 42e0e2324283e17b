package org.walj.layout;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A manifest's entries packed into a few arrays, looked up by exact member name: about 50 bytes and the name's UTF-8
 * bytes per member instead of the few hundred a map of {@link ManifestEntry} records costs, so backup-fetch and
 * backup-verify of a million-file backup stay within the launcher's heap (docs/performance.md). Entries are numbered
 * in manifest order; {@link #get} builds the record on demand. Names are compared byte for byte (a hash only picks
 * the slot). Filled by one thread, then read by many: it is published through the manifest's final field.
 */
final class ManifestEntries {
    private static final int CHUNK_BITS = 14;
    private static final int CHUNK = 1 << CHUNK_BITS;
    private static final int OFFSET_BITS = 20;
    private static final int NAME_BLOCK = 1 << OFFSET_BITS;
    /** Type in bits 12-13, mode (or {@link #NO_MODE_BIT}) below. */
    private static final int NO_MODE_BIT = 1 << 15;
    /** Per process: names chosen to collide in one run's table cannot be written into an archive in advance. */
    private static final int SEED = new java.security.SecureRandom().nextInt();

    private int[][] partitions = new int[0][];
    private short[][] kinds = new short[0][];
    /** Sizes below 2 GiB (every file wal-j writes into a partition); larger ones in {@link #largeSizes}. */
    private int[][] sizes = new int[0][];
    private final Map<Integer, Long> largeSizes = new HashMap<>();
    private byte[][] digests = new byte[0][];
    /** Where each name is: block number above {@link #OFFSET_BITS}, offset below; its length is stored first. */
    private int[][] nameRefs = new int[0][];
    private byte[][] nameBlocks = new byte[0][];
    private int blockUsed = NAME_BLOCK;
    /** Symbolic links' targets: few. */
    private final Map<Integer, String> targets = new HashMap<>();
    /** Open addressing: entry number + 1, 0 when empty; at most two thirds full. */
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
        if (3 * (size + 1) > 2 * slots.length) {
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
        nameRefs[chunk][at] = storeName(name);
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
        long bytes = largeSizes.isEmpty() ? sizes[chunk][at] : largeSizes.getOrDefault(i, (long) sizes[chunk][at]);
        return new ManifestEntry(partitions[chunk][at], name(i), type, mode, bytes, sha, targets.get(i));
    }

    String name(int i) {
        int ref = nameRefs[i >>> CHUNK_BITS][i & (CHUNK - 1)];
        long where = lengthAndStart(ref);
        return new String(nameBlocks[ref >>> OFFSET_BITS], (int) where, (int) (where >>> 32), StandardCharsets.UTF_8);
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
        int ref = nameRefs[i >>> CHUNK_BITS][i & (CHUNK - 1)];
        long where = lengthAndStart(ref);
        int at = (int) where;
        int length = (int) (where >>> 32);
        return length == name.length
                && Arrays.equals(nameBlocks[ref >>> OFFSET_BITS], at, at + length, name, 0, length);
    }

    /** The stored name's length (high 32 bits) and where its bytes start in its block (low 32). */
    private long lengthAndStart(int ref) {
        byte[] block = nameBlocks[ref >>> OFFSET_BITS];
        int at = ref & (NAME_BLOCK - 1);
        int length = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = block[at++];
            length |= (b & 0x7f) << shift;
            if (b >= 0) {
                break;
            }
        }
        return (long) length << 32 | at;
    }

    /** Stores the length (7 bits a byte, low first) and the bytes; the reference to them. */
    private int storeName(byte[] name) {
        int need = name.length + 5;
        if (need > NAME_BLOCK - blockUsed) {
            // a name longer than a block gets a block of its own
            if (nameBlocks.length == 1 << (31 - OFFSET_BITS)) {
                throw new IllegalStateException("more than 2 GiB of member names");
            }
            nameBlocks = Arrays.copyOf(nameBlocks, nameBlocks.length + 1);
            nameBlocks[nameBlocks.length - 1] = new byte[Math.max(NAME_BLOCK, need)];
            blockUsed = 0;
        }
        int block = nameBlocks.length - 1;
        byte[] bytes = nameBlocks[block];
        int ref = block << OFFSET_BITS | blockUsed;
        int at = blockUsed;
        int length = name.length;
        while (length >= 0x80) {
            bytes[at++] = (byte) (length & 0x7f | 0x80);
            length >>>= 7;
        }
        bytes[at++] = (byte) length;
        System.arraycopy(name, 0, bytes, at, name.length);
        blockUsed = Math.min(NAME_BLOCK, at + name.length); // a long name's own block is then full
        return ref;
    }

    private void grow() {
        int n = partitions.length + 1;
        partitions = Arrays.copyOf(partitions, n);
        kinds = Arrays.copyOf(kinds, n);
        sizes = Arrays.copyOf(sizes, n);
        digests = Arrays.copyOf(digests, n);
        nameRefs = Arrays.copyOf(nameRefs, n);
        partitions[n - 1] = new int[CHUNK];
        kinds[n - 1] = new short[CHUNK];
        sizes[n - 1] = new int[CHUNK];
        digests[n - 1] = new byte[CHUNK * ManifestEntry.SHA256_BYTES];
        nameRefs[n - 1] = new int[CHUNK];
    }

    private void rehash() {
        int[] bigger = new int[slots.length * 2];
        for (int i = 0; i < size; i++) {
            byte[] name = name(i).getBytes(StandardCharsets.UTF_8);
            place(bigger, hash(name, 0, name.length), i);
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
