package org.walj.backup;

import java.io.IOException;
import java.io.InputStream;
import org.walj.pipeline.CountingInputStream;

/**
 * Watches a tar stream for its end-of-archive marker: at least two zero 512-byte blocks where the next header would
 * be, and nothing but zeros after them. Commons Compress ends quietly at end of input even when the marker is missing,
 * so a tar cut at a block boundary would pass as complete; and it stops at the first zero block, so whatever follows
 * (another archive, a member a lenient reader such as {@code tar -i} would extract) would pass unseen.
 * {@link #drainAndCheck} also reads the stream to its end, so the decompressor below verifies its own trailer and
 * checksums (lzop's end-of-stream block) even after tar has stopped reading.
 */
final class TarEndCheck extends CountingInputStream {
    private static final int BLOCK = 512;
    /** Where the header being looked for starts: the block boundary after the previous member's data. */
    private long headerAt;
    /** The first non-zero byte at or after {@link #headerAt}, or -1. */
    private long firstNonZeroFromHeader = -1;

    TarEndCheck(InputStream in) {
        super(in);
    }

    /** Called before each header is read: from here on, a non-zero byte means there is a header (or garbage). */
    void nextHeaderAt() {
        headerAt = (count() + BLOCK - 1) / BLOCK * BLOCK;
        firstNonZeroFromHeader = -1;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = counted(in.read(buf, off, len));
        if (n > 0) {
            long position = count() - n;
            if (firstNonZeroFromHeader < 0) {
                for (int i = (int) Math.max(0, Math.min(n, headerAt - position)); i < n; i++) {
                    if (buf[off + i] != 0) {
                        firstNonZeroFromHeader = position + i;
                        break;
                    }
                }
            }
        }
        return n;
    }

    /**
     * After the tar reader found no further header: reads what is left, then fails unless it was tar's two zero
     * blocks followed by nothing but zeros (the padding of the last record).
     */
    void drainAndCheck() throws IOException {
        byte[] buf = new byte[8192];
        while (read(buf, 0, buf.length) >= 0) {
            // consume
        }
        if (firstNonZeroFromHeader >= 0) {
            throw new IOException("the tar stream has data after its end-of-archive blocks (at byte "
                    + firstNonZeroFromHeader + " of " + count() + ")");
        }
        if (count() - headerAt < 2L * BLOCK) {
            throw new IOException("the tar stream is truncated: it ends without tar's end-of-archive blocks");
        }
    }
}
