package org.walj.pipeline.lz4;

import org.walj.pipeline.ParallelBlockWriter;

import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.xxhash.XXHash32;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Encodes one block of an LZ4 frame as lz4-java's {@code LZ4FrameOutputStream} does with independent blocks and block
 * checksums: the compressed block, or the raw one (high bit of the length set) when compressing does not make it
 * strictly smaller, then the XXH32 (seed 0) of the bytes as stored. Own buffer: one instance per thread.
 */
final class Lz4BlockEncoder implements ParallelBlockWriter.BlockEncoder {

    private static final int RAW = 0x8000_0000;

    private final LZ4Compressor compressor;
    private final XXHash32 hash;
    private final byte[] block; // 4-byte length, data, 4-byte checksum
    private int length;

    Lz4BlockEncoder(LZ4Compressor compressor, XXHash32 hash, int blockSize) {
        this.compressor = compressor;
        this.hash = hash;
        this.block = new byte[4 + Math.max(blockSize, compressor.maxCompressedLength(blockSize)) + 4];
    }

    @Override
    public void encode(byte[] src, int off, int len) {
        int size = compressor.compress(src, off, len, block, 4, block.length - 8);
        int header = size;
        if (size >= len) {
            System.arraycopy(src, off, block, 4, len);
            size = len;
            header = len | RAW;
        }
        putIntLE(block, 0, header);
        putIntLE(block, 4 + size, hash.hash(block, 4, size, 0));
        length = 8 + size;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        out.write(block, 0, length);
    }

    static void putIntLE(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }
}
