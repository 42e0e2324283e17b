package org.walj.resident;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.walj.WorkerThreads;
import org.walj.pipeline.BlockMemo;
import org.walj.pipeline.BlockPrecoder;
import org.walj.pipeline.MemoArrays;
import org.walj.postgres.SegmentName;
import org.walj.postgres.WalNames;
import org.walj.postgres.WalSegmentSize;
import org.walj.wal.BlockMemos;

/**
 * Compresses the blocks of the WAL segment PostgreSQL is writing while it writes it, so that the push that follows its
 * {@code .ready} finds most of its blocks encoded and the archive_command waiting for that push returns sooner.
 *
 * <p>When segment N is marked ready, PostgreSQL is writing N+1 (its file is already there, recycled or
 * preallocated). WAL is written in order: once the page right after a block carries the WAL address that page has in
 * N+1 (and N+1's timeline), every page of the block before it has been written in full, and PostgreSQL does not write
 * it again. Such a block is read and encoded here, and kept in a {@link BlockMemo} with the bytes it was encoded from.
 * The last block has no page after it in the segment and is always encoded by the push. Nothing here decides what is
 * stored: the push compares every block with the memorised bytes and encodes any that differ, so a wrong guess costs
 * CPU, never a wrong object.
 *
 * <p>One segment is followed at a time, polled at the pace of the WAL ({@link #BLOCKS_PER_TICK}); the
 * memo of the segment followed before stays until its push takes it ({@link #KEPT} at most, then the oldest goes).
 */
final class EarlyBlocks implements BlockMemos, Closeable {
    static final long TICK_MILLIS = 20;
    private static final long FASTEST_TICK_MILLIS = 10;
    private static final long SLOWEST_TICK_MILLIS = 160;
    /**
     * Blocks a poll should find final: each wake-up of the polling thread costs a fraction of a millisecond of CPU, so
     * the interval follows the pace of the WAL (a few polls per segment) rather than a fixed 20 ms; at most this many
     * blocks, and the last, are left to the push after the {@code .ready}.
     */
    private static final int BLOCKS_PER_TICK = 6;
    /** Memos of segments no longer followed that wait for their push: one in the usual flow, more only in a backlog. */
    static final int KEPT = 1;
    /**
     * Larger segments are not followed: the memos' arrays stay in the heap from segment to segment (two sets of twice
     * a segment's size), which for the default 16 MiB segment is 64 MiB of the daemon's heap.
     */
    static final long LARGEST_SEGMENT = 16L * 1024 * 1024;
    /** Sets of memo arrays reused: the memo being filled, and the one its push is still reading. */
    private static final int ARRAYS_KEPT = 2;
    /**
     * How long a followed segment's file may be missing. PostgreSQL marks a segment ready before it creates the next
     * one when no recycled file is waiting (a new cluster, a busy one past its recycled files): the file appears
     * milliseconds later. One that does not appear soon is given up.
     */
    static final long MISSING_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** {@code xlp_magic}, {@code xlp_info}, {@code xlp_tli}, {@code xlp_pageaddr}. */
    private static final int PAGE_HEADER = 16;

    private final BlockPrecoder precoder;
    private final int blockSize;
    /** Ticking thread only: the segment whose file it has open (one at a time, closed when another is followed). */
    private Followed open;
    /** Null for tests, which call {@link #tick()} themselves. */
    private final ScheduledExecutorService timer;

    // guarded by this
    private Followed followed;
    private final Map<Path, BlockMemo> kept = new LinkedHashMap<>();
    private boolean scheduled;
    private boolean closed;
    private long delay = TICK_MILLIS;
    /** For the segment size last followed (one per cluster in practice). */
    private MemoArrays arrays;

    /** The segment being followed: where it is, where its WAL starts, and how far it has been encoded. */
    private static final class Followed {
        final Path file;
        final long timeline;
        final long startLsn;
        final BlockMemo memo;
        final long followedSince = System.nanoTime();
        /** Touched by the ticking thread only. */
        int next;
        /** Touched by the ticking thread only: open from the first tick until the segment is released or finished. */
        FileChannel channel;
        /** Encoded as far as it can be here (or unreadable): still handed to its push, no longer polled. */
        volatile boolean finished;
        /** No longer followed (complete, or taken by its push): the ticking thread stops encoding it. */
        volatile boolean released;

        Followed(Path file, long timeline, long startLsn, BlockMemo memo) {
            this.file = file;
            this.timeline = timeline;
            this.startLsn = startLsn;
            this.memo = memo;
        }
    }

    private EarlyBlocks(BlockPrecoder precoder, boolean scheduled) {
        this.precoder = precoder;
        this.blockSize = precoder.blockSize();
        if (scheduled) {
            ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1,
                    WorkerThreads.numbered("wal-j-early-blocks-", false));
            t.setRemoveOnCancelPolicy(true);
            this.timer = t;
        } else {
            this.timer = null;
        }
    }

    /** Follows segments on a thread of its own. */
    static EarlyBlocks start(BlockPrecoder precoder) {
        return new EarlyBlocks(precoder, true);
    }

    /** For tests: nothing runs until {@link #tick()} is called. */
    static EarlyBlocks manual(BlockPrecoder precoder) {
        return new EarlyBlocks(precoder, false);
    }

    /**
     * {@code ready} (absolute, normalised) has just been marked ready or handed to wal-push: starts following the
     * segment after it, unless that one is already complete, missing, or followed.
     */
    void follow(Path ready) {
        Optional<SegmentName> name = SegmentName.parse(ready.getFileName().toString());
        if (name.isEmpty()) {
            return;
        }
        long size;
        try {
            size = Files.size(ready);
        } catch (IOException | RuntimeException e) {
            return;
        }
        if (!WalSegmentSize.isValid(size) || size % blockSize != 0 || size > LARGEST_SEGMENT) {
            return;
        }
        WalSegmentSize segmentSize = new WalSegmentSize(size);
        if (!segmentSize.fits(name.get())) {
            return;
        }
        SegmentName next = name.get().next(segmentSize);
        Path dir = ready.getParent();
        Path file = dir.resolve(next.toString());
        Path status = dir.resolve("archive_status");
        if (Files.exists(status.resolve(next + WalNames.READY_SUFFIX)) || Files.exists(status.resolve(next + ".done"))
                || Files.exists(file) && !Files.isRegularFile(file)) {
            return; // complete already (a backlog: nothing to gain), or not a segment
        }
        synchronized (this) {
            if (closed || followed != null && (followed.file.equals(file)
                    || SegmentName.parse(followed.file.getFileName().toString())
                            .map(f -> f.placeInWal() >= next.placeInWal()).orElse(false))) {
                return;
            }
            if (followed != null) {
                // complete now, and its push starts: encoding the rest here too would only do the work twice
                followed.released = true;
                keep(followed.file, followed.memo);
            }
            int blocks = (int) (size / blockSize);
            if (arrays == null || arrays.blocks() != blocks) {
                arrays = new MemoArrays(precoder, blocks, ARRAYS_KEPT);
            }
            followed = new Followed(file, next.timeline(), segmentSize.number(next) * size, arrays.newMemo());
            delay = TICK_MILLIS;
            schedule();
        }
    }

    private void keep(Path file, BlockMemo memo) {
        kept.remove(file);
        kept.put(file, memo);
        while (kept.size() > KEPT) {
            kept.remove(kept.keySet().iterator().next());
        }
    }

    private void schedule() {
        if (timer == null || scheduled || closed) {
            return;
        }
        try {
            timer.schedule(this::tickAndReschedule, delay, TimeUnit.MILLISECONDS);
            scheduled = true;
        } catch (RejectedExecutionException stopped) {
            // closing
        }
    }

    private void tickAndReschedule() {
        int encoded = tick();
        synchronized (this) {
            scheduled = false;
            delay = encoded == 0 ? Math.min(delay * 2, SLOWEST_TICK_MILLIS)
                    : Math.max(FASTEST_TICK_MILLIS, Math.min(SLOWEST_TICK_MILLIS, delay * BLOCKS_PER_TICK / encoded));
            if (followed != null && !followed.finished) {
                schedule();
            }
        }
    }

    /**
     * Encodes the blocks of the followed segment that are final by now; returns how many. Finishes a segment
     * whose last block is next (it can only be judged by the push) or that cannot be read; it stays followed (so
     * that a late request for the segment before it does not start it over) until the next one is followed.
     */
    int tick() {
        Followed f;
        synchronized (this) {
            f = followed;
        }
        if (open != null && open != f) {
            closeQuietly(open);
            open = null;
        }
        if (f == null || f.finished) {
            return 0;
        }
        if (f.channel == null && !Files.exists(f.file)) {
            if (System.nanoTime() - f.followedSince > MISSING_NANOS) {
                f.finished = true;
            }
            return 0; // not created yet
        }
        int last = f.memo.blocks() - 1;
        int before = f.next;
        boolean finished = false;
        try {
            if (f.channel == null) {
                f.channel = FileChannel.open(f.file, StandardOpenOption.READ);
                open = f;
            }
            ByteBuffer header = ByteBuffer.allocate(PAGE_HEADER).order(ByteOrder.LITTLE_ENDIAN);
            while (f.next < last && !f.released) {
                long after = (long) (f.next + 1) * blockSize;
                header.clear();
                if (!readFully(f.channel, header, after) || !writtenThisTime(header, f, after)) {
                    break;
                }
                FileChannel channel = f.channel;
                long position = (long) f.next * blockSize;
                if (!f.memo.fill(f.next, into -> readFully(channel, into, position), precoder)) {
                    finished = true; // short, or released meanwhile
                    break;
                }
                f.next++;
            }
            finished |= f.next >= last;
        } catch (IOException | RuntimeException e) {
            finished = true; // removed under us, say: the push encodes what is missing
        }
        if (finished || f.released) {
            f.finished = true;
            closeQuietly(f);
        }
        return f.next - before;
    }

    private static void closeQuietly(Followed f) {
        if (f.channel != null) {
            try {
                f.channel.close();
            } catch (IOException e) {
                // read-only: nothing was written through it
            }
            f.channel = null;
        }
    }

    /** Whether the page header at {@code offset} of {@code f}'s file is the one this segment's WAL puts there. */
    private static boolean writtenThisTime(ByteBuffer header, Followed f, long offset) {
        int magic = header.getShort(0) & 0xFFFF;
        long timeline = header.getInt(4) & 0xFFFFFFFFL;
        long pageAddress = header.getLong(8);
        return magic >= 0xD000 && magic <= 0xDFFF && timeline == f.timeline && pageAddress == f.startLsn + offset;
    }

    /** Reads from {@code position} of the file into {@code buf} until it is full; false at the end of the file. */
    private static boolean readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        int start = buf.position();
        while (buf.hasRemaining()) {
            int n = ch.read(buf, position + buf.position() - start);
            if (n < 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Optional<BlockMemo> take(Path segment) {
        synchronized (this) {
            if (followed != null && followed.file.equals(segment)) {
                Followed f = followed;
                f.released = true;
                followed = null;
                return Optional.of(f.memo);
            }
            return Optional.ofNullable(kept.remove(segment));
        }
    }

    /** Blocks of {@code segment} encoded so far, if it is followed or kept (for tests). */
    synchronized int encoded(Path segment) {
        BlockMemo m = followed != null && followed.file.equals(segment) ? followed.memo : kept.get(segment);
        if (m == null) {
            return -1;
        }
        int n = 0;
        for (int i = 0; i < m.blocks(); i++) {
            n += m.has(i) ? 1 : 0;
        }
        return n;
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            followed = null;
            kept.clear();
        }
        if (timer != null) {
            timer.shutdownNow();
            try {
                if (!timer.awaitTermination(5, TimeUnit.SECONDS)) {
                    return; // still encoding: its file stays open until the process exits
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (open != null) {
            closeQuietly(open);
            open = null;
        }
    }
}
