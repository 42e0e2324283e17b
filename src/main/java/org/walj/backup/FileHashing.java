package org.walj.backup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.walj.TaskFailure;
import org.walj.WorkerThreads;
import org.walj.layout.ManifestEntry;

/**
 * The delta scan's hashing of files in place, on worker threads while the scan walks on: the walk hands each file
 * over as it finds it and waits only when {@link #BACKLOG_PER_THREAD} files per thread are queued, so nothing holds
 * a list of every file, and reading (a cold cache's disk) overlaps the walk. The first failure is thrown by
 * {@link #finish}, after every task has stopped.
 */
final class FileHashing implements AutoCloseable {
    private static final int BACKLOG_PER_THREAD = 64;
    /** Large reads: on a cold cache the kernel then reads ahead in large requests. */
    private static final int READ_BYTES = 1 << 20;
    private static final ThreadLocal<ByteBuffer> BUFFER = ThreadLocal.withInitial(
            () -> ByteBuffer.allocateDirect(READ_BYTES));

    @FunctionalInterface
    interface Task {
        void run() throws IOException;
    }

    private final ExecutorService pool;
    private final Semaphore backlog;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    FileHashing(int threads) {
        this.pool = Executors.newFixedThreadPool(threads, WorkerThreads.named("backup-fetch-delta"));
        this.backlog = new Semaphore(threads * BACKLOG_PER_THREAD);
    }

    /** Runs {@code task} on a worker; waits while the backlog is full; throws an earlier task's failure. */
    void submit(Task task) throws IOException {
        rethrow();
        try {
            backlog.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the hashing threads");
        }
        pool.execute(() -> {
            try {
                if (failure.get() == null) {
                    task.run();
                }
            } catch (IOException | RuntimeException | Error e) {
                failure.compareAndSet(null, e);
            } finally {
                backlog.release();
            }
        });
    }

    /** Waits for every task; throws the first failure. */
    void finish() throws IOException {
        pool.shutdown();
        try {
            while (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
                rethrow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the hashing threads");
        }
        rethrow();
    }

    /** After a failure of the walk: stops the workers and waits for them, so nothing is still removing files. */
    @Override
    public void close() {
        pool.shutdownNow();
        try {
            pool.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void rethrow() throws IOException {
        Throwable t = failure.get();
        if (t != null) {
            throw TaskFailure.of(t);
        }
    }

    /** SHA-256 of {@code file}'s content, read without following a link. */
    static byte[] sha256(Path file) throws IOException {
        MessageDigest sha = ManifestEntry.newDigest();
        ByteBuffer buffer = BUFFER.get();
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            while (true) {
                buffer.clear();
                if (in.read(buffer) < 0) {
                    break;
                }
                buffer.flip();
                sha.update(buffer);
            }
        }
        return sha.digest();
    }
}
