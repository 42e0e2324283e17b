package org.walj.pipeline;

import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.walj.WorkerThreads;

/**
 * Threads that compress the blocks of block-container streams ({@link BlockParallelism}), one per core (at most
 * {@link #MAX_THREADS}), shared by every stream of one command. Threads start only when a block is submitted; closing
 * lets them end once idle, which they are when every stream using them has been closed.
 */
public final class BlockCompressors implements AutoCloseable {
    /** Past a few threads, reading the input and writing the output are the bottleneck. */
    static final int MAX_THREADS = 8;

    private final ExecutorService threads;
    private final BlockParallelism parallelism;

    private BlockCompressors(int count, String threadName) {
        this.threads = count < 2 ? null : Executors.newFixedThreadPool(count, WorkerThreads.numbered(threadName));
        this.parallelism = threads == null ? null : new BlockParallelism(threads, count);
    }

    public static BlockCompressors forThisMachine() {
        return new BlockCompressors(Math.min(Runtime.getRuntime().availableProcessors(), MAX_THREADS),
                "walj-compress-");
    }

    /** The same pool for the other direction: blocks decompressed and checked ({@code ParallelBlockReader}). */
    public static BlockCompressors forDecoding() {
        return new BlockCompressors(Math.min(Runtime.getRuntime().availableProcessors(), MAX_THREADS),
                "walj-decode-");
    }

    /** Empty on a single core, where compressing on the writing thread alone is as fast. */
    public Optional<BlockParallelism> parallelism() {
        return Optional.ofNullable(parallelism);
    }

    /** As {@link #parallelism()}, with at most {@code blocks} blocks of one stream at once: bounds its memory. */
    public Optional<BlockParallelism> parallelism(int blocks) {
        return parallelism().map(p -> new BlockParallelism(p.executor(), Math.min(p.blocks(), blocks)));
    }

    @Override
    public void close() {
        if (threads != null) {
            threads.shutdown();
        }
    }
}
