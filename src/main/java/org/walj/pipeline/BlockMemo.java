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
    private final AtomicReferenceArray<Entry> entries;
    private final AtomicInteger used = new AtomicInteger();

    private record Entry(byte[] raw, byte[] encoded) {
    }

    /** A memo for a source of at most {@code blocks} blocks of {@code blockSize} bytes. */
    public BlockMemo(int blockSize, int blocks) {
        if (blockSize < 1 || blocks < 1) {
            throw new IllegalArgumentException("block size and count must be positive: " + blockSize + ", " + blocks);
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
     * Remembers that block {@code index} with the uncompressed bytes {@code raw} encodes to {@code encoded}; both
     * arrays are this memo's from now on.
     */
    public void put(int index, byte[] raw, byte[] encoded) {
        Objects.requireNonNull(raw, "raw");
        Objects.requireNonNull(encoded, "encoded");
        if (raw.length < 1 || raw.length > blockSize) {
            throw new IllegalArgumentException("block length " + raw.length + " for blocks of " + blockSize);
        }
        entries.set(Objects.checkIndex(index, entries.length()), new Entry(raw, encoded));
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
        if (e == null || e.raw.length != len || !Arrays.equals(e.raw, 0, len, src, off, off + len)) {
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
