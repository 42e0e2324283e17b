package org.walj.resident;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import org.walj.wal.PrefetchSpawner;

/**
 * The one seam between the daemon and the commands it serves: the entry points {@code WalPushCommand} and
 * {@code WalFetchCommand} call in a normal process, implemented by the CLI (which owns exit statuses, wal-fetch's
 * failure status and the error records). The daemon calls them with what it holds instead of what a process opens:
 * the archive it opened once, the client's paths resolved against the client's working directory, its background
 * push-ahead and prefetch. A failure comes back as the exit status, already reported as that process reports it.
 */
public interface WalCommands {

    /** How a segment is stored: the plain {@code WalArchiver}, or the daemon's push-ahead in front of it. */
    @FunctionalInterface
    interface Pusher {
        void archive(Path walFile, Path file, int poolSize) throws IOException;
    }

    /**
     * wal-push of {@code walFile} (as the client named it; {@code file} is where it is) through {@code pusher}.
     * {@code err}: the client's stderr, for what the CLI prints besides log records (a stack trace with WALJ_DEBUG).
     */
    int push(Path walFile, Path file, int poolSize, Pusher pusher, PrintWriter err);

    /** wal-fetch of {@code segment} to {@code destination}, with the client's {@code environment} (its settings). */
    int fetch(Map<String, String> environment, String segment, Path destination, int prefetch,
              PrefetchSpawner prefetcher, PrintWriter err);
}
