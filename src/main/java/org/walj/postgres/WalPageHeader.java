package org.walj.postgres;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * The long page header that opens every WAL segment ({@code XLogLongPageHeaderData}, little-endian on the platforms
 * PostgreSQL packages for): which timeline and WAL address the segment holds and which cluster wrote it. A segment
 * name says nothing about the cluster: two clusters on timeline 1 write segments of the same names, so only the
 * header tells whether an archive's segment is this cluster's.
 *
 * @param timeline       {@code xlp_tli}
 * @param pageAddress    {@code xlp_pageaddr}: the LSN of the segment's first byte
 * @param systemIdentifier {@code xlp_sysid}
 */
public record WalPageHeader(long timeline, long pageAddress, long systemIdentifier) {
    /** Bytes needed: the short header (24, with padding) and the system identifier after it. */
    public static final int LENGTH = 32;
    /** {@code XLP_LONG_HEADER}: the first page of a segment has it. */
    private static final int LONG_HEADER = 0x0002;

    /** The header in the first {@link #LENGTH} bytes of a segment; empty when they are not a segment's first page. */
    public static Optional<WalPageHeader> parse(byte[] first) {
        if (first.length < LENGTH) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(first).order(ByteOrder.LITTLE_ENDIAN);
        int magic = b.getShort(0) & 0xFFFF;
        int info = b.getShort(2) & 0xFFFF;
        if (magic < 0xD000 || (info & LONG_HEADER) == 0) {
            return Optional.empty(); // WAL page magics are 0xD0xx/0xD1xx (0xD110 for 15)
        }
        return Optional.of(new WalPageHeader(b.getInt(4) & 0xFFFFFFFFL, b.getLong(8), b.getLong(24)));
    }
}
