package org.walj.pipeline;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Blocks of one source encoded before its encoding starts (the resident daemon compresses a WAL segment's blocks
 * while PostgreSQL is still writing it). Each entry keeps the uncompressed bytes it was encoded from: an encoder uses
 * an entry only when the block it is about to encode has exactly those bytes, so a block that changed after it was
 * memorised is encoded again and the output is the same bytes as without a memo. Thread-safe: one thread fills it
 * while another may already be encoding from it.
 */
public final class BlockMemo {
    private final int blockSize;
    /** Entry i: the length and encoding of block i, published after its bytes are in {@link #raw}. */
    private final AtomicReferenceArray<Entry> entries;
    private final AtomicInteger used = new AtomicInteger();
    /**
     * The memorised bytes of every block, block i at {@code i * blockSize}: one array, written before its entry is
     * published and never after, allocated at the first {@link #put}. One large array rather than a block each keeps
     * the garbage collector from copying thousands of live blocks around.
     */
    private volatile byte[] raw;

    private record Entry(int length, byte[] encoded) {
    }

    /** A memo for a source of at most {@code blocks} blocks of {@code blockSize} bytes. */
    public BlockMemo(int blockSize, int blocks) {
        if (blockSize < 1 || blocks < 1 || (long) blockSize * blocks > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("block size and count must be positive and fit an array: " + blockSize
                    + ", " + blocks);
        }
        this.blockSize = blockSize;
        this.entries = new AtomicReferenceArray<>(blocks);
    }

    public int blockSize() {
        return blockSize;
    }

    public int blocks() {
        return entries.length();
    }

    /**
     * Remembers that block {@code index}, the {@code len} bytes of {@code src} from {@code off} (copied here), encodes
     * to {@code encoded}, which is this memo's from now on. A block is put once; only the thread that fills the memo
     * calls this.
     */
    public void put(int index, byte[] src, int off, int len, byte[] encoded) {
        Objects.requireNonNull(encoded, "encoded");
        Objects.checkFromIndexSize(off, len, src.length);
        Objects.checkIndex(index, entries.length());
        if (len < 1 || len > blockSize) {
            throw new IllegalArgumentException("block length " + len + " for blocks of " + blockSize);
        }
        if (entries.get(index) != null) {
            throw new IllegalStateException("block " + index + " is memorised already");
        }
        byte[] r = raw;
        if (r == null) {
            r = new byte[blockSize * entries.length()];
            raw = r;
        }
        System.arraycopy(src, off, r, index * blockSize, len);
        entries.set(index, new Entry(len, encoded)); // publishes the bytes copied above
    }

    /** Whether block {@code index} has an entry (whatever its bytes). */
    public boolean has(int index) {
        return index >= 0 && index < entries.length() && entries.get(index) != null;
    }

    /**
     * The encoding of block {@code index} when its memorised bytes are exactly {@code len} bytes of {@code src} from
     * {@code off}; null otherwise (no entry, or the block changed since).
     */
    public byte[] encodedIf(int index, byte[] src, int off, int len) {
        Objects.checkFromIndexSize(off, len, src.length);
        if (index < 0 || index >= entries.length()) {
            return null;
        }
        Entry e = entries.get(index);
        if (e == null || e.length != len) {
            return null;
        }
        int at = index * blockSize;
        if (!Arrays.equals(raw, at, at + len, src, off, off + len)) {
            return null;
        }
        used.incrementAndGet();
        return e.encoded;
    }

    /** Entries an encoder has taken so far (for logs and tests). */
    public int used() {
        return used.get();
    }
}
