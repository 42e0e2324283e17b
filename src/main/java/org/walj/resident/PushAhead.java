package org.walj.resident;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.walj.WorkerThreads;
import org.walj.logging.LogEvent;
import org.walj.logging.LoggerNames;
import org.walj.logging.WalELog;
import org.walj.wal.ReadySegments;
import org.walj.wal.WalArchiver;

/**
 * wal-push in the resident daemon: WAL-E's parallel mode moved out of the request. After a request's segment is
 * stored (and answered), a background scan of its {@code archive_status/} pushes other ready segments on the
 * daemon's own pool and renames their {@code .ready} to {@code .done}, so PostgreSQL need not call archive_command for
 * them; the client never waits for those uploads.
 *
 * <p>Requests and background uploads of one file never run at once: a request for a file being uploaded in the
 * background waits for that upload (and pushes the file itself if it failed), one for a file stored moments ago with
 * the same size and mtime is answered without uploading again. A {@code .ready} file is renamed only after its
 * segment is completely stored, and not when a request for it is waiting (PostgreSQL renames it then).
 * While PostgreSQL writes the segment after the last one handed over, {@link EarlyBlocks} compresses its finished
 * blocks, which that segment's push then takes where unchanged.
 * See docs/daemon.md, "Pushing ahead" and "Compressing while PostgreSQL writes".
 */
public final class PushAhead {
    private static final WalELog LOG = WalELog.get(LoggerNames.DAEMON);
    /** Files remembered as stored: a few hundred KiB at most. */
    static final int REMEMBERED = 4096;

    private final WalArchiver archiver;
    private final int limit;
    private final ThreadPoolExecutor workers;

    // all guarded by this
    private final Map<Path, Flight> flights = new HashMap<>();
    private final StoredSegments stored = new StoredSegments(REMEMBERED);
    private final Set<Path> scansQueued = new HashSet<>();
    private int background;
    private boolean stopping;
    /** WAL directories the watcher was asked to watch (successfully or not: asked once). */
    private final Set<Path> watchedDirs = new HashSet<>();
    /** Null where the platform offers no file watching: then only the scans after requests push ahead. */
    private final ReadyWatcher watcher;
    /** Null where the compression's blocks cannot be encoded ahead (LZ4 frames). */
    private final EarlyBlocks early;

    /**
     * @param limit   background uploads queued or running at once (also at most a request's {@code --pool-size} − 1)
     * @param threads uploads running at once
     */
    public PushAhead(WalArchiver archiver, int limit, int threads) {
        this(archiver, limit, threads, false);
    }

    /** @param compressEarly whether to compress the segment PostgreSQL is writing while it writes it */
    public PushAhead(WalArchiver archiver, int limit, int threads, boolean compressEarly) {
        if (limit < 1 || threads < 1) {
            throw new IllegalArgumentException("limit and threads must be at least 1: " + limit + ", " + threads);
        }
        this.early = compressEarly ? archiver.blockPrecoder().map(EarlyBlocks::start).orElse(null) : null;
        this.archiver = early == null ? archiver : archiver.withBlockMemos(early);
        this.limit = limit;
        // the queue holds at most `limit` uploads and one scan per WAL directory: bounded by construction
        this.workers = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                // not inheriting thread-locals: the log route of the request that happened to start a worker thread
                // must not send background records to that client
                WorkerThreads.numbered("wal-j-push-ahead-", false));
        this.workers.allowCoreThreadTimeOut(true);
        this.watcher = startWatcher();
    }

    /**
     * A request's wal-push of {@code file} ({@code walFile} as PostgreSQL named it): returns once the file is stored,
     * by this call or by an upload it waited for. Then schedules a background scan for up to {@code poolSize} − 1
     * other ready segments, without waiting for it.
     */
    public void archive(Path walFile, Path file, int poolSize) throws IOException {
        Path key = file.toAbsolutePath().normalize();
        follow(key);
        while (true) {
            SegmentStamp stamp = SegmentStamp.of(key);
            Flight theirs = null;
            Flight mine = null;
            synchronized (this) {
                Flight current = flights.get(key);
                if (current != null && current.state() == Flight.State.QUEUED) {
                    current.take(); // still queued: pushing it here is quicker than waiting for a worker
                    mine = fly(key, Flight.request());
                } else if (current != null) {
                    current.join();
                    theirs = current;
                } else if (!stored.matches(key, stamp)) {
                    mine = fly(key, Flight.request());
                }
            }
            if (mine != null) {
                push(walFile, file, key, stamp, mine);
                break;
            }
            if (theirs == null || await(theirs)) {
                archiver.reportStoredAhead(walFile, file);
                break;
            }
            // the upload it waited for failed: try again, this time itself
        }
        watch(key.getParent());
        scanAfter(key, poolSize);
    }

    /** PostgreSQL has finished {@code segment}: the next one is being written, and its blocks can be encoded. */
    private void follow(Path segment) {
        if (early != null) {
            early.follow(segment);
        }
    }

    private ReadyWatcher startWatcher() {
        try {
            return new ReadyWatcher(this::anticipate);
        } catch (IOException | RuntimeException e) {
            LOG.warning(LogEvent.msg("cannot watch archive_status directories")
                    .detail("Starting a file watcher failed: " + describe(e) + ". Segments are pushed ahead only after"
                            + " requests.")
                    .kv("action", "push-wal"));
            return null;
        }
    }

    private void watch(Path walDir) {
        synchronized (this) {
            if (watcher == null || stopping || !watchedDirs.add(walDir)) {
                return;
            }
        }
        try {
            watcher.watch(walDir);
        } catch (IOException | RuntimeException e) {
            // e.g. a file pushed from outside pg_wal: nothing to watch there, and no need to say so on every request
        }
    }

    /**
     * PostgreSQL has just marked {@code segment} ready. When nothing else waits to be archived, its archiver hands this
     * segment to archive_command at once, and that command's JVM needs tens of milliseconds to start: the upload
     * starts now, and the request joins it. Its {@code .ready} stays for PostgreSQL to rename, as the request answers.
     * With a backlog, the scan after the next request pushes ahead (and renames) as before.
     */
    void anticipate(Path segment) {
        Path key = segment.toAbsolutePath().normalize();
        follow(key);
        List<Path> ready;
        try {
            ready = ReadySegments.all(key.getParent());
        } catch (IOException | RuntimeException e) {
            return;
        }
        Flight f;
        synchronized (this) {
            if (stopping || flights.containsKey(key) || stored.contains(key)) {
                return;
            }
            for (Path other : ready) {
                // stored ones only wait for PostgreSQL's rename; anything else (in flight included) is a backlog,
                // where renaming ahead saves whole archive_command calls
                if (!other.equals(key) && !stored.contains(other)) {
                    return;
                }
            }
            f = fly(key, Flight.background(Flight.Origin.ANTICIPATED));
            background++;
        }
        startInBackground(key, f);
    }

    /** Hands a claimed flight (counted in {@code background}) to a worker; undoes the claim if the pool stopped. */
    private void startInBackground(Path segment, Flight f) {
        try {
            workers.execute(() -> pushInBackground(segment, f));
        } catch (RejectedExecutionException stopped) {
            synchronized (this) {
                background--;
            }
            land(segment, f, null);
        }
    }

    private Flight fly(Path key, Flight f) {
        flights.put(key, f);
        return f;
    }

    private void push(Path walFile, Path file, Path key, SegmentStamp stamp, Flight mine) throws IOException {
        boolean ok = false;
        try {
            archiver.archive(walFile, file, 1);
            ok = true;
        } finally {
            land(key, mine, ok ? stamp : null);
        }
    }

    /** Ends a flight; {@code stamp} non-null when the file was stored. */
    private void land(Path key, Flight f, SegmentStamp stamp) {
        synchronized (this) {
            if (stamp != null) {
                stored.remember(key, stamp);
            }
            if (flights.get(key) == f) {
                flights.remove(key);
            }
            f.land();
        }
        f.stored.complete(stamp != null);
    }

    private static boolean await(Flight f) throws InterruptedIOException {
        try {
            return f.stored.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a background upload");
        } catch (ExecutionException notThrown) {
            return false;
        }
    }

    private void scanAfter(Path file, int poolSize) {
        int wanted = Math.min(limit, poolSize - 1);
        if (wanted < 1) {
            return;
        }
        Path walDir = file.getParent();
        synchronized (this) {
            if (stopping || !scansQueued.add(walDir)) {
                return; // the scan already queued for this directory serves this request too
            }
        }
        try {
            workers.execute(() -> scan(walDir, wanted));
        } catch (RejectedExecutionException stopped) {
            synchronized (this) {
                scansQueued.remove(walDir);
            }
        }
    }

    private void scan(Path walDir, int wanted) {
        List<Path> ready;
        try {
            ready = ReadySegments.all(walDir);
        } catch (IOException | RuntimeException e) {
            synchronized (this) {
                scansQueued.remove(walDir);
            }
            LOG.warning(LogEvent.msg("could not look for segments to push ahead")
                    .detail("Listing " + walDir.resolve("archive_status") + " failed: " + describe(e) + ".")
                    .kv("action", "push-wal"));
            return;
        }
        Map<Path, Flight> claimed = new HashMap<>();
        List<Path> order = new ArrayList<>();
        synchronized (this) {
            // a request answered from here on schedules a new scan; one answered during the listing finds its
            // newer segments pushed after the next request
            scansQueued.remove(walDir);
            boolean nextSeen = false;
            for (Path segment : ready) {
                if (stopping || background >= wanted) {
                    break;
                }
                if (stored.contains(segment)) {
                    continue; // stored, PostgreSQL has not renamed its .ready yet
                }
                if (!nextSeen) {
                    // the oldest: PostgreSQL's archiver hands it to archive_command right now, and renaming it under
                    // the archiver would only earn a WARNING in its log
                    nextSeen = true;
                    continue;
                }
                if (!flights.containsKey(segment)) {
                    claimed.put(segment, fly(segment, Flight.background(Flight.Origin.SCAN)));
                    order.add(segment);
                    background++;
                }
            }
        }
        for (Path segment : order) {
            startInBackground(segment, claimed.get(segment));
        }
    }

    private void pushInBackground(Path segment, Flight f) {
        SegmentStamp stamp = null;
        boolean ok = false;
        try {
            synchronized (this) {
                if (f.state() == Flight.State.TAKEN || stopping) {
                    return; // a request pushes it, or the daemon stops: abandoned before it started
                }
                f.start();
            }
            stamp = SegmentStamp.of(segment);
            ok = archiver.uploadIfPresent(segment) && stamp != null;
        } catch (IOException | RuntimeException e) {
            LOG.warning(LogEvent.msg("could not push a segment ahead")
                    .detail("Uploading \"" + segment + "\" in the background failed: " + describe(e)
                            + ". Its .ready file stays: PostgreSQL archives it through archive_command as usual.")
                    .kv("action", "push-wal").kv("seg", segment.getFileName().toString()).kv("state", "failed"));
        } finally {
            boolean markDone;
            String outcome;
            synchronized (this) {
                markDone = ok && f.marksDone();
                outcome = f.outcome();
            }
            if (markDone) {
                ReadySegments.markDone(segment);
            }
            if (ok) {
                LOG.info(LogEvent.msg("pushed a segment ahead")
                        .detail("Stored \"" + segment + "\" in the background; " + (markDone
                                ? "its .ready is now .done, so PostgreSQL need not call archive_command for it."
                                : outcome.equals("anticipated")
                                ? "it was marked ready a moment ago; its archive_command is answered from this upload."
                                : "PostgreSQL's archive_command for it waited for this upload."))
                        .kv("action", "push-wal").kv("seg", segment.getFileName().toString())
                        .kv("state", outcome));
            }
            land(segment, f, ok ? stamp : null); // a taken flight is no longer in the map: only completed
            synchronized (this) {
                background--;
            }
        }
    }

    /** No scan queued, no background upload queued or running (the daemon's idle exit; tests). */
    public synchronized boolean idle() {
        return background == 0 && scansQueued.isEmpty();
    }

    /** A request waits for the background upload of {@code file} (for tests). */
    synchronized boolean awaited(Path file) {
        Flight f = flights.get(file.toAbsolutePath().normalize());
        return f != null && f.state() == Flight.State.JOINED;
    }

    private static String describe(Exception e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /**
     * Daemon stop: no new scans or uploads; those running get {@code grace} to finish (and then their {@code .ready}
     * renamed, since they are stored), then they are interrupted: an interrupted upload stores nothing and renames
     * nothing, and PostgreSQL archives that segment as usual.
     */
    public void shutdown(Duration grace) {
        synchronized (this) {
            stopping = true;
        }
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException e) {
                // stopping anyway: the watcher's thread is a daemon thread
            }
        }
        if (early != null) {
            early.close();
        }
        workers.shutdown(); // queued uploads see `stopping` and end without starting
        try {
            if (!workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warning(LogEvent.msg("stopping with background uploads still running")
                        .detail(workers.getActiveCount() + " uploads did not finish within " + grace.toSeconds()
                                + " s and are abandoned; their .ready files stay, so PostgreSQL archives them."));
                workers.shutdownNow();
                workers.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
