package org.walj.pipeline;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Blocks of one source encoded before its encoding starts (the resident daemon compresses a WAL segment's blocks
 * while PostgreSQL is still writing it). Each entry keeps the uncompressed bytes it was encoded from: an encoder uses
 * an entry only when the block it is about to encode has exactly those bytes, so a block that changed after it was
 * memorised is encoded again and the output is the same bytes as without a memo.
 *
 * <p>One thread fills a memo while another may already be encoding from it. The thread that took the memo for its
 * encoding {@link #release releases} it once that encoding has ended; its arrays then serve the next memo
 * ({@link MemoArrays}).
 */
public final class BlockMemo {
    private final MemoArrays arrays;
    private final int blockSize;
    /** Entry i: where block i's encoding is, published after its bytes and encoding are in {@link #slabs}. */
    private final AtomicReferenceArray<Entry> entries;
    private final AtomicInteger used = new AtomicInteger();
    /** Set before the first entry is published; null again once released. */
    private volatile MemoArrays.Slabs slabs;
    private volatile boolean released;
    /** Filling thread only: where the next encoding goes in the encoded slab. */
    private int encodedEnd;

    private record Entry(int length, int encodedAt, int encodedLength) {
    }

    /** Reads up to the buffer's limit, in as many reads as it takes; false when the source ended first. */
    @FunctionalInterface
    public interface BlockReader {
        boolean readFully(ByteBuffer into) throws IOException;
    }

    BlockMemo(MemoArrays arrays) {
        this.arrays = arrays;
        this.blockSize = arrays.blockSize();
        this.entries = new AtomicReferenceArray<>(arrays.blocks());
    }

    public int blockSize() {
        return blockSize;
    }

    public int blocks() {
        return entries.length();
    }

    /**
     * Remembers block {@code index} as the {@code len} bytes of {@code src} from {@code off}, encoded by
     * {@code precoder}. A block is put once; only the thread that fills the memo calls this. False if released.
     */
    public boolean put(int index, byte[] src, int off, int len, BlockPrecoder precoder) {
        Objects.checkFromIndexSize(off, len, src.length);
        MemoArrays.Slabs s = slabsFor(index, len);
        if (s == null) {
            return false;
        }
        System.arraycopy(src, off, s.raw(), index * blockSize, len);
        publish(index, len, s, precoder);
        return true;
    }

    /**
     * Remembers block {@code index}, a whole block read by {@code reader} straight into the memo, encoded by
     * {@code precoder}. False, and nothing remembered, if the reader found the end first or the memo is released.
     */
    public boolean fill(int index, BlockReader reader, BlockPrecoder precoder) throws IOException {
        MemoArrays.Slabs s = slabsFor(index, blockSize);
        if (s == null || !reader.readFully(ByteBuffer.wrap(s.raw(), index * blockSize, blockSize))) {
            return false;
        }
        publish(index, blockSize, s, precoder);
        return true;
    }

    private MemoArrays.Slabs slabsFor(int index, int len) {
        Objects.checkIndex(index, entries.length());
        if (len < 1 || len > blockSize) {
            throw new IllegalArgumentException("block length " + len + " for blocks of " + blockSize);
        }
        if (entries.get(index) != null) {
            throw new IllegalStateException("block " + index + " is memorised already");
        }
        if (released) {
            return null;
        }
        MemoArrays.Slabs s = slabs;
        if (s == null) {
            s = arrays.take();
            slabs = s;
        }
        return s;
    }

    private void publish(int index, int len, MemoArrays.Slabs s, BlockPrecoder precoder) {
        if (precoder.blockSize() != blockSize || s.encoded().length - encodedEnd < precoder.maxEncodedLength(len)) {
            throw new IllegalArgumentException("a precoder of other blocks than this memo's");
        }
        int encodedLength = precoder.encode(s.raw(), index * blockSize, len, s.encoded(), encodedEnd);
        entries.set(index, new Entry(len, encodedEnd, encodedLength)); // publishes both slabs' bytes written above
        encodedEnd += encodedLength;
    }

    /** Whether block {@code index} has an entry (whatever its bytes). */
    public boolean has(int index) {
        return index >= 0 && index < entries.length() && entries.get(index) != null;
    }

    /**
     * Writes the encoding of block {@code index} to {@code out} when its memorised bytes are exactly {@code len} bytes
     * of {@code src} from {@code off}; false, and nothing written, otherwise (no entry, the block changed since, or
     * the memo is released).
     */
    public boolean writeIfSame(int index, byte[] src, int off, int len, OutputStream out) throws IOException {
        Objects.checkFromIndexSize(off, len, src.length);
        if (index < 0 || index >= entries.length()) {
            return false;
        }
        Entry e = entries.get(index);
        MemoArrays.Slabs s = slabs;
        if (e == null || e.length != len || s == null) {
            return false;
        }
        int at = index * blockSize;
        if (!Arrays.equals(s.raw(), at, at + len, src, off, off + len)) {
            return false;
        }
        used.incrementAndGet();
        out.write(s.encoded(), e.encodedAt, e.encodedLength);
        return true;
    }

    /** Entries an encoder has taken so far (for logs and tests). */
    public int used() {
        return used.get();
    }

    /**
     * The encoding that used this memo has ended: its arrays go back for the next memo, and it answers no more. Only
     * the thread that took the memo for its encoding calls this, once that encoding can read it no more.
     */
    public void release() {
        if (released) {
            return;
        }
        released = true;
        MemoArrays.Slabs s = slabs;
        slabs = null;
        if (s != null) {
            arrays.give(s);
        }
    }
}
