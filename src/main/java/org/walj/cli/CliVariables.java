package org.walj.cli;

import java.util.ArrayList;
import java.util.List;
import org.walj.logging.ProgressMode;
import org.walj.settings.Scope;
import org.walj.settings.Setting;

/** The settings the command line reads itself, and those it hands to {@code postgres} and {@code logging}. */
final class CliVariables {
    private static final Scope MATCH = Scope.MUST_MATCH_DAEMON;

    static final Setting<String> FILE_PREFIX = Setting.text("WALE_FILE_PREFIX", MATCH,
            "The archive in a local directory (or --file-prefix).");
    static final Setting<String> GS_PREFIX = Setting.text("WALE_GS_PREFIX", MATCH,
            "The archive in Google Cloud Storage (or --gs-prefix).");
    static final Setting<String> S3_PREFIX = Setting.text("WALE_S3_PREFIX", MATCH,
            "The archive in S3 (or --s3-prefix).");
    static final Setting<String> SWIFT_PREFIX = Setting.text("WALE_SWIFT_PREFIX", MATCH,
            "The archive in OpenStack Swift (no option, as in WAL-E).");
    static final Setting<String> WABS_PREFIX = Setting.text("WALE_WABS_PREFIX", MATCH,
            "The archive in Azure Blob Storage (or --wabs-prefix).");
    /** WAL-E's precedence among the prefix variables. */
    static final List<Setting<String>> PREFIXES = List.of(FILE_PREFIX, GS_PREFIX, S3_PREFIX, SWIFT_PREFIX,
            WABS_PREFIX);
    static final Setting<String> GPG_KEY_ID = Setting.text("WALE_GPG_KEY_ID", MATCH,
            "Encrypt to this GPG key (or --gpg-key-id).");
    static final Setting<String> COMPRESSION = Setting.text("WALJ_COMPRESSION", MATCH,
            "lzo (default) or lz4, for what is written (or --compression).");
    /** Empty is kept: an empty value is a mistake to report, not "unset" (FailureExit). */
    static final Setting<Integer> FETCH_ERROR_EXIT_CODE = Setting.integer(FailureExit.VARIABLE, MATCH,
            ExitStatus.FETCH_FAILED, 1, 255,
            "wal-fetch's exit status for failures other than \"not in the archive\" (also read by the launcher).")
            .keepingEmpty();
    /** Set at all, even empty: print stack traces. */
    static final Setting<String> DEBUG = Setting.text("WALJ_DEBUG", MATCH, "Print stack traces of failures.")
            .keepingEmpty();
    /** Read by logging when logback starts, before main (docs/logging.md); declared here for the daemon and docs. */
    static final Setting<String> LOG_DESTINATION = Setting.text("WALE_LOG_DESTINATION", MATCH,
            "Where log records go: stderr and/or syslog.");
    /** Read by logging when logback starts, like WALE_LOG_DESTINATION. */
    static final Setting<String> SYSLOG_FACILITY = Setting.text("WALE_SYSLOG_FACILITY", MATCH,
            "The syslog facility of the syslog destination (user).");
    /** Read by logging when logback starts: a syslog socket other than WAL-E's /dev/log, /var/run/log, ... */
    static final Setting<String> SYSLOG_SOCKET = Setting.text("WALJ_SYSLOG_SOCKET", MATCH,
            "The syslog destination's datagram socket instead of /dev/log.");

    static final Setting<String> HOME = Setting.text("HOME", Scope.PROCESS, "Home of ~/.gnupg and ~/.pgpass.");
    static final Setting<String> USER = Setting.text("USER", Scope.PROCESS, "backup-push's default PGUSER.");
    static final Setting<String> PATH = Setting.text("PATH", Scope.PROCESS,
            "Where backup-push --while-offline looks for pg_config / pg_controldata.");
    /** status: the data directory whose archive_status backlog it counts, when --pgdata is not given. */
    static final Setting<String> PGDATA = Setting.text("PGDATA", Scope.PROCESS,
            "status's data directory, whose .ready backlog it counts (or --pgdata).");
    /** libpq's variables, for backup-push's connection (postgres/ConnectionSettings). */
    static final List<Setting<String>> POSTGRES = List.of(
            Setting.text("PGHOST", Scope.PROCESS, "backup-push's server: host or socket directory."),
            Setting.text("PGPORT", Scope.PROCESS, "backup-push's server port (5432)."),
            Setting.text("PGUSER", Scope.PROCESS, "backup-push's user (the OS user)."),
            Setting.text("PGDATABASE", Scope.PROCESS, "backup-push's database (postgres)."),
            Setting.secret("PGPASSWORD", Scope.PROCESS, "backup-push's password."),
            Setting.text("PGPASSFILE", Scope.PROCESS, "backup-push's password file (~/.pgpass)."));

    /** backup-push, backup-fetch, backup-verify: when to draw a progress line on stderr (docs/logging.md). */
    static final Setting<ProgressMode> PROGRESS = Setting.of("WALJ_PROGRESS", Scope.PROCESS, ProgressMode::parse,
            ProgressMode.AUTO, "auto, always or never: a progress line on stderr for backup-push, -fetch, -verify.");
    /** backup-push's --start-fast when the option is not given. */
    static final Setting<Boolean> START_FAST = Setting.of("WALJ_START_FAST", Scope.PROCESS, Setting::walEBoolean,
            false, "backup-push starts after an immediate checkpoint instead of a spread one (or --start-fast).");

    /** backup-push from a hot standby: how long to wait for the primary to archive the stop segment. */
    static final Setting<Integer> STANDBY_ARCHIVE_WAIT = Setting.integer("WALJ_STANDBY_ARCHIVE_WAIT_SECONDS",
            Scope.PROCESS, 600, 0, 86400,
            "backup-push on a standby: seconds to wait for the primary to archive the backup's last segment (600).");
    /** The standby's primary, for pg_switch_wal() instead of waiting: libpq's names behind this prefix. */
    static final String PRIMARY_PREFIX = "WALJ_PRIMARY_";
    static final List<Setting<String>> PRIMARY_POSTGRES = List.of(
            Setting.text(PRIMARY_PREFIX + "PGHOST", Scope.PROCESS,
                    "backup-push on a standby: its primary (host or socket directory), to run pg_switch_wal()."),
            Setting.text(PRIMARY_PREFIX + "PGPORT", Scope.PROCESS, "The primary's port (5432)."),
            Setting.text(PRIMARY_PREFIX + "PGUSER", Scope.PROCESS, "The primary's user (the OS user)."),
            Setting.text(PRIMARY_PREFIX + "PGDATABASE", Scope.PROCESS, "The primary's database (postgres)."),
            Setting.secret(PRIMARY_PREFIX + "PGPASSWORD", Scope.PROCESS, "The primary's password."),
            Setting.text(PRIMARY_PREFIX + "PGPASSFILE", Scope.PROCESS, "The primary's password file (~/.pgpass)."));

    static final List<Setting<?>> ALL = all();

    private CliVariables() {
    }

    private static List<Setting<?>> all() {
        List<Setting<?>> all = new ArrayList<>(PREFIXES);
        all.addAll(List.of(GPG_KEY_ID, COMPRESSION, FETCH_ERROR_EXIT_CODE, DEBUG, LOG_DESTINATION, SYSLOG_FACILITY,
                SYSLOG_SOCKET, HOME, USER, PATH,
                PROGRESS, START_FAST, PGDATA));
        all.addAll(POSTGRES);
        all.add(STANDBY_ARCHIVE_WAIT);
        all.addAll(PRIMARY_POSTGRES);
        return List.copyOf(all);
    }
}
