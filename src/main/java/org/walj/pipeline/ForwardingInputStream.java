package org.walj.pipeline;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A filter whose subclasses override {@link #read(byte[], int, int)} alone: {@link #read()} and {@link #skip} go
 * through it, so a subclass that checks, counts or translates what passes sees every byte and every failure, skipped
 * ones included. Mark and reset are refused: a reset would show the subclass the same bytes twice.
 */
public abstract class ForwardingInputStream extends FilterInputStream {
    private static final int SKIP_BUFFER = 8192;

    protected ForwardingInputStream(InputStream in) {
        super(in);
    }

    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        int n;
        do {
            n = read(one, 0, 1);
        } while (n == 0);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    /** Reads (and drops) up to {@code n} bytes, stopping early only at the end of the stream. */
    @Override
    public final long skip(long n) throws IOException {
        if (n <= 0) {
            return 0;
        }
        byte[] scratch = new byte[(int) Math.min(n, SKIP_BUFFER)];
        long skipped = 0;
        while (skipped < n) {
            int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public final boolean markSupported() {
        return false;
    }

    @Override
    public final synchronized void mark(int readlimit) {
    }

    @Override
    public final synchronized void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }
}
