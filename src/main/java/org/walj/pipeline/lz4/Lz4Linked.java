package org.walj.pipeline.lz4;

/**
 * Decompresses the blocks of a frame with linked blocks ({@code lz4 -BD}), in order: a match may reach back into the
 * last 64 KiB of the blocks before. lz4-java's decompressors accept no such history, so the LZ4 block format
 * (sequences of a token, literals, a 2-byte offset and a match length) is decoded here, every length and offset
 * checked against both buffers. Rare input (the lz4 tool's default is independent blocks), so written for clarity,
 * not speed.
 */
final class Lz4Linked {
    static final int WINDOW = 64 * 1024;
    private static final int MIN_MATCH = 4;

    private byte[] buffer = new byte[0]; // [history][block being decoded]
    private int history;

    /** A new frame: no history. */
    void reset() {
        history = 0;
    }

    /**
     * Decodes {@code src[0, srcLength)} after the history into {@code out} (at least {@code maxSize} long); returns
     * the decoded length, or -1 if the data are not valid LZ4 or decode to more than {@code maxSize}.
     */
    int decompress(byte[] src, int srcLength, byte[] out, int maxSize) {
        ensure(history + maxSize);
        int n = decode(src, srcLength, buffer, history, history + maxSize);
        if (n < 0) {
            return -1;
        }
        System.arraycopy(buffer, history, out, 0, n);
        keep(n);
        return n;
    }

    /** A block stored without compression still belongs to the history. */
    void stored(byte[] data, int n) {
        ensure(history + n);
        System.arraycopy(data, 0, buffer, history, n);
        keep(n);
    }

    private void ensure(int size) {
        if (buffer.length < size) {
            byte[] bigger = new byte[size];
            System.arraycopy(buffer, 0, bigger, 0, history);
            buffer = bigger;
        }
    }

    /** After {@code n} new bytes at {@code history}: the last 64 KiB become the history. */
    private void keep(int n) {
        int total = history + n;
        int kept = Math.min(WINDOW, total);
        System.arraycopy(buffer, total - kept, buffer, 0, kept);
        history = kept;
    }

    /** Decodes into {@code dst[start, limit)}; matches may reach back to index 0. Returns the length or -1. */
    static int decode(byte[] src, int srcLength, byte[] dst, int start, int limit) {
        int s = 0;
        int d = start;
        while (true) {
            if (s >= srcLength) {
                return -1;
            }
            int token = src[s++] & 0xFF;
            int literals = token >>> 4;
            if (literals == 15) {
                int b;
                do {
                    if (s >= srcLength) {
                        return -1;
                    }
                    b = src[s++] & 0xFF;
                    literals += b;
                } while (b == 255 && literals <= limit);
            }
            if (literals > srcLength - s || literals > limit - d) {
                return -1;
            }
            System.arraycopy(src, s, dst, d, literals);
            s += literals;
            d += literals;
            if (s == srcLength) {
                return d - start; // the last sequence has literals only
            }
            if (srcLength - s < 2) {
                return -1;
            }
            int offset = (src[s] & 0xFF) | (src[s + 1] & 0xFF) << 8;
            s += 2;
            if (offset == 0 || offset > d) {
                return -1;
            }
            int match = token & 0x0F;
            if (match == 15) {
                int b;
                do {
                    if (s >= srcLength) {
                        return -1;
                    }
                    b = src[s++] & 0xFF;
                    match += b;
                } while (b == 255 && match <= limit);
            }
            match += MIN_MATCH;
            if (match > limit - d) {
                return -1;
            }
            int from = d - offset;
            if (offset >= match) {
                System.arraycopy(dst, from, dst, d, match);
            } else {
                for (int i = 0; i < match; i++) { // overlapping: repeats the last offset bytes
                    dst[d + i] = dst[from + i];
                }
            }
            d += match;
        }
    }
}
