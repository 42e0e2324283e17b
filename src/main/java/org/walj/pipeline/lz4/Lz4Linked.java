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
        Source in = new Source(src, srcLength);
        int d = start;
        while (true) {
            if (in.at >= srcLength) {
                return -1;
            }
            int token = src[in.at++] & 0xFF;
            int literals = in.length(token >>> 4, limit);
            if (literals < 0 || literals > srcLength - in.at || literals > limit - d) {
                return -1;
            }
            System.arraycopy(src, in.at, dst, d, literals);
            in.at += literals;
            d += literals;
            if (in.at == srcLength) {
                return d - start; // the last sequence has literals only
            }
            if (srcLength - in.at < 2) {
                return -1;
            }
            int offset = (src[in.at] & 0xFF) | (src[in.at + 1] & 0xFF) << 8;
            in.at += 2;
            int match = in.length(token & 0x0F, limit);
            if (offset == 0 || offset > d || match < 0 || match + MIN_MATCH > limit - d) {
                return -1;
            }
            match += MIN_MATCH;
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

    /** The compressed block and the position in it. */
    private static final class Source {
        private final byte[] src;
        private final int length;
        int at;

        Source(byte[] src, int length) {
            this.src = src;
            this.length = length;
        }

        /** A token's 4-bit length, plus the bytes that extend it when it is 15; -1 if cut short or over limit. */
        int length(int nibble, int limit) {
            int n = nibble;
            if (n == 15) {
                int b;
                do {
                    if (at >= length) {
                        return -1;
                    }
                    b = src[at++] & 0xFF;
                    n += b;
                } while (b == 255 && n <= limit);
            }
            return n;
        }
    }
}
