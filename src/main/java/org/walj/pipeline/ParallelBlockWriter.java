package org.walj.pipeline;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * Cuts what is written into blocks of {@code blockSize} bytes, encodes up to {@link BlockParallelism#blocks()} of them
 * at once on the executor, and writes the encoded blocks to {@code out} strictly in input order, on the writing
 * thread. Only for containers whose blocks are encoded independently of each other (lzop's are, and those of the LZ4
 * frames we write), so that the output is exactly the sequential writer's.
 *
 * <ul>
 * <li>Memory is bounded: at most {@code blocks + 1} slots (an input block and its encoder's buffer) exist: up to
 * {@code blocks + 1} submitted while the writer waits for the oldest, or {@code blocks} submitted and one filling.</li>
 * <li>A failed encoding or write is thrown by the next {@link #write}, {@link #writeSubmitted}, {@link #writeAll} or
 * {@link #finish} as an IOException; from then on the writer is unusable. Before any of them throws, every task
 * already started has finished and queued ones are abandoned, so no block of this writer is encoded after it failed
 * or finished.</li>
 * <li>While it waits for the oldest block, the writing thread encodes blocks no task has started yet itself, so a
 * busy executor (or machine) degrades this to the sequential writer's speed instead of below it.</li>
 * </ul>
 * For one writing thread; the tasks touch only their own slot.
 */
public final class ParallelBlockWriter {

    /** Encodes one block into its own buffer (any thread), then writes it (the writing thread). */
    public interface BlockEncoder {
        void encode(byte[] src, int off, int len) throws IOException;

        void writeTo(OutputStream out) throws IOException;
    }

    /** An input block and the encoder that turns it into its container bytes. */
    private final class Slot extends BlockTask {
        final byte[] input = new byte[blockSize];
        final BlockEncoder encoder;
        int length; // written by the writing thread before submission only

        Slot(BlockEncoder encoder) {
            super(lock);
            this.encoder = encoder;
        }

        @Override
        void work() throws IOException {
            encoder.encode(input, 0, length);
        }
    }

    private final Object lock = new Object();
    private final OutputStream out;
    private final BlockParallelism parallelism;
    private final int blockSize;
    private final Supplier<? extends BlockEncoder> encoders;
    private final ArrayDeque<Slot> pending = new ArrayDeque<>();
    private final ArrayDeque<Slot> free = new ArrayDeque<>();
    private int allocated;
    private Slot filling;
    private boolean failed;
    private boolean finished;

    public ParallelBlockWriter(OutputStream out, BlockParallelism parallelism, int blockSize,
                        Supplier<? extends BlockEncoder> encoders) {
        this.out = Objects.requireNonNull(out, "out");
        this.parallelism = Objects.requireNonNull(parallelism, "parallelism");
        this.encoders = Objects.requireNonNull(encoders, "encoders");
        if (blockSize < 1) {
            throw new IllegalArgumentException("block size " + blockSize);
        }
        this.blockSize = blockSize;
    }

    public void write(int b) throws IOException {
        ensureUsable();
        if (filling != null && filling.length < blockSize - 1) {
            filling.input[filling.length++] = (byte) b; // the common case, without an array per byte
            return;
        }
        write(new byte[] {(byte) b}, 0, 1);
    }

    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        ensureUsable();
        try {
            while (len > 0) {
                if (filling == null) {
                    filling = takeSlot();
                }
                int n = Math.min(len, blockSize - filling.length);
                System.arraycopy(b, off, filling.input, filling.length, n);
                filling.length += n;
                off += n;
                len -= n;
                if (filling.length == blockSize) {
                    Slot full = filling;
                    filling = null;
                    submit(full);
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            throw fail(e);
        }
    }

    /** Encodes the last (short) block and writes every pending block, in order. Writes nothing else. */
    public void finish() throws IOException {
        writeAll();
        finished = true;
    }

    /**
     * Writes every block submitted so far (waiting for their encoding); the block being filled stays open, so the
     * output is the same as without this call (lzop's flush does not end a block).
     */
    public void writeSubmitted() throws IOException {
        ensureUsable();
        try {
            while (!pending.isEmpty()) {
                writeOldest();
            }
        } catch (IOException | RuntimeException | Error e) {
            throw fail(e);
        }
    }

    /**
     * Ends the current block early (for formats whose flush does, like lz4-java's frame writer) and writes every
     * pending block; the writer stays usable.
     */
    public void writeAll() throws IOException {
        ensureUsable();
        try {
            if (filling != null && filling.length > 0) {
                Slot last = filling;
                filling = null;
                submit(last);
            }
            while (!pending.isEmpty()) {
                writeOldest();
            }
        } catch (IOException | RuntimeException | Error e) {
            throw fail(e);
        }
    }

    /**
     * Gives up: queued blocks are never encoded, running ones are waited for (they take milliseconds), nothing more
     * is written. For a stream that failed or is closed early; harmless after {@link #finish()}.
     */
    public void abandon() {
        failed = failed || !finished;
        BlockTask.abandon(lock, pending);
        pending.clear();
        free.clear();
        filling = null;
    }

    private IOException fail(Throwable e) {
        abandon();
        failed = true;
        if (e instanceof IOException io) {
            return io;
        }
        return new IOException("compressing a block failed: " + e, e);
    }

    private void ensureUsable() throws IOException {
        if (failed) {
            throw new IOException("block writer is unusable: an earlier write failed");
        }
        if (finished) {
            throw new IOException("block writer is finished");
        }
    }

    /** A free slot; when all exist and are in use, writes the oldest block first to free its slot. */
    private Slot takeSlot() throws IOException {
        Slot s = free.poll();
        if (s != null) {
            return s;
        }
        if (allocated <= parallelism.blocks()) {
            allocated++;
            return new Slot(encoders.get());
        }
        writeOldest();
        return free.remove();
    }

    private void submit(Slot s) throws IOException {
        s.queue();
        pending.add(s);
        try {
            parallelism.executor().execute(s);
        } catch (RejectedExecutionException e) {
            pending.removeLast();
            throw new IOException("cannot compress in parallel: the executor refused a block (" + e.getMessage() + ")",
                    e);
        }
        // keep the output flowing: write whatever is already encoded, without waiting
        while (!pending.isEmpty() && pending.peek().isDone()) {
            writeOldest();
        }
    }

    /**
     * Waits for the oldest submitted block, writes it and frees its slot. While it waits, the writing thread encodes
     * blocks no task has started yet (oldest first) itself: on a busy machine the executor's threads may not get a
     * core soon, and the writer would otherwise sit idle.
     */
    private void writeOldest() throws IOException {
        Slot s = pending.peek();
        Throwable failure = BlockTask.await(s, pending, "a block to be compressed");
        if (failure != null) {
            throw failure instanceof IOException io ? new IOException(io.getMessage(), io)
                    : new IOException("compressing a block failed: " + failure, failure);
        }
        pending.remove();
        s.encoder.writeTo(out);
        s.length = 0;
        s.reset();
        free.add(s);
    }
}
