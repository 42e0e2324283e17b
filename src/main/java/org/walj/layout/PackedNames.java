package org.walj.layout;

import java.util.Arrays;

/**
 * Byte strings (a manifest's member names) appended one after the other and read back by number, front-coded: each
 * is stored as the number of leading bytes it shares with the one before it and the bytes that follow, so that the
 * names of one directory, which a manifest lists together, cost a few bytes each instead of their whole length.
 * Every {@value #RESTART}th name is stored whole (a restart) and only the restarts' positions are kept, so reading
 * name {@code i} decodes at most {@value #RESTART} records from the restart before it.
 *
 * <p>The bytes are in blocks of {@value #BLOCK} bytes; a record may run from one block into the next. Filled by one
 * thread, then read by any number ({@link #copy} allocates nothing shared).
 */
final class PackedNames {
    static final int RESTART = 16;
    private static final int BLOCK_BITS = 20;
    private static final int BLOCK = 1 << BLOCK_BITS;

    private byte[][] blocks = new byte[0][];
    /** Bytes used in all blocks together; where the next record starts. */
    private long used;
    /** Position of name {@code k * RESTART}. */
    private long[] restarts = new long[16];
    private int size;
    /** The last name appended, to code the next one against; null when empty. */
    private byte[] previous;

    int size() {
        return size;
    }

    /** The bytes the records take (the blocks' unused ends not counted). */
    long storedBytes() {
        return used;
    }

    /** Appends {@code name}; its number is the former {@link #size()}. */
    void add(byte[] name) {
        int shared = 0;
        if (size % RESTART == 0) {
            if (size / RESTART == restarts.length) {
                restarts = Arrays.copyOf(restarts, restarts.length * 2);
            }
            restarts[size / RESTART] = used;
        } else {
            int max = Math.min(previous.length, name.length);
            while (shared < max && previous[shared] == name[shared]) {
                shared++;
            }
        }
        putVarint(shared);
        putVarint(name.length - shared);
        for (int k = shared; k < name.length; k++) {
            put(name[k]);
        }
        previous = name.clone();
        size++;
    }

    /** Name {@code i}'s bytes. */
    byte[] get(int i) {
        Cursor c = decodeTo(i);
        return Arrays.copyOf(c.name, c.length);
    }

    /** Whether name {@code i} is exactly {@code name}. */
    boolean equals(int i, byte[] name) {
        Cursor c = decodeTo(i);
        return Arrays.equals(c.name, 0, c.length, name, 0, name.length);
    }

    /** Calls {@code each} with every name in order (one pass: each record decoded once); the array is reused. */
    void forEach(NameConsumer each) {
        Cursor c = new Cursor(0);
        for (int i = 0; i < size; i++) {
            c.next();
            each.accept(i, c.name, c.length);
        }
    }

    @FunctionalInterface
    interface NameConsumer {
        void accept(int number, byte[] name, int length);
    }

    private Cursor decodeTo(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException(i);
        }
        Cursor c = new Cursor(restarts[i / RESTART]);
        for (int k = i - i % RESTART; k <= i; k++) {
            c.next();
        }
        return c;
    }

    /** Decodes records from a restart on; {@code name[0, length)} is the last one decoded. */
    private final class Cursor {
        private long at;
        private byte[] name = new byte[64];
        private int length;

        Cursor(long at) {
            this.at = at;
        }

        void next() {
            int shared = varint();
            int rest = varint();
            if (shared > length) {
                throw new IllegalStateException("corrupt name record");
            }
            int total = shared + rest;
            if (total > name.length) {
                name = Arrays.copyOf(name, Math.max(total, 2 * name.length));
            }
            for (int k = shared; k < total; k++) {
                name[k] = blocks[(int) (at >>> BLOCK_BITS)][(int) at & (BLOCK - 1)];
                at++;
            }
            length = total;
        }

        private int varint() {
            int v = 0;
            for (int shift = 0; ; shift += 7) {
                byte b = blocks[(int) (at >>> BLOCK_BITS)][(int) at & (BLOCK - 1)];
                at++;
                v |= (b & 0x7f) << shift;
                if (b >= 0) {
                    return v;
                }
            }
        }
    }

    /** 7 bits a byte, low first. */
    private void putVarint(int v) {
        while (v >= 0x80) {
            put((byte) (v & 0x7f | 0x80));
            v >>>= 7;
        }
        put((byte) v);
    }

    private void put(byte b) {
        int block = (int) (used >>> BLOCK_BITS);
        if (block == blocks.length) {
            if (block == Integer.MAX_VALUE >>> 1) {
                throw new IllegalStateException("too many member names");
            }
            blocks = Arrays.copyOf(blocks, block + 1);
            // the first block grows as needed: a small manifest does not cost a whole block
            blocks[block] = new byte[block == 0 ? 4096 : BLOCK];
        } else if (block == 0 && used == blocks[0].length) {
            blocks[0] = Arrays.copyOf(blocks[0], Math.min(BLOCK, blocks[0].length * 2));
        }
        blocks[block][(int) used & (BLOCK - 1)] = b;
        used++;
    }
}
