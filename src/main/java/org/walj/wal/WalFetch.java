package org.walj.wal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.walj.archive.Archive;
import org.walj.layout.WalFileName;
import org.walj.logging.LogEvent;
import org.walj.logging.LoggerNames;
import org.walj.logging.WalELog;
import org.walj.postgres.SegmentName;

/**
 * wal-fetch as PostgreSQL's restore_command: serves the segment from the prefetch area when a background
 * {@code wal-prefetch} already verified it, starts prefetching the next ones, and otherwise downloads in-band.
 */
public final class WalFetch {
    private static final WalELog LOG = WalELog.get(LoggerNames.OPERATOR_BACKUP);
    /** A download younger than this may not have written its first byte yet: the JVM is still starting. */
    private static final long STARTING_GRACE_MILLIS = 3_000;
    /** A download that wrote nothing for this long is given up on; the in-band download takes over. */
    private static final long STALL_MILLIS = 1_000;
    private static final long POLL_MILLIS = 50;

    private final Archive archive;
    private final WalRestorer restorer;
    private final PrefetchSpawner spawner;

    public WalFetch(Archive archive, PrefetchSpawner spawner) {
        this.archive = archive;
        this.restorer = new WalRestorer(archive);
        this.spawner = spawner;
    }

    public WalRestorer.Outcome fetch(WalFileName name, Path destination, int prefetchCount) throws IOException {
        Optional<SegmentName> segment = name.segment();
        if (prefetchCount <= 0 || segment.isEmpty()) {
            return restorer.restore(name, destination);
        }
        PrefetchDirectory area;
        try {
            area = PrefetchDirectory.forDestination(destination);
            area.create();
        } catch (IOException e) {
            LOG.warning(LogEvent.msg("could not create prefetch directory")
                    .detail("Prefetching is off for this call: " + e.getMessage())
                    .kv("action", "wal-fetch").kv("seg", name.value()));
            return restorer.restore(name, destination);
        }
        Set<SegmentName> future = futureSegments(segment.get(), prefetchCount);
        startPrefetches(area, future, prefetchCount);
        boolean promoted = awaitAndPromote(area, segment.get(), destination);
        area.clearExcept(future);
        if (promoted) {
            LOG.info(LogEvent.msg("promoted prefetched wal segment")
                    .kv("action", "wal-fetch").kv("prefix", archive.prefix().pathPrefix()).kv("seg", name.value()));
            return WalRestorer.Outcome.RESTORED;
        }
        return restorer.restore(name, destination);
    }

    static Set<SegmentName> futureSegments(SegmentName from, int count) {
        Set<SegmentName> names = new LinkedHashSet<>();
        SegmentName s = from;
        for (int i = 0; i < count; i++) {
            s = s.next();
            names.add(s);
        }
        return names;
    }

    /**
     * Claims the missing future segments and starts their downloads, one process for all of them. A JVM start costs
     * more than a download, so a process's window is refilled in batches (only once at least half of it is missing);
     * the daemon's own tasks refill it at every call ({@link PrefetchSpawner#refillAt}).
     */
    private void startPrefetches(PrefetchDirectory area, Set<SegmentName> future, int prefetchCount) {
        List<SegmentName> missing = new ArrayList<>();
        for (SegmentName s : future) {
            if (!area.isCompleted(s) && !area.isRunning(s)) {
                missing.add(s);
            }
        }
        if (missing.isEmpty() || missing.size() < Math.max(1, spawner.refillAt(prefetchCount))) {
            return;
        }
        List<SegmentName> claimed = new ArrayList<>();
        try {
            for (SegmentName s : missing) {
                if (area.claim(s)) {
                    claimed.add(s);
                }
            }
            if (!claimed.isEmpty()) {
                spawner.spawn(area.base(), claimed);
            }
        } catch (IOException | RuntimeException e) {
            claimed.forEach(s -> PrefetchDirectory.deleteQuietly(area.runningDir(s)));
            LOG.warning(LogEvent.msg("could not start prefetching")
                    .detail(String.valueOf(e.getMessage()))
                    .kv("action", "wal-fetch"));
        }
    }

    /**
     * Waits for a running prefetch of {@code s} while it makes progress, then moves it into place. A download the
     * spawner runs itself (the daemon's) is waited for until it ended, and the wait ends as soon as it did, but no
     * longer than the spawner's deadline (false then: the segment is downloaded in-band, never "not found").
     */
    private boolean awaitAndPromote(PrefetchDirectory area, SegmentName s, Path destination) throws IOException {
        long lastSize = -1;
        long lastProgress = System.nanoTime();
        long ownSince = -1; // when this request first saw the spawner's own task for s
        while (true) {
            if (promote(area, s, destination)) {
                return true;
            }
            long size = area.runningBytes(s);
            if (size < 0) {
                // the download may have finished between the two looks
                return promote(area, s, destination);
            }
            long now = System.nanoTime();
            if (spawner.runs(area.base(), s)) {
                // queued behind other segments' tasks, or decoding: a second download beside it would only double
                // the work (and, on a loaded host, the wait), unless the task is stuck
                ownSince = ownSince < 0 ? now : ownSince;
                if (now - ownSince > ownDownloadDeadlineNanos()) {
                    LOG.warning(LogEvent.msg("gave up waiting for a prefetch")
                            .detail("The daemon's download of " + s + " did not end within "
                                    + (now - ownSince) / 1_000_000 + " ms; downloading it from the archive instead.")
                            .kv("action", "wal-fetch").kv("seg", s.toString()));
                    return promote(area, s, destination);
                }
                lastProgress = now;
            } else if (size > lastSize) {
                lastSize = size;
                lastProgress = now;
            } else {
                long patienceMillis = size == 0 ? STARTING_GRACE_MILLIS : STALL_MILLIS;
                if ((now - lastProgress) / 1_000_000 > patienceMillis) {
                    return false;
                }
            }
            try {
                spawner.awaitProgress(area.base(), s, POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** Never shorter than the patience for another process's download to write its first byte. */
    private long ownDownloadDeadlineNanos() {
        return Math.max(STARTING_GRACE_MILLIS, spawner.ownDownloadDeadline().toMillis()) * 1_000_000;
    }

    /**
     * Promotes only what wal-j's prefetcher verified: the file is first taken out of the area (renamed beside DEST,
     * so nothing can change it between the check and the rename onto DEST), then compared with its record. A file
     * without a matching record is discarded, and the segment downloaded in-band.
     */
    private boolean promote(PrefetchDirectory area, SegmentName s, Path destination) throws IOException {
        if (!area.isCompleted(s)) {
            return false;
        }
        Optional<PrefetchRecord> record = area.readRecord(s);
        Path taken = WalRestorer.temporarySibling(destination);
        try {
            Files.move(area.completed(s), taken, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException raced) {
            return false;
        }
        try {
            if (record.isEmpty() || !matches(record.get(), taken, s)) {
                LOG.warning(LogEvent.msg("discarded a prefetched file wal-j did not verify")
                        .detail((record.isEmpty() ? "There is no record of what was verified"
                                : "It does not match the record of what was verified") + " for " + s
                                + "; downloading it from the archive instead.")
                        .kv("action", "wal-fetch").kv("seg", s.toString()));
                return false;
            }
            Files.move(taken, destination, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return true;
        } finally {
            Files.deleteIfExists(taken);
            PrefetchDirectory.deleteQuietly(area.record(s));
        }
    }

    /** A regular file (not a link to one) with the recorded size and checksum; unreadable is no match. */
    private boolean matches(PrefetchRecord record, Path file, SegmentName s) {
        try {
            return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                    && record.describes(file, s.toString(), restorer.archiveUrl());
        } catch (IOException | InternalError unreadable) {
            // InternalError: the JDK's report of a mapped file cut short while it was read (PrefetchRecord maps it)
            return false;
        }
    }
}
