package org.walj.resident;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.walj.postgres.WalNames;

/**
 * Tells the moment PostgreSQL marks a segment ready ({@code archive_status/<segment>.ready} created). PostgreSQL
 * creates that file and then starts {@code archive_command}; the daemon hears of it here (inotify on Linux) and can
 * start the upload while the command's JVM is still starting. Only plain segments are reported, as WAL-E's parallel
 * mode takes only those.
 */
final class ReadyWatcher implements Closeable {

    private final WatchService service;
    private final Consumer<Path> onReady;
    private final Thread thread;
    /** Registered WAL directories by their watch key; guarded by this. */
    private final Map<WatchKey, Path> walDirs = new HashMap<>();

    /** {@code onReady} gets the segment's path in its WAL directory; it runs on the watcher's thread, so it must not block. */
    ReadyWatcher(Consumer<Path> onReady) throws IOException {
        this.service = FileSystems.getDefault().newWatchService();
        this.onReady = onReady;
        this.thread = new Thread(null, this::run, "wal-j-ready-watcher", 0, false);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Starts watching {@code walDir}'s {@code archive_status/}. Watching a directory twice is harmless: the watch
     * service hands out the same key again.
     */
    synchronized void watch(Path walDir) throws IOException {
        Path dir = walDir.toAbsolutePath().normalize();
        walDirs.put(dir.resolve("archive_status").register(service, StandardWatchEventKinds.ENTRY_CREATE), dir);
    }

    synchronized boolean watches(Path walDir) {
        return walDirs.containsValue(walDir.toAbsolutePath().normalize());
    }

    private void run() {
        try {
            while (true) {
                WatchKey key = service.take();
                Path walDir;
                synchronized (this) {
                    walDir = walDirs.get(key);
                }
                for (WatchEvent<?> event : key.pollEvents()) {
                    // an OVERFLOW lost some names: the scan after the next request finds those segments
                    if (walDir != null && event.context() instanceof Path name
                            && WalNames.READY_SEGMENT.matcher(name.toString()).matches()) {
                        String file = name.toString();
                        onReady.accept(walDir.resolve(file.substring(0, file.length() - WalNames.READY_SUFFIX.length())));
                    }
                }
                if (!key.reset()) {
                    synchronized (this) {
                        walDirs.remove(key); // the directory went away (e.g. the cluster was removed)
                    }
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException stopped) {
            // close()
        }
    }

    @Override
    public void close() throws IOException {
        service.close();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
