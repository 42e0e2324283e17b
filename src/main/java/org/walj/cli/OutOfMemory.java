package org.walj.cli;

import java.util.Optional;

/**
 * The one line an operator gets when the heap ran out, wherever it happened (the main thread, or a worker whose
 * failure came back wrapped in an IOException): what ran out, the limit, and how to raise it. Built without
 * allocating much: the heap is full when it is needed.
 */
final class OutOfMemory {
    private OutOfMemory() {
    }

    /** The OutOfMemoryError in {@code t}'s cause chain, if any. */
    static Optional<OutOfMemoryError> in(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof OutOfMemoryError oom) {
                return Optional.of(oom);
            }
        }
        return Optional.empty();
    }

    /** E.g. {@code out of memory (Java heap space) with a heap of at most 256 MiB}. */
    static String message(OutOfMemoryError e) {
        String what = e.getMessage() == null ? "" : " (" + e.getMessage() + ")";
        return "out of memory" + what + " with a heap of at most " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB";
    }

    static final String HINT = "Give the JVM more with WALJ_JAVA_OPTS=-Xmx1g (the launcher's default is -Xmx256m), "
            + "or a smaller --pool-size; please report the command and the size of the cluster or backup.";
}
