package org.walj.wal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.walj.WorkerThreads;
import org.walj.layout.WalFileName;
import org.walj.postgres.SegmentName;

/**
 * The internal {@code wal-prefetch BASE SEGMENT…}: downloads segments into the prefetch area in parallel, each into
 * its {@code running/} directory first and renamed into place only after it decoded with every checksum verified and
 * its {@link PrefetchRecord} was stored.
 */
public final class WalPrefetcher {
    private final WalRestorer restorer;

    public WalPrefetcher(WalRestorer restorer) {
        this.restorer = restorer;
    }

    /** Returns the segments that could not be prefetched (absent from the archive, or failed). */
    public List<SegmentName> prefetch(Path base, List<SegmentName> segments, int parallelism) throws IOException {
        PrefetchDirectory area = new PrefetchDirectory(base);
        area.create();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(parallelism, segments.size())),
                WorkerThreads.named("wal-prefetch"));
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (SegmentName s : segments) {
                results.add(pool.submit(() -> prefetchOne(area, s)));
            }
            List<SegmentName> failed = new ArrayList<>();
            for (int i = 0; i < segments.size(); i++) {
                if (!succeeded(results.get(i))) {
                    failed.add(segments.get(i));
                }
            }
            return failed;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Downloads one segment, already claimed, into the area under {@code base} (the daemon's prefetch task); false
     * when the archive has no object for it. A failure throws, and leaves nothing in the area.
     */
    public boolean prefetch(Path base, SegmentName segment) throws IOException {
        return prefetchOne(new PrefetchDirectory(base), segment);
    }

    private boolean prefetchOne(PrefetchDirectory area, SegmentName s) throws IOException {
        Path runningDir = area.runningDir(s);
        try {
            // wal-fetch claims the directory before starting us; WAL-E's own prefetcher creates it itself.
            Files.createDirectories(runningDir);
            Optional<WalRestorer.Found> found = restorer.open(new WalFileName(s.toString()));
            if (found.isEmpty()) {
                return false;
            }
            Path tmp = Files.createTempFile(runningDir, "tmp", "");
            Files.delete(tmp);
            PrefetchRecord.Digesting written = WalRestorer.decode(found.get(), tmp, PrefetchRecord.Digesting::new);
            // the record first: wal-fetch promotes only a file whose record exists and matches
            area.writeRecord(s, written.record(s.toString(), restorer.archiveUrl()), runningDir);
            Files.move(tmp, area.completed(s), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return true;
        } finally {
            PrefetchDirectory.deleteQuietly(runningDir);
        }
    }

    private static boolean succeeded(Future<Boolean> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return false;
        }
    }
}
