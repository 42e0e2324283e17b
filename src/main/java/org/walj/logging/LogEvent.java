package org.walj.logging;

import org.walj.CodePointOrder;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The body of one WAL-E log record: a message, optional detail and hint, and structured key=value pairs.
 *
 * <p>Immutable; each {@code detail}/{@code hint}/{@code kv} returns a new event, so a partly built event can be
 * shared and extended:
 *
 * <pre>{@code
 * LogEvent.msg("begin archiving a file")
 *         .detail("Uploading \"" + path + "\" to \"" + url + "\".")
 *         .kv("action", "push-wal").kv("key", url).kv("prefix", prefix).kv("seg", segment).kv("state", "begin")
 * }</pre>
 *
 * renders (see {@link #render}) as
 *
 * <pre>
 * MSG: begin archiving a file
 * DETAIL: Uploading "pg_wal/000000010000000000000002" to "s3://…".
 * STRUCTURED: time=2017-03-01T20:20:37.123456-00 pid=1234 action=push-wal key=s3://… prefix=pfx/ seg=… state=begin
 * </pre>
 */
public final class LogEvent {

    private final String msg;
    private final String detail;
    private final String hint;
    private final Map<String, String> structured;

    private LogEvent(String msg, String detail, String hint, Map<String, String> structured) {
        this.msg = Objects.requireNonNull(msg, "msg");
        this.detail = detail;
        this.hint = hint;
        this.structured = structured;
    }

    /** A new event with the given message and nothing else. */
    public static LogEvent msg(String msg) {
        return new LogEvent(msg, null, null, Map.of());
    }

    /** This event with the DETAIL line set (replaced); {@code null} removes it. */
    public LogEvent detail(String detail) {
        return new LogEvent(msg, detail, hint, structured);
    }

    /** This event with the HINT line set (replaced); {@code null} removes it. */
    public LogEvent hint(String hint) {
        return new LogEvent(msg, detail, hint, structured);
    }

    /**
     * This event with one more structured pair; a key given twice keeps the last value (WAL-E passes a dict).
     * Values are printed as Python's {@code str()} would for the usual types: {@code null} is {@code None}, booleans
     * are {@code True}/{@code False}, anything else its {@code toString()}. Pass floating-point values already
     * formatted (WAL-E formats its rates itself). Nothing is quoted or escaped.
     */
    public LogEvent kv(String key, Object value) {
        Objects.requireNonNull(key, "key");
        Map<String, String> copy = new LinkedHashMap<>(structured);
        copy.put(key, pythonStr(value));
        return new LogEvent(msg, detail, hint, Collections.unmodifiableMap(copy));
    }

    public String msg() {
        return msg;
    }

    public Optional<String> detail() {
        return Optional.ofNullable(detail);
    }

    public Optional<String> hint() {
        return Optional.ofNullable(hint);
    }

    /** The structured pairs in the order they were added (they are printed sorted). */
    public Map<String, String> structured() {
        return structured;
    }

    /**
     * The record body exactly as WAL-E's {@code WalELogger.fmt_logline} builds it: {@code MSG:}, then
     * {@code DETAIL:} and {@code HINT:} when present, then always {@code STRUCTURED: time=… pid=…} followed by the
     * pairs as {@code k=v}, sorted by that rendered text. Lines are joined with {@code \n}; the indentation of
     * continuation lines is the layout's job.
     */
    public String render(Instant time, long pid) {
        StringBuilder sb = new StringBuilder(128 + msg.length());
        sb.append("MSG: ").append(msg);
        if (detail != null) {
            sb.append("\nDETAIL: ").append(detail);
        }
        if (hint != null) {
            sb.append("\nHINT: ").append(hint);
        }
        sb.append("\nSTRUCTURED: time=");
        appendUtcMicros(sb, time);
        sb.append("-00 pid=").append(pid);
        List<String> pairs = new ArrayList<>(structured.size());
        for (Map.Entry<String, String> e : structured.entrySet()) {
            pairs.add(e.getKey() + "=" + e.getValue());
        }
        pairs.sort(CodePointOrder.INSTANCE); // Python sorts str by code point
        for (String pair : pairs) {
            sb.append(' ').append(pair);
        }
        return sb.toString();
    }

    /**
     * {@code %Y-%m-%dT%H:%M:%S.%f} of the UTC time: microseconds, truncated as Python's datetime holds them.
     * Formatted by hand because {@code DateTimeFormatter} costs measurable class loading at start-up.
     */
    static void appendUtcMicros(StringBuilder sb, Instant time) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(time.getEpochSecond(), 0, ZoneOffset.UTC);
        pad(sb, t.getYear(), 4).append('-');
        pad(sb, t.getMonthValue(), 2).append('-');
        pad(sb, t.getDayOfMonth(), 2).append('T');
        pad(sb, t.getHour(), 2).append(':');
        pad(sb, t.getMinute(), 2).append(':');
        pad(sb, t.getSecond(), 2).append('.');
        pad(sb, time.getNano() / 1000, 6);
    }

    private static StringBuilder pad(StringBuilder sb, int value, int width) {
        String s = Integer.toString(value);
        for (int i = s.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(s);
    }

    private static String pythonStr(Object value) {
        if (value == null) {
            return "None";
        }
        if (value instanceof Boolean b) {
            return b ? "True" : "False";
        }
        return value.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogEvent e && msg.equals(e.msg) && Objects.equals(detail, e.detail)
                && Objects.equals(hint, e.hint) && structured.equals(e.structured);
    }

    @Override
    public int hashCode() {
        return Objects.hash(msg, detail, hint, structured);
    }

    @Override
    public String toString() {
        return "LogEvent[msg=" + msg + ", detail=" + detail + ", hint=" + hint + ", structured=" + structured + "]";
    }
}
