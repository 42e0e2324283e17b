package org.walj.pipeline.lzop;

import org.walj.pipeline.StreamFormat;

/**
 * Constants of the lzop container format (lzop 1.04, LZO 2.10), as described in the WAL-E
 * compatibility spec, section 5.
 * All multi-byte integers in the format are big-endian.
 */
final class Lzop {
    static final byte[] MAGIC = StreamFormat.lzopMagic();

    /** What lzop 1.04 linked against LZO 2.10 writes; readers must accept any value. */
    static final int VERSION = 0x1040;
    static final int LIB_VERSION = 0x20A0;
    static final int VERSION_NEEDED = 0x0940;
    /** lzop raises the "needed" version when the header checksum is CRC-32 (its {@code --crc32}). */
    static final int VERSION_NEEDED_CRC32 = 0x1001;
    /** Header shape switch: level, version_needed and mtime_high exist only from this (writer) version on. */
    static final int VERSION_WITH_LEVEL = 0x0940;
    /** Oldest header version lzop itself accepts. */
    static final int VERSION_OLDEST = 0x0900;

    static final int METHOD_LZO1X_1 = 1;
    static final int METHOD_LZO1X_1_15 = 2;
    static final int METHOD_LZO1X_999 = 3;
    static final int DEFAULT_LEVEL = 5;

    static final int F_ADLER32_D = 0x0000_0001;
    static final int F_ADLER32_C = 0x0000_0002;
    static final int F_STDIN = 0x0000_0004;
    static final int F_STDOUT = 0x0000_0008;
    static final int F_H_EXTRA_FIELD = 0x0000_0040;
    static final int F_MULTIPART = 0x0000_0400;
    static final int F_CRC32_D = 0x0000_0100;
    static final int F_CRC32_C = 0x0000_0200;
    static final int F_H_FILTER = 0x0000_0800;
    static final int F_H_CRC32 = 0x0000_1000;
    /** Bits lzop 1.04 refuses ("unknown header flags"): outside its flag, character-set and OS fields. */
    static final int F_RESERVED = 0x000F_C000;
    static final int F_OS_UNIX = 0x0300_0000;
    static final int F_OS_MASK = 0xFF00_0000;

    /** Uncompressed bytes per block, as lzop writes them. */
    static final int BLOCK_SIZE = 256 * 1024;
    /** lzop's format maximum for one block; anything larger is corrupt (and is never allocated). */
    static final int MAX_BLOCK_SIZE = 64 * 1024 * 1024;
    /** lzop's {@code --filter=N} accepts 1..16 (byte-wise delta with distance N). */
    static final int MAX_FILTER = 16;

    private Lzop() {
    }

    static void putU32(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    static void putU16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    static int getU32(byte[] b, int off) {
        return (b[off] & 0xFF) << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
    }

    static int getU16(byte[] b, int off) {
        return (b[off] & 0xFF) << 8 | (b[off + 1] & 0xFF);
    }
}
