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

    /** The WAL segment holding this location, as PostgreSQL's {@code XLogFileName} names it. */
    public SegmentName segment(long timeline, WalSegmentSize size) {
        return size.name(timeline, size.numberAt(value));
    }

    /** Byte offset of this location inside its WAL file. */
    public long offsetInSegment(WalSegmentSize size) {
        return size.offsetAt(value);
    }

    @Override
    public String toString() {
        return String.format("%X/%X", value >>> 32, value & 0xFFFFFFFFL);
    }
}
