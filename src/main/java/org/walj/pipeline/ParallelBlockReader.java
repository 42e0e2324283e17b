package org.walj.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;

/**
 * The mirror of {@link ParallelBlockWriter}: reads a block container whose blocks decode independently of each other
 * (lzop's), decoding up to {@link BlockParallelism#blocks()} blocks at once on the executor and handing their bytes
 * out strictly in order. The container's framing (its header, each block's lengths and stored bytes, the end marker)
 * is read on the reading thread, in order; only the work on one block's own bytes (decompressing, checksums) runs
 * elsewhere. Without a parallelism every block is decoded on the reading thread, one at a time.
 *
 * <ul>
 * <li>Same output, same failures as reading one block after another: a block's failure (checksum, invalid data) and
 * a framing failure (truncation, garbage after the end) are thrown when the reader reaches that point of the stream,
 * after every byte before it was handed out, and are sticky. Nothing after a failed block is handed out.</li>
 * <li>Memory is bounded: at most {@code blocks + 1} blocks hold data (in flight, plus the one being read out). A block
 * larger than {@link Framing#largeBlock()} ({@link #LARGE_BLOCK} unless the format says otherwise) is framed only
 * when no other block is in flight, and its buffers are dropped after use, so a stream of huge blocks costs what the
 * sequential reader costs.</li>
 * <li>While it waits for the oldest block, the reading thread decodes blocks no task has started yet itself: a busy
 * executor (or machine) degrades this to the sequential reader's speed instead of below it.</li>
 * <li>{@link #close()} abandons queued blocks, waits for running ones and closes the framing's input; no task of
 * this reader runs after it returns.</li>
 * </ul>
 * Data are returned block by block: one read returns at most the rest of the current block; an empty block (a
 * marker whose {@link Framing#handOut} checks something) hands out nothing. Nothing is read from the input before
 * the first read. For one reading thread; the tasks touch only their own block.
 */
public final class ParallelBlockReader<B extends ParallelBlockReader.Block> extends InputStream {

    /** Blocks above this size (bytes of buffer a block needs) are read one at a time, never several in flight. */
    public static final int LARGE_BLOCK = 4 * 1024 * 1024;

    /** One block's buffers: filled by {@link Framing} on the reading thread, decoded on any thread. */
    public interface Block {
        /** Decompresses and checks this block's stored bytes; touches nothing but this block. */
        void decode() throws IOException;

        /** After {@link #decode}: the decoded bytes are {@code data()[0, length())}. */
        byte[] data();

        int length();

        /** Drops buffers grown past {@link #LARGE_BLOCK}, so that a huge block's memory is not kept. */
        void shrink();
    }

    /** A container's framing, read on the reading thread only, in stream order. */
    public interface Framing<B extends Block> {
        B newBlock();

        /**
         * Reads the next block's header (the stream's own header first, on the first call); returns the bytes of
         * buffer it needs (stored plus decoded), or -1 after the (verified) end of the stream.
         */
        long nextBlock(B block) throws IOException;

        /** Reads the stored bytes of the block whose header {@link #nextBlock} just read. */
        void readBody(B block) throws IOException;

        /** A one-line corruption report for whatever unexpected a decoder threw (never an IOException). */
        CorruptObjectException corrupt(RuntimeException e);

        /** Closes the input. */
        void close() throws IOException;

        /**
         * On the reading thread, in stream order, after {@code block} decoded and before any of its bytes is handed
         * out: for what spans blocks (LZ4's content checksum over the whole frame, a block that refers to the one
         * before it). A failure thrown here is thrown at this point of the stream, like the block's own.
         */
        default void handOut(B block) throws IOException {
        }

        /** Blocks needing more buffer than this ({@link #nextBlock}) are read one at a time, never several. */
        default long largeBlock() {
            return LARGE_BLOCK;
        }
    }

    private final class Slot extends BlockTask {
        final B block;

        Slot(B block) {
            super(lock);
            this.block = block;
        }

        @Override
        void work() throws IOException {
            block.decode();
        }
    }

    private final Object lock = new Object();
    private final Framing<B> framing;
    private final BlockParallelism parallelism; // null: decode on the reading thread
    private final int blocks;
    private final ArrayDeque<Slot> pending = new ArrayDeque<>();
    private final ArrayDeque<Slot> free = new ArrayDeque<>();

    private Slot current; // being read out
    private int position;
    private Slot large; // a large block whose header was read, waiting for the others to drain
    private boolean framingDone; // the end was read, or framing failed (framingFailure)
    private IOException framingFailure;
    private boolean eof;
    private boolean closed;
    private IOException failure;

    /** Decodes on {@code parallelism}'s executor as well as on the reading thread; null: on the reading thread. */
    public ParallelBlockReader(Framing<B> framing, BlockParallelism parallelism) {
        this.framing = Objects.requireNonNull(framing, "framing");
        this.parallelism = parallelism;
        this.blocks = parallelism == null ? 1 : parallelism.blocks();
    }

    @Override
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return current.block.data()[position++] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, current.block.length() - position);
        System.arraycopy(current.block.data(), position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        if (n <= 0 || !fill()) {
            return 0;
        }
        int k = (int) Math.min(n, current.block.length() - position);
        position += k;
        return k;
    }

    @Override
    public int available() throws IOException {
        ensureOpen();
        return current == null ? 0 : current.block.length() - position;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        abandon();
        framing.close();
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("stream is closed");
        }
    }

    /** Makes sure the current block has unread bytes; false at the (verified) end of the stream. */
    private boolean fill() throws IOException {
        ensureOpen();
        if (failure != null) {
            throw failure;
        }
        try {
            while (current == null || position == current.block.length()) { // a block may be empty (a marker)
                if (eof) {
                    return false;
                }
                if (current != null) {
                    release(current);
                    current = null;
                }
                topUp();
                if (pending.isEmpty()) {
                    if (framingFailure != null) {
                        throw framingFailure;
                    }
                    eof = true;
                    return false;
                }
                current = takeOldest();
                position = 0;
                framing.handOut(current.block);
            }
            return true;
        } catch (IOException e) {
            failure = e;
            abandon();
            throw e;
        } catch (RuntimeException e) {
            failure = framing.corrupt(e);
            abandon();
            throw failure;
        }
    }

    /** Frames blocks until {@code blocks} are in flight, a large one must wait, or the framing has ended. */
    private void topUp() throws IOException {
        while (!framingDone && pending.size() < blocks) {
            Slot s;
            if (large != null) {
                if (!pending.isEmpty()) {
                    return; // it waits until it is the only block in flight
                }
                s = large;
                large = null;
            } else {
                s = takeSlot();
                long need;
                try {
                    need = framing.nextBlock(s.block);
                } catch (IOException e) {
                    framingFailed(s, e);
                    return;
                }
                if (need < 0) {
                    free.add(s);
                    framingDone = true;
                    return;
                }
                if (need > framing.largeBlock() && !pending.isEmpty()) {
                    large = s;
                    return;
                }
            }
            try {
                framing.readBody(s.block);
            } catch (IOException e) {
                framingFailed(s, e);
                return;
            }
            submit(s);
        }
    }

    /** Framing broke: the blocks framed before it are still handed out, then this is thrown. */
    private void framingFailed(Slot s, IOException e) {
        s.block.shrink();
        free.add(s);
        framingDone = true;
        framingFailure = e;
    }

    private Slot takeSlot() {
        Slot s = free.poll();
        if (s != null) {
            return s;
        }
        return new Slot(framing.newBlock());
    }

    private void submit(Slot s) {
        s.queue();
        pending.add(s);
        if (parallelism == null) {
            return; // decoded by the reading thread when it gets there
        }
        try {
            parallelism.executor().execute(s);
        } catch (RejectedExecutionException e) {
            // the reading thread decodes it (takeOldest): slower, never wrong
        }
    }

    /** Waits for the oldest block (decoding queued ones meanwhile) and returns it, or throws its failure. */
    private Slot takeOldest() throws IOException {
        Slot s = pending.peek();
        Throwable t = BlockTask.await(s, pending, "a block to be decoded");
        pending.remove();
        if (t != null) {
            release(s);
            if (t instanceof IOException io) {
                throw io;
            }
            if (t instanceof RuntimeException r) {
                throw framing.corrupt(r);
            }
            throw (Error) t;
        }
        return s;
    }

    private void release(Slot s) {
        s.block.shrink();
        s.reset();
        free.add(s);
    }

    /** Queued blocks are never decoded, running ones are waited for (milliseconds); buffers are dropped. */
    private void abandon() {
        BlockTask.abandon(lock, pending);
        pending.clear();
        free.clear();
        current = null;
        large = null;
    }
}
