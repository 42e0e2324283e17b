package org.walj.recovery;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.walj.UserException;
import org.walj.postgres.Lsn;

/**
 * Where recovery stops: the end of the archived WAL ({@code latest}), a time, a WAL location, a restore point's name
 * or a transaction id. A time must carry its time zone: PostgreSQL would read a bare one in the server's
 * {@code timezone}, which wal-j cannot know, so the backup it picks could be the wrong one.
 */
public record RecoveryTarget(Kind kind, String text, Optional<Instant> time, Optional<Lsn> lsn) {
    public enum Kind {
        LATEST, TIME, LSN, NAME, XID;

        /** The option that gives this kind, for messages. */
        public String option() {
            return this == LATEST ? "--target latest" : "--target-" + name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** {@code 2026-11-22 02:41:00+00}, {@code 2026-11-22T02:41:00.5Z}, {@code ... +01:00}, {@code ... UTC}. */
    private static final Pattern TIME = Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2})[ T](\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,9})?)?)\\s*(Z|UTC|[+-]\\d{2}(?::?\\d{2})?)");
    /** What PostgreSQL reads back unambiguously, in UTC, microseconds (its timestamps' precision). */
    private static final DateTimeFormatter WRITTEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
    /** PostgreSQL's NAMEDATALEN - 1: a longer restore point name is refused by recovery_target_name. */
    private static final int MAX_NAME_BYTES = 63;

    public RecoveryTarget {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(lsn, "lsn");
        if (time.isPresent() != (kind == Kind.TIME) || lsn.isPresent() != (kind == Kind.LSN)) {
            throw new IllegalArgumentException("a " + kind + " target with time " + time + " and LSN " + lsn);
        }
    }

    public static RecoveryTarget latest() {
        return new RecoveryTarget(Kind.LATEST, "latest", Optional.empty(), Optional.empty());
    }

    public static RecoveryTarget time(String text) {
        Matcher m = TIME.matcher(text.strip());
        if (!m.matches()) {
            throw new UserException("cannot read the target time \"" + text + "\"",
                    "Give a date, a time and the time zone, as in 2026-11-22 02:41:00+00.",
                    "Write the time zone (+00, Z, +01:00): PostgreSQL would read a time without one in the "
                            + "server's timezone setting.");
        }
        try {
            String clock = m.group(2).length() == 5 ? m.group(2) + ":00" : m.group(2);
            LocalDateTime local = LocalDateTime.parse(m.group(1) + "T" + clock);
            Instant at = local.toInstant(offset(m.group(3)));
            return new RecoveryTarget(Kind.TIME, text, Optional.of(at), Optional.empty());
        } catch (java.time.DateTimeException e) {
            throw new UserException("cannot read the target time \"" + text + "\"", e.getMessage(),
                    "Give a date, a time and the time zone, as in 2026-11-22 02:41:00+00.");
        }
    }

    public static RecoveryTarget lsn(String text) {
        try {
            return new RecoveryTarget(Kind.LSN, text, Optional.empty(), Optional.of(Lsn.parse(text.strip())));
        } catch (IllegalArgumentException e) {
            throw new UserException("cannot read the target LSN \"" + text + "\"", null,
                    "Give a WAL location as PostgreSQL prints it, e.g. 0/5000100 (pg_current_wal_lsn()).");
        }
    }

    public static RecoveryTarget name(String text) {
        if (text.isEmpty() || text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_NAME_BYTES
                || text.chars().anyMatch(Character::isISOControl)) {
            throw new UserException("the restore point name \"" + text.replaceAll("\\p{Cntrl}", "?")
                    + "\" cannot be a recovery target",
                    "A restore point name has 1 to 63 bytes and no control characters.",
                    "Give the name passed to pg_create_restore_point().");
        }
        return new RecoveryTarget(Kind.NAME, text, Optional.empty(), Optional.empty());
    }

    public static RecoveryTarget xid(String text) {
        if (!text.matches("[0-9]{1,20}")) {
            throw new UserException("cannot read the target transaction id \"" + text + "\"", null,
                    "Give a transaction id as a number, e.g. the result of txid_current() or pg_current_xact_id().");
        }
        return new RecoveryTarget(Kind.XID, text, Optional.empty(), Optional.empty());
    }

    /** The PostgreSQL setting this target is written as; empty for {@code latest} (PostgreSQL's default). */
    public Optional<String> settingName() {
        return switch (kind) {
            case LATEST -> Optional.empty();
            case TIME -> Optional.of("recovery_target_time");
            case LSN -> Optional.of("recovery_target_lsn");
            case NAME -> Optional.of("recovery_target_name");
            case XID -> Optional.of("recovery_target_xid");
        };
    }

    /** The value written: a time in UTC with its zone (what was checked is what PostgreSQL reads), else as given. */
    public String settingValue() {
        return switch (kind) {
            case TIME -> WRITTEN.format(LocalDateTime.ofInstant(time.orElseThrow(), ZoneOffset.UTC)) + "+00";
            case LSN -> lsn.orElseThrow().toString();
            default -> text;
        };
    }

    /** For messages: {@code time 2026-11-22 02:41:00.000000+00}, {@code LSN 0/5000100}, {@code latest}. */
    public String describe() {
        return switch (kind) {
            case LATEST -> "the end of the archived WAL";
            case TIME -> "time " + settingValue();
            case LSN -> "LSN " + settingValue();
            case NAME -> "restore point \"" + text + "\"";
            case XID -> "transaction " + text;
        };
    }

    private static ZoneOffset offset(String zone) {
        if (zone.equals("Z") || zone.equals("UTC")) {
            return ZoneOffset.UTC;
        }
        String digits = zone.replace(":", "");
        int hours = Integer.parseInt(digits.substring(1, 3));
        int minutes = digits.length() > 3 ? Integer.parseInt(digits.substring(3, 5)) : 0;
        int sign = digits.charAt(0) == '-' ? -1 : 1;
        return ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
    }
}
