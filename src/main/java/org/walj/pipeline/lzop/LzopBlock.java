package org.walj.pipeline.lzop;

import io.airlift.compress.MalformedInputException;
import io.airlift.compress.lzo.LzoDecompressor;

import java.io.IOException;
import java.util.zip.Adler32;
import java.util.zip.CRC32;
import org.walj.pipeline.CorruptObjectException;
import org.walj.pipeline.ParallelBlockReader;

/**
 * One lzop block: its lengths and checksums as the header stated them and its stored bytes (filled by
 * {@link LzopFraming} on the reading thread), then decompressed, unfiltered and checked by {@link #decode()} on
 * whichever thread; every checksum the stream's flags name is verified before the bytes are handed out.
 */
final class LzopBlock implements ParallelBlockReader.Block {
    private static final int INITIAL_BUFFER = Lzop.BLOCK_SIZE;

    private final LzoDecompressor decompressor = new LzoDecompressor();
    private final Adler32 adler = new Adler32();
    private final CRC32 crc = new CRC32();

    // set by the framing for each block
    long number; // 1-based, for messages
    int flags;
    int filter;
    int dst;
    int src;
    int dAdler;
    int dCrc;
    int cAdler;
    int cCrc;
    byte[] compressed = new byte[INITIAL_BUFFER];

    private byte[] decompressed = new byte[INITIAL_BUFFER];
    private byte[] data; // the buffer holding the decoded block

    boolean isCompressed() {
        return src < dst;
    }

    @Override
    public void decode() throws IOException {
        boolean isCompressed = isCompressed();
        if (isCompressed && (flags & Lzop.F_ADLER32_C) != 0 && adler32(compressed, src) != cAdler) {
            throw checksumMismatch("Adler-32 of the compressed data");
        }
        if (isCompressed && (flags & Lzop.F_CRC32_C) != 0 && crc32(compressed, src) != cCrc) {
            throw checksumMismatch("CRC-32 of the compressed data");
        }
        if (isCompressed) {
            if (decompressed.length < dst) {
                decompressed = new byte[Math.max(dst, Math.min(Lzop.MAX_BLOCK_SIZE, decompressed.length * 2))];
            }
            int n;
            try {
                n = decompressor.decompress(compressed, 0, src, decompressed, 0, dst);
            } catch (MalformedInputException e) {
                throw new CorruptObjectException("corrupt lzop stream: block " + number
                        + " does not decompress (invalid LZO1X data)", e);
            }
            if (n != dst) {
                throw new CorruptObjectException("corrupt lzop stream: block " + number + " decompresses to "
                        + n + " bytes, header says " + dst);
            }
            data = decompressed;
        } else {
            data = compressed; // stored block: the data are the bytes themselves
        }
        if (filter != 0) {
            unfilter(data, dst, filter);
        }
        if ((flags & Lzop.F_ADLER32_D) != 0 && adler32(data, dst) != dAdler) {
            throw checksumMismatch("Adler-32 of the uncompressed data");
        }
        if ((flags & Lzop.F_CRC32_D) != 0 && crc32(data, dst) != dCrc) {
            throw checksumMismatch("CRC-32 of the uncompressed data");
        }
    }

    @Override
    public byte[] data() {
        return data;
    }

    @Override
    public int length() {
        return dst;
    }

    @Override
    public void shrink() {
        data = null;
        if (compressed.length > ParallelBlockReader.LARGE_BLOCK) {
            compressed = new byte[INITIAL_BUFFER];
        }
        if (decompressed.length > ParallelBlockReader.LARGE_BLOCK) {
            decompressed = new byte[INITIAL_BUFFER];
        }
    }

    /**
     * Undoes lzop's {@code --filter=N}: the writer replaced each byte by its difference to the byte N positions
     * earlier in the same block (earlier than the block start counts as 0); blocks shorter than N+1 are unfiltered.
     */
    static void unfilter(byte[] b, int length, int n) {
        if (length <= n) {
            return;
        }
        for (int i = n; i < length; i++) {
            b[i] += b[i - n];
        }
    }

    private CorruptObjectException checksumMismatch(String what) {
        return new CorruptObjectException("corrupt lzop stream: checksum mismatch in block " + number
                + " (" + what + ")");
    }

    private int adler32(byte[] b, int n) {
        adler.reset();
        adler.update(b, 0, n);
        return (int) adler.getValue();
    }

    private int crc32(byte[] b, int n) {
        crc.reset();
        crc.update(b, 0, n);
        return (int) crc.getValue();
    }
}
