package org.walj.pipeline;

import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * How a block-container writer (lzop, LZ4 frames) may use more than one core for one stream: up to {@code blocks}
 * blocks are compressed at once on {@code executor} (and by the caller's thread while it waits), and written in order
 * by the caller's thread. For a single stream (wal-push of one segment), or for streams of uneven length that share
 * one executor (backup-push's LZO partitions, whose largest is often one file). The executor need not run a task soon, or
 * at all (the caller's thread compresses blocks no task has started); a fixed pool of {@code blocks} threads gets the
 * full effect. It is the caller's, and is neither shut down nor waited for here.
 */
public record BlockParallelism(Executor executor, int blocks) {
    /** More would only add memory: beyond this, writing the blocks out is the bottleneck. */
    public static final int MAX_BLOCKS = 16;

    public BlockParallelism {
        Objects.requireNonNull(executor, "executor");
        if (blocks < 1 || blocks > MAX_BLOCKS) {
            throw new IllegalArgumentException("blocks in parallel must be 1.." + MAX_BLOCKS + ", not " + blocks);
        }
    }
}
