package org.walj.pipeline.lz4;

import net.jpountz.lz4.LZ4SafeDecompressor;
import net.jpountz.xxhash.StreamingXXHash32;
import net.jpountz.xxhash.XXHash32;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import org.walj.pipeline.CorruptObjectException;
import org.walj.pipeline.ParallelBlockReader;

/**
 * The sequential half of reading LZ4 frames (the lz4 tool's format, version 01), as {@code lz4 -d} accepts them: one
 * or more frames, skippable frames between them, any block maximum size, independent or linked blocks, with or
 * without block checksums, content checksum and content size. Each frame's descriptor and its checksum, each
 * block's size (never above the frame's maximum, checked before anything is allocated) and stored bytes, and each
 * end mark are read here in order; the checks that span a frame (content checksum and size, and the decompression of
 * linked blocks, which refer to the output before them) run in {@link #handOut}, in order. Anything but a frame or
 * the end of the input after a frame is corrupt. A dictionary ID (a frame that needs one) is refused.
 */
final class Lz4Framing implements ParallelBlockReader.Framing<Lz4Block> {

    static final int MAGIC = 0x184D2204;
    private static final int SKIPPABLE_MAGIC = 0x184D2A50; // 0x184D2A50 to 0x184D2A5F
    private static final int MAX_BLOCK_SIZE = 4 * 1024 * 1024;
    private static final int FLG_VERSION_MASK = 0xC0;
    private static final int FLG_VERSION_01 = 0x40;
    private static final int FLG_INDEPENDENT = 0x20;
    private static final int FLG_BLOCK_CHECKSUM = 0x10;
    private static final int FLG_CONTENT_SIZE = 0x08;
    private static final int FLG_CONTENT_CHECKSUM = 0x04;
    private static final int FLG_RESERVED = 0x02;
    private static final int FLG_DICTIONARY = 0x01;
    private static final int RAW = 0x8000_0000;

    private final InputStream in;
    private final LZ4SafeDecompressor decompressor;
    private final XXHash32 hash;
    private final StreamingXXHash32 content; // of the frame being handed out, in order
    private final byte[] small = new byte[256];
    private final Lz4Linked linked = new Lz4Linked();

    // the frame being framed
    private boolean inFrame;
    private long frames;
    private long blocks;
    private int flags;
    private int maxSize;
    private long contentSize; // -1: not stated
    // the frame being handed out
    private long handedOut;

    Lz4Framing(InputStream in, LZ4SafeDecompressor decompressor, XXHash32 hash, StreamingXXHash32 content) {
        this.in = Objects.requireNonNull(in, "in");
        this.decompressor = decompressor;
        this.hash = hash;
        this.content = content;
    }

    @Override
    public Lz4Block newBlock() {
        return new Lz4Block(decompressor, hash);
    }

    /** A stored block and its decoded bytes: at most twice the largest block size. */
    @Override
    public long largeBlock() {
        return 2L * MAX_BLOCK_SIZE;
    }

    @Override
    public long nextBlock(Lz4Block b) throws IOException {
        if (!inFrame && !nextFrame()) {
            return -1;
        }
        b.frame = frames;
        b.first = blocks == 0;
        b.maxSize = maxSize;
        b.contentSize = contentSize;
        b.contentChecksum = (flags & FLG_CONTENT_CHECKSUM) != 0;
        b.linked = (flags & FLG_INDEPENDENT) == 0;
        int size = readU32(blocks == 0 ? "before the first block" : "after block " + blocks);
        if (size == 0) {
            b.endMark = true;
            b.number = blocks;
            b.checksummed = false;
            b.checksum = b.contentChecksum ? readU32("in the content checksum") : 0;
            b.stored = 0;
            inFrame = false;
            return 0;
        }
        blocks++;
        b.endMark = false;
        b.number = blocks;
        b.raw = (size & RAW) != 0;
        b.stored = size & ~RAW;
        if (b.stored > maxSize) {
            throw new CorruptObjectException("corrupt LZ4 frame: block " + b.where() + " claims " + b.stored
                    + " bytes, more than the frame's block maximum " + maxSize);
        }
        b.checksummed = (flags & FLG_BLOCK_CHECKSUM) != 0;
        return b.raw ? b.stored : (long) b.stored + maxSize;
    }

    /** The stored bytes (growing the buffer only as they arrive) and the block's checksum. */
    @Override
    public void readBody(Lz4Block b) throws IOException {
        if (b.endMark) {
            return;
        }
        int n = b.stored;
        int have = 0;
        while (have < n) {
            if (have == b.body.length) {
                byte[] bigger = new byte[(int) Math.min(n, Math.max(64 * 1024, 2L * b.body.length))];
                System.arraycopy(b.body, 0, bigger, 0, have);
                b.body = bigger;
            }
            int r = in.read(b.body, have, Math.min(n, b.body.length) - have);
            if (r < 0) {
                throw truncated("in block " + b.where());
            }
            have += r;
        }
        if (b.checksummed) {
            b.checksum = readU32("in block " + b.where());
        }
    }

    /** In order: linked blocks decompressed; the content checksum and size checked at each end mark. */
    @Override
    public void handOut(Lz4Block b) throws IOException {
        if (b.first) {
            content.reset();
            linked.reset();
            handedOut = 0;
        }
        if (b.endMark) {
            if (b.contentSize >= 0 && b.contentSize != handedOut) {
                throw new CorruptObjectException("corrupt LZ4 frame: frame " + b.frame + " holds " + handedOut
                        + " bytes, its header says " + b.contentSize);
            }
            if (b.contentChecksum && content.getValue() != b.checksum) {
                throw new CorruptObjectException("corrupt LZ4 frame: content checksum mismatch"
                        + (b.frame == 1 ? "" : " in frame " + b.frame));
            }
            return;
        }
        if (b.linked) {
            if (b.raw) {
                linked.stored(b.data(), b.length());
            } else {
                byte[] out = b.decodedBuffer();
                int n = linked.decompress(b.body, b.stored, out, b.maxSize);
                if (n < 0) {
                    throw b.doesNotDecompress(null);
                }
                b.use(out, n);
            }
        }
        handedOut += b.length();
        if (b.contentChecksum) {
            content.update(b.data(), 0, b.length());
        }
    }

    /** Reads up to the next frame's first block; false at the end of the input (after at least one frame). */
    private boolean nextFrame() throws IOException {
        while (true) {
            int got = in.readNBytes(small, 0, 4);
            if (got == 0 && frames > 0) {
                return false;
            }
            if (got < 4) {
                if (frames > 0) {
                    throw new CorruptObjectException("corrupt LZ4 frame: unexpected data after frame " + frames);
                }
                throw truncated("in the frame header");
            }
            int magic = getU32(small, 0);
            if ((magic & 0xFFFF_FFF0) == SKIPPABLE_MAGIC) {
                skip(Integer.toUnsignedLong(readU32("in a skippable frame")));
                continue;
            }
            if (magic != MAGIC) {
                throw new CorruptObjectException(frames == 0 ? "corrupt LZ4 frame: bad magic number"
                        : "corrupt LZ4 frame: unexpected data after frame " + frames);
            }
            readDescriptor();
            frames++;
            blocks = 0;
            inFrame = true;
            return true;
        }
    }

    private void readDescriptor() throws IOException {
        readFully(small, 2, "in the frame descriptor");
        flags = small[0] & 0xFF;
        int bd = small[1] & 0xFF;
        int length = 2;
        if ((flags & FLG_CONTENT_SIZE) != 0) {
            readFully(small, length, 8, "in the frame descriptor");
            length += 8;
        }
        if ((flags & FLG_DICTIONARY) != 0) {
            readFully(small, length, 4, "in the frame descriptor");
            length += 4;
        }
        readFully(small, length, 1, "in the frame descriptor");
        if ((small[length] & 0xFF) != ((hash.hash(small, 0, length, 0) >> 8) & 0xFF)) {
            throw new CorruptObjectException("corrupt LZ4 frame: frame descriptor checksum mismatch");
        }
        int sizeId = (bd >> 4) & 0x07;
        if ((flags & FLG_VERSION_MASK) != FLG_VERSION_01 || (flags & FLG_RESERVED) != 0 || (bd & 0x8F) != 0
                || sizeId < 4) {
            throw new CorruptObjectException(String.format(
                    "corrupt LZ4 frame: unsupported frame descriptor (FLG 0x%02x, BD 0x%02x)", flags, bd));
        }
        if ((flags & FLG_DICTIONARY) != 0) {
            throw new CorruptObjectException("unsupported LZ4 frame: it needs a dictionary");
        }
        maxSize = 1 << (8 + 2 * sizeId); // 64 KiB, 256 KiB, 1 MiB, 4 MiB
        contentSize = (flags & FLG_CONTENT_SIZE) != 0 ? getU64(small, 2) : -1;
        if ((flags & FLG_CONTENT_SIZE) != 0 && contentSize < 0) {
            throw new CorruptObjectException("corrupt LZ4 frame: content size " + Long.toUnsignedString(contentSize));
        }
    }

    private void skip(long n) throws IOException {
        long left = n;
        while (left > 0) {
            int r = in.read(small, 0, (int) Math.min(left, small.length));
            if (r < 0) {
                throw truncated("in a skippable frame");
            }
            left -= r;
        }
    }

    @Override
    public CorruptObjectException corrupt(RuntimeException e) {
        return new CorruptObjectException("corrupt LZ4 frame: " + e, e);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private int readU32(String where) throws IOException {
        readFully(small, 0, 4, where);
        return getU32(small, 0);
    }

    private void readFully(byte[] b, int n, String where) throws IOException {
        readFully(b, 0, n, where);
    }

    private void readFully(byte[] b, int off, int n, String where) throws IOException {
        if (in.readNBytes(b, off, n) < n) {
            throw truncated(where);
        }
    }

    private static int getU32(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF) << 16 | (b[off + 3] & 0xFF) << 24;
    }

    private static long getU64(byte[] b, int off) {
        return Integer.toUnsignedLong(getU32(b, off)) | (long) getU32(b, off + 4) << 32;
    }

    private CorruptObjectException truncated(String where) {
        String frame = frames <= 1 ? "" : " (frame " + frames + ")";
        return new CorruptObjectException("truncated LZ4 frame: input ends " + where + frame, new EOFException());
    }
}
