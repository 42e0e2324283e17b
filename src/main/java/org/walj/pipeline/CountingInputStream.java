package org.walj.pipeline;

import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the bytes read through it: for the transfer rates WAL-E logs, a tar member's size, a position in a stream.
 * Subclasses that look at the bytes too call {@code super.read} and find the bytes before them at
 * {@code count() - n}.
 */
public class CountingInputStream extends ForwardingInputStream {
    private long count;

    public CountingInputStream(InputStream in) {
        super(in);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
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
