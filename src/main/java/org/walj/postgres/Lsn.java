package org.walj.postgres;

/**
 * A WAL location ({@code pg_lsn}, written {@code X/Y} in hex). Knows which WAL file holds it and where, which is what
 * a backup name needs; computing this (rather than asking {@code pg_walfile_name_offset}) also works on a standby
 * and on a stopped cluster, where that function is not available.
 */
public record Lsn(long value) {

    public static Lsn parse(String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1) {
            throw new IllegalArgumentException("not a WAL location: " + text);
        }
        try {
            long high = Long.parseLong(text, 0, slash, 16);
            long low = Long.parseLong(text, slash + 1, text.length(), 16);
            if (high > 0xFFFFFFFFL || low > 0xFFFFFFFFL || high < 0 || low < 0) {
                throw new IllegalArgumentException("not a WAL location: " + text);
            }
            return new Lsn(high << 32 | low);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a WAL location: " + text, e);
        }
    }

    /**
     * The name of the WAL file holding this location, as PostgreSQL's {@code XLogFileName}: timeline, then the
     * segment number split into "log" (segments per 4 GiB) and "seg".
     */
    public String walFileName(long timeline, long segmentSize) {
        checkSegmentSize(segmentSize);
        long segmentNumber = Long.divideUnsigned(value, segmentSize);
        long perLog = 0x1_0000_0000L / segmentSize;
        return String.format("%08X%08X%08X", timeline, segmentNumber / perLog, segmentNumber % perLog);
    }

    /** Byte offset of this location inside its WAL file. */
    public long offsetInSegment(long segmentSize) {
        checkSegmentSize(segmentSize);
        return Long.remainderUnsigned(value, segmentSize);
    }

    @Override
    public String toString() {
        return String.format("%X/%X", value >>> 32, value & 0xFFFFFFFFL);
    }

    private static void checkSegmentSize(long size) {
        // PostgreSQL allows powers of two from 1 MiB to 1 GiB
        if (size < (1 << 20) || size > (1 << 30) || Long.bitCount(size) != 1) {
            throw new IllegalArgumentException("not a WAL segment size: " + size);
        }
    }
}
