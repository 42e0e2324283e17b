package org.walj.pipeline;

/**
 * Encodes single blocks exactly as a {@link CompressionCodec}'s encoder encodes them inside a stream, for a
 * {@link BlockMemo}. Only for formats whose blocks are independent of each other and of the stream's header. Not
 * thread-safe: one per thread.
 */
public interface BlockPrecoder {
    /** Uncompressed bytes per block. */
    int blockSize();

    /** The most bytes {@link #encode} writes for a block of {@code len} bytes. */
    int maxEncodedLength(int len);

    /**
     * Writes the encoded block (header and data as the stream carries it) of {@code len} bytes of {@code src} into
     * {@code dst} from {@code dstOff}, which has room for {@link #maxEncodedLength}; returns its length.
     */
    int encode(byte[] src, int off, int len, byte[] dst, int dstOff);
}
