package org.walj.backup;

import java.io.IOException;
import java.nio.file.Path;
import org.walj.WorkerThreads;

/**
 * fsyncs on a few threads ({@link WorkQueue}). The first failure is kept and thrown by {@link #submit} or
 * {@link #awaitAll}: a later fsync of the same file may not report it again, so no fsync is skipped silently. No thread
 * outlives a quiet second, also when the fetch fails before {@link #awaitAll}.
 */
final class ParallelSync implements AutoCloseable {
    private final WorkQueue queue;

    /** At most {@code 4 × threads} paths waiting at once (the submitter blocks): a walk of millions holds few. */
    static ParallelSync bounded(int threads, String name) {
        return new ParallelSync(threads, 4 * threads, name);
    }

    /** Submitting never waits (the fetch's write-behind: one path per large file). */
    static ParallelSync unbounded(int threads, String name) {
        return new ParallelSync(threads, WorkQueue.UNBOUNDED, name);
    }

    private ParallelSync(int threads, int waiting, String name) {
        this.queue = new WorkQueue(threads, waiting, WorkerThreads.numbered(name), "syncing restored files");
    }

    /** Queues an fsync of {@code path} (file or directory, never following a link); throws an earlier failure. */
    void submit(Path path) throws IOException {
        queue.submit(() -> {
            try {
                Durability.syncFile(path);
            } catch (IOException e) {
                throw new IOException("fsync of " + path + " failed: " + e.getMessage(), e);
            }
        });
    }

    /** Waits until every submitted fsync ran; throws the first failure. */
    void awaitAll() throws IOException {
        queue.awaitAll();
    }

    @Override
    public void close() {
        queue.close();
    }
}
