package org.walj.pipeline.lzop;

import org.walj.pipeline.ParallelBlockWriter;

import io.airlift.compress.lzo.LzoCompressor;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.Adler32;
import java.util.zip.CRC32;

/**
 * Encodes one lzop block: LZO1X-1, stored raw when that does not make it strictly smaller (as lzop decides), with the
 * checksums the header flags ask for. The one place that decides a block's bytes, so that the sequential and the
 * parallel writer produce the same stream. Each instance owns its compressor and buffer: one per thread.
 */
final class LzopBlockEncoder implements ParallelBlockWriter.BlockEncoder {

    private static final int MAX_BLOCK_HEADER = 24; // two lengths + up to four checksums
    /**
     * Adler-32 is fed in slices of this size: the JDK replaces {@code Adler32.update} with its vectorised stub only
     * once C2 has compiled it, which a call per 256 KiB block (6,000 in a 1.5 GiB backup) reaches only near the end;
     * until then every block goes through zlib's scalar loop. Eight calls a block get there early (docs/performance.md).
     */
    private static final int CHECKSUM_SLICE = 32 * 1024;

    private final int flags;
    private final LzoCompressor compressor = new LzoCompressor();
    private final Adler32 adler = new Adler32();
    private final CRC32 crc = new CRC32();
    /** One encoded block: its header is written right-aligned before {@link #MAX_BLOCK_HEADER}, data after it. */
    private final byte[] frame;
    private int frameStart;
    private int frameLength;

    LzopBlockEncoder(int flags) {
        this.flags = flags;
        int maxData = Math.max(Lzop.BLOCK_SIZE, compressor.maxCompressedLength(Lzop.BLOCK_SIZE));
        this.frame = new byte[MAX_BLOCK_HEADER + maxData];
    }

    /** Encodes {@code len} (at most one block of) bytes; {@link #writeTo} then writes the encoded block. */
    @Override
    public void encode(byte[] src, int off, int len) {
        if (len <= 0 || len > Lzop.BLOCK_SIZE) {
            throw new IllegalArgumentException("lzop block length " + len);
        }
        int dataStart = MAX_BLOCK_HEADER;
        int compressedLength = compressor.compress(src, off, len, frame, dataStart, frame.length - dataStart);
        boolean stored = compressedLength >= len; // lzop keeps the block only if it got strictly smaller
        int dataLength = stored ? len : compressedLength;
        if (stored) {
            System.arraycopy(src, off, frame, dataStart, len);
        }

        // the header goes right before the data so that one write() carries the whole block
        int headerLength = 8;
        if ((flags & Lzop.F_ADLER32_D) != 0) {
            headerLength += 4;
        }
        if ((flags & Lzop.F_CRC32_D) != 0) {
            headerLength += 4;
        }
        if (!stored && (flags & Lzop.F_ADLER32_C) != 0) {
            headerLength += 4;
        }
        if (!stored && (flags & Lzop.F_CRC32_C) != 0) {
            headerLength += 4;
        }
        int p = dataStart - headerLength;
        Lzop.putU32(frame, p, len);
        Lzop.putU32(frame, p + 4, dataLength);
        p += 8;
        if ((flags & Lzop.F_ADLER32_D) != 0) {
            Lzop.putU32(frame, p, adler32(src, off, len));
            p += 4;
        }
        if ((flags & Lzop.F_CRC32_D) != 0) {
            crc.reset();
            crc.update(src, off, len);
            Lzop.putU32(frame, p, (int) crc.getValue());
            p += 4;
        }
        if (!stored && (flags & Lzop.F_ADLER32_C) != 0) {
            Lzop.putU32(frame, p, adler32(frame, dataStart, dataLength));
            p += 4;
        }
        if (!stored && (flags & Lzop.F_CRC32_C) != 0) {
            crc.reset();
            crc.update(frame, dataStart, dataLength);
            Lzop.putU32(frame, p, (int) crc.getValue());
        }
        frameStart = dataStart - headerLength;
        frameLength = headerLength + dataLength;
    }

    private int adler32(byte[] b, int off, int len) {
        adler.reset();
        for (int end = off + len; off < end; off += CHECKSUM_SLICE) {
            adler.update(b, off, Math.min(CHECKSUM_SLICE, end - off));
        }
        return (int) adler.getValue();
    }

    /** The most bytes a block of {@code len} bytes encodes to: a block is stored raw unless that makes it smaller. */
    static int maxEncodedLength(int len) {
        return MAX_BLOCK_HEADER + len;
    }

    /** Copies the block last encoded, header and data as {@link #writeTo} writes it, to {@code dst}; its length. */
    int copyTo(byte[] dst, int off) {
        System.arraycopy(frame, frameStart, dst, off, frameLength);
        return frameLength;
    }

    /** Writes the block last encoded, header and data in one call. */
    @Override
    public void writeTo(OutputStream out) throws IOException {
        out.write(frame, frameStart, frameLength);
    }
}
