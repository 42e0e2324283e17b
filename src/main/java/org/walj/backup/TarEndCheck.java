package org.walj.backup;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Watches a tar stream for its end-of-archive marker (at least two zero 512-byte blocks after the last data).
 * Commons Compress ends quietly at end of input even when the marker is missing, so a tar cut at a block
 * boundary would pass as complete. {@link #drainAndCheck} also reads the stream to its end, so the decompressor
 * below verifies its own trailer and checksums (lzop's end-of-stream block) even after tar has stopped reading.
 */
final class TarEndCheck extends FilterInputStream {
    private static final int BLOCK = 512;
    private long position;
    private long endOfLastNonZero;

    TarEndCheck(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            position++;
            if (b != 0) {
                endOfLastNonZero = position;
            }
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        if (n > 0) {
            for (int i = off + n - 1; i >= off; i--) {
                if (buf[i] != 0) {
                    endOfLastNonZero = position + (i - off) + 1;
                    break;
                }
            }
            position += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // skipping would hide bytes from the check: read them instead
        byte[] scratch = new byte[(int) Math.min(n, 8192)];
        int r = read(scratch, 0, scratch.length);
        return Math.max(r, 0);
    }

    /** Reads what is left, then fails unless the stream ended with tar's two zero blocks. */
    void drainAndCheck() throws IOException {
        byte[] buf = new byte[8192];
        while (read(buf, 0, buf.length) >= 0) {
            // consume
        }
        long dataEnd = (endOfLastNonZero + BLOCK - 1) / BLOCK * BLOCK;
        if (position - dataEnd < 2L * BLOCK) {
            throw new IOException("the tar stream is truncated: it ends without tar's end-of-archive blocks");
        }
    }
}
