package org.walj.pipeline;

/**
 * Encodes single blocks exactly as a {@link CompressionCodec}'s encoder encodes them inside a stream, for a
 * {@link BlockMemo}. Only for formats whose blocks are independent of each other and of the stream's header. Not
 * thread-safe: one per thread.
 */
public interface BlockPrecoder {
    /** Uncompressed bytes per block. */
    int blockSize();

    /** The encoded block (header and data as the stream carries it) of {@code len} bytes of {@code src}. */
    byte[] encode(byte[] src, int off, int len);
}
