package org.walj.pipeline;

import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the bytes read through it: for the transfer rates WAL-E logs, a tar member's size, a position in a stream.
 * Subclasses that look at the bytes too read {@code in} themselves and report each read with {@link #counted}, then
 * find the bytes before them at {@code count() - n}: a call to {@code in.read} of their own keeps the JIT's profile
 * of that call to the one stream class below them, where a shared {@code super.read} would see the streams below
 * every subclass (tar, decoder, encoder) and compile them all into each caller (docs/performance.md, "The JIT's share
 * of backup-push and backup-fetch").
 */
public class CountingInputStream extends ForwardingInputStream {
    private long count;

    public CountingInputStream(InputStream in) {
        super(in);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        return counted(in.read(b, off, len));
    }

    /** Counts what one read of {@code in} returned ({@code n} bytes, or -1 or 0) and returns it. */
    protected final int counted(int n) {
        if (n > 0) {
            count += n;
        }
        return n;
    }

    /** Bytes read (or skipped) so far. */
    public final long count() {
        return count;
    }
}
