package org.walj.pipeline.lz4;

import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4SafeDecompressor;
import net.jpountz.xxhash.XXHash32;

import java.io.IOException;
import org.walj.pipeline.CorruptObjectException;
import org.walj.pipeline.ParallelBlockReader;

/**
 * One block of an LZ4 frame, or a frame's end mark: what {@link Lz4Framing} read on the reading thread (sizes, the
 * stored bytes, the stated checksums), then checked and, for a frame of independent blocks, decompressed by
 * {@link #decode()} on whichever thread. A block of a linked frame is decompressed later, in order, by the framing
 * ({@link Lz4Framing#handOut}), because it refers to the output before it.
 */
final class Lz4Block implements ParallelBlockReader.Block {
    private static final int INITIAL_BUFFER = 256 * 1024;

    private final LZ4SafeDecompressor decompressor;
    private final XXHash32 hash;

    // set by the framing for each block
    boolean endMark; // no data: the frame's end, checked by the framing when handed out
    boolean first; // the frame's first block (or its end mark, if it has none)
    long number; // 1-based within the frame, for messages
    long frame; // 1-based, for messages
    boolean raw; // stored without compression
    boolean linked; // decompressed by the framing, in order
    boolean checksummed; // a block checksum follows the stored bytes
    int checksum; // as the frame states it: XXH32 of the stored bytes, or (end mark) of the frame's content
    int stored; // bytes in the frame
    int maxSize; // the frame's block maximum size
    long contentSize; // as the frame states it, -1 if it does not
    boolean contentChecksum; // the frame ends with the XXH32 of its content
    byte[] body = new byte[0];

    private byte[] decoded = new byte[0];
    private byte[] data;
    private int length;

    Lz4Block(LZ4SafeDecompressor decompressor, XXHash32 hash) {
        this.decompressor = decompressor;
        this.hash = hash;
    }

    @Override
    public void decode() throws IOException {
        data = null;
        length = 0;
        if (endMark) {
            return;
        }
        if (checksummed && hash.hash(body, 0, stored, 0) != checksum) {
            throw new CorruptObjectException("corrupt LZ4 frame: checksum mismatch in block " + where());
        }
        if (raw) {
            use(body, stored);
        } else if (!linked) {
            byte[] out = decodedBuffer();
            int n;
            try {
                n = decompressor.decompress(body, 0, stored, out, 0, maxSize);
            } catch (LZ4Exception e) {
                throw doesNotDecompress(e);
            }
            use(out, n);
        }
    }

    /** Where the decoded bytes go: at least the frame's block maximum size. */
    byte[] decodedBuffer() {
        if (decoded.length < maxSize) {
            decoded = new byte[maxSize];
        }
        return decoded;
    }

    void use(byte[] bytes, int n) {
        data = bytes;
        length = n;
    }

    CorruptObjectException doesNotDecompress(Exception e) {
        return new CorruptObjectException("corrupt LZ4 frame: block " + where() + " does not decompress (invalid LZ4"
                + " data)", e);
    }

    String where() {
        return frame == 1 ? Long.toString(number) : number + " of frame " + frame;
    }

    @Override
    public byte[] data() {
        return data;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public void shrink() {
        data = null;
        length = 0;
        if (body.length > INITIAL_BUFFER && body.length > 2 * stored) {
            body = new byte[0]; // a frame of small blocks after large ones keeps no 4 MiB buffer
        }
    }
}
