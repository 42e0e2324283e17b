package org.walj.pipeline;

import java.util.ArrayDeque;
import java.util.Objects;

/**
 * The two arrays a {@link BlockMemo} of one geometry keeps (the blocks' bytes and their encodings), reused from memo
 * to memo: a memo lives for about one segment's time, so fresh arrays for each would be tens of MiB of old-generation
 * garbage per second and full collections to reclaim it.
 *
 * <p>Arrays are taken only by the one thread that fills memos. A memo released while that thread is still copying
 * into it (its push was quicker) therefore cannot have its arrays handed to another memo before the copy ends.
 */
public final class MemoArrays {
    private final int blockSize;
    private final int blocks;
    private final int encodedLength;
    private final int keep;
    // guarded by this
    private final ArrayDeque<Slabs> free = new ArrayDeque<>();

    /** The arrays of one memo: block i's bytes at {@code i * blockSize} of {@code raw}; encodings in turn. */
    record Slabs(byte[] raw, byte[] encoded) {
    }

    /** Arrays for memos of {@code blocks} blocks as {@code precoder} encodes them; {@code keep} sets are reused. */
    public MemoArrays(BlockPrecoder precoder, int blocks, int keep) {
        Objects.requireNonNull(precoder, "precoder");
        this.blockSize = precoder.blockSize();
        long encoded = (long) blocks * precoder.maxEncodedLength(blockSize);
        if (blockSize < 1 || blocks < 1 || keep < 0 || (long) blockSize * blocks > Integer.MAX_VALUE - 64
                || encoded > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("memo arrays of " + blocks + " blocks of " + blockSize + " bytes");
        }
        this.blocks = blocks;
        this.encodedLength = (int) encoded;
        this.keep = keep;
    }

    public int blockSize() {
        return blockSize;
    }

    public int blocks() {
        return blocks;
    }

    /** A new, empty memo whose arrays come from here (at its first block) and return here when it is released. */
    public BlockMemo newMemo() {
        return new BlockMemo(this);
    }

    synchronized Slabs take() {
        Slabs s = free.poll();
        return s != null ? s : new Slabs(new byte[blockSize * blocks], new byte[encodedLength]);
    }

    synchronized void give(Slabs slabs) {
        if (free.size() < keep) {
            free.push(slabs);
        }
    }

    /** Sets waiting to be reused (for tests and logs). */
    public synchronized int spare() {
        return free.size();
    }
}
