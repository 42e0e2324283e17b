package org.walj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Running out of heap is reported as one line naming the limit and how to raise it, wherever it happened. */
class OutOfMemoryTest {

    @Test
    void foundInAWorkersWrappedFailure() {
        OutOfMemoryError oom = new OutOfMemoryError("Java heap space");
        assertSame(oom, OutOfMemory.in(new IOException("compressing a block failed: " + oom, oom)).orElseThrow());
        assertTrue(OutOfMemory.in(new IOException("disk full")).isEmpty());
        assertEquals(ExitStatus.ERROR, ErrorReporter.exitStatus(new IOException("x", oom)));
    }

    @Test
    void theLineNamesWhatRanOutAndTheLimit() {
        String line = OutOfMemory.message(new OutOfMemoryError("Java heap space"));
        assertTrue(line.matches("out of memory \\(Java heap space\\) with a heap of at most [0-9]+ MiB"), line);
        assertTrue(OutOfMemory.HINT.contains("WALJ_JAVA_OPTS=-Xmx"), OutOfMemory.HINT);
    }
}
