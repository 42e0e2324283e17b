package org.walj.backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.walj.logging.LogEvent;
import org.walj.logging.LoggerNames;
import org.walj.logging.WalELog;
import org.walj.postgres.BackupLabel;
import org.walj.postgres.ConfSettings;

/**
 * After a restore: says which recovery settings the backup brought in {@code postgresql.auto.conf} (ALTER SYSTEM's
 * file, which a backup copies while {@code postgresql.conf} it does not), and whether it was taken on a standby, so
 * the operator decides how the copy recovers before starting it. A standby made with {@code pg_basebackup -R} keeps
 * {@code primary_conninfo} and {@code primary_slot_name} there: a copy started with {@code standby.signal} would
 * stream from that primary (through a slot the original standby may still use); with {@code recovery.signal} it
 * recovers from the archive and ignores them.
 *
 * <p>The restored files came from the archive, which is untrusted: a file that is not a regular file (a link) is not
 * read, at most 1 MiB is, and values are shown with passwords and secret-looking variables hidden, control
 * characters replaced and a length limit. Nothing is changed on disk.
 */
public final class RecoverySettingsReport {
    private static final WalELog OPERATOR = WalELog.get(LoggerNames.OPERATOR_BACKUP);
    private static final int MAX_BYTES = 1 << 20;
    private static final int MAX_SHOWN = 200;
    /** What decides how, from where and up to where the restored copy recovers or streams, and whether it archives. */
    static final List<String> RECOVERY_SETTINGS = List.of("primary_conninfo", "primary_slot_name", "restore_command",
            "archive_cleanup_command", "recovery_end_command", "recovery_target", "recovery_target_lsn",
            "recovery_target_name", "recovery_target_time", "recovery_target_xid", "recovery_target_inclusive",
            "recovery_target_timeline", "recovery_target_action", "recovery_min_apply_delay", "promote_trigger_file",
            "hot_standby", "archive_mode", "archive_command", "archive_library");
    private static final Pattern PASSWORD = Pattern.compile("(?i)(password\\s*=\\s*)('(?:[^'\\\\]|\\\\.)*'|[^\\s&]+)");
    private static final Pattern URI_CREDENTIALS = Pattern.compile("(?i)(postgres(?:ql)?://[^:/@\\s]*:)[^@\\s]*@");
    private static final Pattern SECRET_VARIABLE =
            Pattern.compile("(?i)(\\b[A-Z0-9_]*(?:SECRET|PASSWORD|PASSPHRASE|TOKEN|KEY)[A-Z0-9_]*=)\\S+");

    /** Settings found, name to value as shown (secrets hidden), and whether backup_label says "from standby". */
    record Findings(Map<String, String> settings, boolean fromStandby) {
    }

    private RecoverySettingsReport() {
    }

    /** Logs what {@code dataDirectory} (just restored) holds; one INFO or WARNING line, or none for a plain backup. */
    public static void log(Path dataDirectory) throws IOException {
        warnStandbySignal(dataDirectory);
        logSettings(dataDirectory);
    }

    /** A {@code standby.signal} the restored directory holds: the copy would never finish recovery on its own. */
    private static void warnStandbySignal(Path dataDirectory) {
        if (Files.exists(dataDirectory.resolve("standby.signal"), LinkOption.NOFOLLOW_LINKS)) {
            // from a backup made before signal files were excluded, or left by a delta restore over a standby
            OPERATOR.warning(LogEvent.msg("the restored directory holds standby.signal: it would start as a standby")
                    .detail("A standby follows its primary (primary_conninfo) and never finishes recovery on its own.")
                    .hint("Remove it and create recovery.signal to recover from the archive (docs/restore-runbook.md), "
                            + "unless the copy is meant to be a new standby."));
        }
    }

    /**
     * The recovery settings alone, for a caller that handles the signal files itself (wal-j restore removes
     * {@code standby.signal} and writes {@code recovery.signal}).
     */
    public static void logSettings(Path dataDirectory) throws IOException {
        Findings f = read(dataDirectory);
        if (f.settings().isEmpty() && !f.fromStandby()) {
            return;
        }
        String origin = f.fromStandby() ? "The backup was taken on a hot standby; standby.signal and recovery.signal "
                + "are never stored, so the copy starts as neither until you create one. " : "";
        if (f.settings().isEmpty()) {
            OPERATOR.info(LogEvent.msg("restored a backup taken on a standby")
                    .detail(origin + "Its postgresql.auto.conf holds no recovery settings.")
                    .hint("Create recovery.signal and set restore_command to recover from the archive "
                            + "(docs/restore-runbook.md).")
                    .kv("from_standby", "true"));
            return;
        }
        List<String> shown = new ArrayList<>();
        f.settings().forEach((name, value) -> shown.add(name + " = '" + value + "'"));
        OPERATOR.warning(LogEvent.msg("the restored postgresql.auto.conf holds recovery settings: "
                        + String.join(", ", f.settings().keySet()))
                .detail(origin + "They came with the backup (ALTER SYSTEM, or pg_basebackup -R on a standby): "
                        + String.join("; ", shown) + ".")
                .hint("Decide before starting the copy: with recovery.signal it recovers from the archive through "
                        + "restore_command and ignores primary_conninfo; with standby.signal it streams from that "
                        + "primary (and its replication slot, which the original standby may still use); a copy "
                        + "that keeps archive_command archives into that archive. Change or remove them with "
                        + "ALTER SYSTEM RESET after the start, or edit postgresql.auto.conf now.")
                .kv("recovery_settings", String.join(",", f.settings().keySet()))
                .kv("from_standby", Boolean.toString(f.fromStandby())));
    }

    static Findings read(Path dataDirectory) throws IOException {
        Map<String, String> all = readText(dataDirectory.resolve("postgresql.auto.conf"))
                .map(ConfSettings::parse).orElse(Map.of());
        Map<String, String> found = new java.util.LinkedHashMap<>();
        for (String name : RECOVERY_SETTINGS) {
            String value = all.get(name);
            if (value != null) {
                found.put(name, shown(value));
            }
        }
        boolean fromStandby = readText(dataDirectory.resolve("backup_label"))
                .map(t -> BackupLabel.parse(t).fromStandby()).orElse(false);
        return new Findings(found, fromStandby);
    }

    /** A value as logged: secrets hidden, one line, bounded. */
    static String shown(String value) {
        String v = PASSWORD.matcher(value).replaceAll("$1<hidden>");
        v = URI_CREDENTIALS.matcher(v).replaceAll("$1<hidden>@");
        v = SECRET_VARIABLE.matcher(v).replaceAll("$1<hidden>");
        StringBuilder safe = new StringBuilder();
        v.codePoints().forEach(c -> safe.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return safe.length() > MAX_SHOWN ? safe.substring(0, MAX_SHOWN) + "…" : safe.toString();
    }

    private static Optional<String> readText(Path file) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.of(new String(in.readNBytes(MAX_BYTES), StandardCharsets.UTF_8));
        }
    }
}
