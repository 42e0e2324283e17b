package org.walj.backup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walj.storage.ResumingStream;
import org.walj.storage.RetryPolicy;
import org.walj.storage.file.FileStorage;

/** backup-fetch's partition reads over a storage that reads whole objects only. */
class ResumingReadTest {
    private static final String KEY = "basebackups_005/base_1/tar_partitions/part_00000000.tar.lzo";
    private static final RetryPolicy QUICK = new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(2),
            Duration.ofSeconds(30));

    @TempDir
    Path dir;

    private static byte[] content() {
        byte[] b = new byte[100_000];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 7 + i / 509);
        }
        return b;
    }

    private FileStorage stored(byte[] content) throws IOException {
        FileStorage files = new FileStorage(dir);
        files.put(KEY, new ByteArrayInputStream(content), null);
        return files;
    }

    /** Continued at the byte reached: the bytes before it are read again and dropped, never handed on twice. */
    @Test
    void aBrokenReadIsContinuedWhereItStopped() throws IOException {
        byte[] content = content();
        FileStorage files = stored(content);
        DeltaRestoreTest.CountingStorage flaky = new DeltaRestoreTest.CountingStorage(files, 2, 40_000);
        LongAdder moved = new LongAdder();
        try (ResumingStream in = ResumingRead.open(flaky, KEY, QUICK, moved)) {
            assertArrayEquals(content, in.readAllBytes());
            assertEquals(2, in.resumes());
        }
        assertEquals(3, flaky.readsOf("part_00000000.tar.lzo"));
        assertEquals(40_000 + 40_000 + content.length, moved.sum(), "the dropped bytes count as moved");
    }

    /** An object shorter than the bytes already read has changed: refused, not continued. */
    @Test
    void anObjectNowShorterIsRefusedAsChanged() throws IOException {
        byte[] content = content();
        FileStorage files = stored(content);
        DeltaRestoreTest.CountingStorage flaky = new DeltaRestoreTest.CountingStorage(files, 1, 60_000);
        try (ResumingStream in = ResumingRead.open(flaky, KEY, QUICK, new LongAdder())) {
            in.readNBytes(50_000);
            files.put(KEY, new ByteArrayInputStream(Arrays.copyOf(content, 30_000)), null);
            assertThrows(ResumingStream.ChangedObjectException.class, in::readAllBytes);
        }
    }
}
