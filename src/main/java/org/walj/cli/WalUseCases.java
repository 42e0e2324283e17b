package org.walj.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import org.walj.UserException;
import org.walj.archive.Archive;
import org.walj.layout.WalFileName;
import org.walj.resident.WalCommands;
import org.walj.settings.Settings;
import org.walj.wal.PrefetchSpawner;
import org.walj.wal.WalFetch;
import org.walj.wal.WalRestorer;

/**
 * wal-push's and wal-fetch's entry points: {@link WalPushCommand} and {@link WalFetchCommand} call them in a normal
 * process, the resident daemon through {@link WalCommands} for a client, with the archive it opened once. One copy
 * of what the two commands do, so a request answered by the daemon ends exactly as the process would have.
 */
final class WalUseCases implements WalCommands {
    private final Archive archive;
    private final Settings settings;

    /** For the daemon: {@code archive} stays open across requests; {@code settings} are the daemon's. */
    WalUseCases(Archive archive, Settings settings) {
        this.archive = archive;
        this.settings = settings;
    }

    static int push(Pusher pusher, Path walFile, Path file, int poolSize) throws IOException {
        pusher.archive(walFile, file, poolSize);
        return ExitStatus.OK;
    }

    /**
     * Restores {@code segment}: 0, or wal-fetch's "not in the archive"; any failure is thrown as
     * {@link FailureExit.Failed} with the configured failure status.
     */
    static int fetch(Settings env, Supplier<Archive> open, String segment, Path destination, int prefetch,
                     PrefetchSpawner prefetcher) {
        // first, before anything that can fail: a bad setting must stop recovery whatever the segment
        FailureExit failureExit = FailureExit.from(env);
        try (Archive archive = open.get()) {
            if (!WalFileName.isSafe(segment)) {
                throw new UserException("invalid WAL file name \"" + segment + "\"",
                        "A WAL file name is a plain file name such as 000000010000000000000002 or 00000002.history.",
                        "restore_command should read: wal-j wal-fetch \"%f\" \"%p\"");
            }
            WalRestorer.Outcome outcome = new WalFetch(archive, prefetcher)
                    .fetch(new WalFileName(segment), destination, Math.max(0, prefetch));
            return outcome == WalRestorer.Outcome.RESTORED ? ExitStatus.OK : ExitStatus.fetchNotFound();
        } catch (Exception | Error e) { // an Error too: the JVM would end with 1, "not in the archive"
            throw new FailureExit.Failed(failureExit.status(), e);
        }
    }

    @Override
    public int push(Path walFile, Path file, int poolSize, Pusher pusher, PrintWriter err) {
        try {
            return push(pusher, walFile, file, poolSize);
        } catch (Exception e) {
            // WALJ_DEBUG is a must-match setting: the daemon's value is the client's
            return ErrorReporter.handle(e, err, settings);
        }
    }

    @Override
    public int fetch(Map<String, String> environment, String segment, Path destination, int prefetch,
                     PrefetchSpawner prefetcher, PrintWriter err) {
        Settings client = settings.forClient(environment);
        try {
            return fetch(client, archive::sharedView, segment, destination, prefetch, prefetcher);
        } catch (Exception e) {
            return ErrorReporter.handle(e, err, client);
        }
    }
}
