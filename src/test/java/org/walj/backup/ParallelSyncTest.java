package org.walj.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ParallelSyncTest {
    @TempDir
    Path tmp;

    /** Many more paths than the queue holds: every one is synced, the submitter waiting for room. */
    @Test
    void syncsEveryPathThroughABoundedQueue() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("d"));
        for (int i = 0; i < 500; i++) {
            Files.write(dir.resolve("f" + i), new byte[] {(byte) i});
        }
        try (ParallelSync sync = ParallelSync.bounded(3, "test-fsync-")) {
            for (int i = 0; i < 500; i++) {
                sync.submit(dir.resolve("f" + i));
            }
            sync.submit(dir);
            sync.awaitAll();
        }
        Durability.syncTree(tmp); // the walk the fetch runs: files and directories, no failure
    }

    /** A path that cannot be synced fails the whole pass, named; a later submit reports it too. */
    @Test
    void aFailedSyncIsThrownNotSkipped() throws Exception {
        Path missing = tmp.resolve("missing");
        ParallelSync sync = ParallelSync.bounded(2, "test-fsync-");
        try {
            sync.submit(missing);
            IOException e = assertThrows(IOException.class, sync::awaitAll);
            assertTrue(e.getMessage().startsWith("fsync of " + missing + " failed"), e.getMessage());
        } finally {
            sync.close();
        }
        ParallelSync next = ParallelSync.bounded(1, "test-fsync-");
        try {
            next.submit(missing);
            // the failure is kept: a submit after it has run throws it
            IOException e = null;
            for (int i = 0; i < 200 && e == null; i++) {
                try {
                    Thread.sleep(10);
                    next.submit(tmp);
                } catch (IOException thrown) {
                    e = thrown;
                }
            }
            assertTrue(e != null && e.getMessage().contains(missing.toString()), String.valueOf(e));
        } finally {
            next.close();
        }
    }

    /** A symbolic link is never followed: syncing one fails (O_NOFOLLOW) instead of touching its target. */
    @Test
    void linksAreNotFollowed() throws IOException {
        Path target = Files.write(tmp.resolve("target"), new byte[1]);
        Path link = Files.createSymbolicLink(tmp.resolve("link"), target);
        try (ParallelSync sync = ParallelSync.bounded(1, "test-fsync-")) {
            sync.submit(link);
            assertThrows(IOException.class, sync::awaitAll);
        }
        assertEquals(1, Files.size(target));
    }
}
