package org.walj.backup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import org.walj.WorkerThreads;
import org.walj.layout.ManifestEntry;

/**
 * The delta scan's hashing of files in place, on worker threads while the scan walks on ({@link #queue}): the walk
 * hands each file over as it finds it and waits only when {@link #BACKLOG_PER_THREAD} files per thread are queued, so
 * nothing holds a list of every file, and reading (a cold cache's disk) overlaps the walk.
 */
final class FileHashing {
    private static final int BACKLOG_PER_THREAD = 64;
    /** Large reads: on a cold cache the kernel then reads ahead in large requests. */
    private static final int READ_BYTES = 1 << 20;
    private static final ThreadLocal<ByteBuffer> BUFFER = ThreadLocal.withInitial(
            () -> ByteBuffer.allocateDirect(READ_BYTES));

    private FileHashing() {
    }

    /** The queue the scan submits its hashing to, on {@code threads} threads. */
    static WorkQueue queue(int threads) {
        return new WorkQueue(threads, threads * BACKLOG_PER_THREAD, WorkerThreads.named("backup-fetch-delta"),
                "waiting for the hashing threads");
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
