package org.walj.postgres;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

/**
 * One held database session for a non-exclusive base backup. PostgreSQL ties a non-exclusive backup to the session
 * that started it: if this process dies, the server ends the backup by itself, so a killed backup-push leaves nothing
 * behind on the server.
 *
 * <p>Unix sockets: the JDBC driver only speaks TCP through {@code java.net.Socket}; junixsocket's socket factory
 * gives it an AF_UNIX socket (see docs/backup-push.md for why this one).
 */
public final class PgSession implements AutoCloseable {
    private static final String UNIX_SOCKET_FACTORY = "org.newsclub.net.unix.AFUNIXSocketFactory$FactoryArg";

    private final Connection connection;
    private final int serverVersionNum;

    private PgSession(Connection connection, int serverVersionNum) {
        this.connection = connection;
        this.serverVersionNum = serverVersionNum;
    }

    public static PgSession connect(ConnectionSettings settings) throws PostgresUnavailableException {
        // WAL-E ran its statements with --statement-timeout=0: a spread checkpoint may take minutes
        return connect(settings, "wal-j backup-push", 30, 0);
    }

    /**
     * A session for {@code applicationName}; {@code loginTimeoutSeconds} bounds the connection attempt and
     * {@code statementTimeoutMillis} each statement (0: none).
     */
    public static PgSession connect(ConnectionSettings settings, String applicationName, int loginTimeoutSeconds,
                                    long statementTimeoutMillis) throws PostgresUnavailableException {
        Properties p = new Properties();
        p.setProperty("user", settings.user());
        settings.password().ifPresent(pw -> p.setProperty("password", pw));
        p.setProperty("ApplicationName", applicationName);
        p.setProperty("options", "-c statement_timeout=" + statementTimeoutMillis);
        p.setProperty("loginTimeout", Integer.toString(loginTimeoutSeconds));
        p.setProperty("tcpKeepAlive", "true");
        String host = settings.host();
        if (settings.viaUnixSocket()) {
            p.setProperty("socketFactory", UNIX_SOCKET_FACTORY);
            p.setProperty("socketFactoryArg", settings.socketFile().toString());
            p.setProperty("sslmode", "disable");
            host = "localhost";
        }
        String url = "jdbc:postgresql://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + settings.port()
                + "/" + urlEncode(settings.database());
        try {
            Connection c = DriverManager.getConnection(url, p);
            try (Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT current_setting('server_version_num')::int")) {
                r.next();
                return new PgSession(c, r.getInt(1));
            } catch (SQLException e) {
                c.close();
                throw e;
            }
        } catch (SQLException e) {
            throw new PostgresUnavailableException("could not connect to PostgreSQL (" + settings.describe() + "): "
                    + withCause(e));
        }
    }

    /** {@code server_version_num}, e.g. 150004. */
    public int serverVersionNum() {
        return serverVersionNum;
    }

    /** {@code SELECT version()}: the content of {@code extended_version.txt}. */
    public String version() throws IOException {
        return queryString("SELECT version()");
    }

    /** Bytes per WAL segment ({@code wal_segment_size}; its unit changed from 8kB blocks in 10 to bytes in 11). */
    public WalSegmentSize walSegmentSize() throws IOException {
        return new WalSegmentSize(Long.parseLong(queryString("SELECT (setting::bigint * CASE unit WHEN '8kB' THEN 8192 WHEN 'MB' "
                + "THEN 1048576 ELSE 1 END)::text FROM pg_settings WHERE name = 'wal_segment_size'")));
    }

    /** The timeline of the latest checkpoint: after the start call's checkpoint, the backup's timeline. */
    public long checkpointTimeline() throws IOException {
        return Long.parseLong(queryString("SELECT timeline_id::text FROM pg_control_checkpoint()"));
    }

    /** {@code pg_is_in_recovery()}: true on a hot standby (and on a server still recovering). */
    public boolean inRecovery() throws IOException {
        return Boolean.parseBoolean(queryString("SELECT pg_is_in_recovery()::text"));
    }

    /** The cluster's system identifier ({@code pg_control_system()}): the same on a primary and its standbys. */
    public long systemIdentifier() throws IOException {
        return Long.parseLong(queryString("SELECT system_identifier::text FROM pg_control_system()"));
    }

    /**
     * On a standby, the timeline of the minimum recovery point ({@code pg_control_recovery()}), which is what
     * {@code pg_backup_stop} there returns as the stop position's timeline.
     */
    public long minRecoveryTimeline() throws IOException {
        return Long.parseLong(queryString("SELECT min_recovery_end_timeline::text FROM pg_control_recovery()"));
    }

    /** {@code pg_switch_wal()} (on a primary): the current segment is finished, so it gets archived. */
    public Lsn switchWal() throws IOException {
        return Lsn.parse(queryString("SELECT pg_switch_wal()::text"));
    }

    /**
     * Starts a non-exclusive backup. It returns once PostgreSQL has finished the checkpoint it requests: spread over
     * {@code checkpoint_completion_target × checkpoint_timeout}, as WAL-E's non-fast {@code pg_start_backup}, unless
     * {@code fast} asks for an immediate one.
     */
    public Lsn startBackup(String label, boolean fast) throws IOException {
        requireSupported();
        String sql = serverVersionNum >= 150000
                ? "SELECT pg_backup_start(?, " + fast + ")::text"
                : "SELECT pg_start_backup(?, " + fast + ", false)::text";
        return Lsn.parse(queryString(sql, label));
    }

    /** What a spread checkpoint is paced by, to say how long the start call may wait. */
    public CheckpointPacing checkpointPacing() throws IOException {
        String both = queryString("SELECT (SELECT setting FROM pg_settings WHERE name = 'checkpoint_timeout') || ' ' "
                + "|| (SELECT setting FROM pg_settings WHERE name = 'checkpoint_completion_target')");
        String[] parts = both.split(" ");
        try {
            return new CheckpointPacing(Long.parseLong(parts[0]), Double.parseDouble(parts[1]));
        } catch (RuntimeException e) {
            throw new IOException("unexpected checkpoint settings from PostgreSQL: \"" + both + "\"");
        }
    }

    /**
     * {@code checkpoint_timeout} (seconds, pg_settings' unit since 8.x) and {@code checkpoint_completion_target}: the
     * checkpointer paces a requested spread checkpoint to end at about their product after it starts.
     */
    public record CheckpointPacing(long timeoutSeconds, double completionTarget) {
        public CheckpointPacing {
            if (timeoutSeconds < 1 || !(completionTarget >= 0 && completionTarget <= 1)) {
                throw new IllegalArgumentException("checkpoint_timeout " + timeoutSeconds
                        + " s, checkpoint_completion_target " + completionTarget);
            }
        }

        public long spreadSeconds() {
            return Math.round(timeoutSeconds * completionTarget);
        }
    }

    /**
     * Ends the backup and returns the {@code backup_label} and {@code tablespace_map} contents. With
     * {@code waitForArchive}, returns only once the WAL the backup needs is archived, as WAL-E's stop call did.
     */
    public StopResult stopBackup(boolean waitForArchive) throws IOException {
        String sql = serverVersionNum >= 150000
                ? "SELECT lsn::text, labelfile, spcmapfile FROM pg_backup_stop(" + waitForArchive + ")"
                : "SELECT lsn::text, labelfile, spcmapfile FROM pg_stop_backup(false, " + waitForArchive + ")";
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return new StopResult(Lsn.parse(r.getString(1)), r.getString(2), r.getString(3));
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** The one row of {@code pg_stat_archiver} (PostgreSQL 9.4 and later). */
    public ArchiverStats archiverStats() throws IOException {
        String sql = "SELECT archived_count, last_archived_wal, extract(epoch FROM last_archived_time)::float8,"
                + " failed_count, last_failed_wal, extract(epoch FROM last_failed_time)::float8 FROM pg_stat_archiver";
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery(sql)) {
            if (!r.next()) {
                throw new IOException("no result from pg_stat_archiver");
            }
            return new ArchiverStats(r.getLong(1), Optional.ofNullable(r.getString(2)), instant(r, 3), r.getLong(4),
                    Optional.ofNullable(r.getString(5)), instant(r, 6));
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private static Optional<Instant> instant(ResultSet r, int column) throws SQLException {
        double seconds = r.getDouble(column);
        return r.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(Math.round(seconds * 1000)));
    }

    /** The raw result of the stop call. */
    public record StopResult(Lsn lsn, String labelFile, String tablespaceMap) {
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // the server aborts a non-exclusive backup whose session ends, however it ends
        }
    }

    private void requireSupported() throws IOException {
        if (serverVersionNum < 100000) {
            throw new IOException("PostgreSQL " + serverVersionNum + " is not supported: backup-push needs 10 or later");
        }
    }

    private String queryString(String sql, String... parameters) throws IOException {
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setString(i + 1, parameters[i]);
            }
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new IOException("no result from: " + sql);
                }
                return r.getString(1);
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private static IOException failure(SQLException e) {
        return new IOException("PostgreSQL: " + oneLine(e));
    }

    /** The driver's message, first line only (the server's message text; the driver never echoes passwords). */
    static String oneLine(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            Throwable c = e.getCause();
            m = c != null && c.getMessage() != null ? c.getMessage() : e.getClass().getSimpleName();
        }
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)).strip();
    }

    /** The driver's message plus its cause's, when that adds something (e.g. the socket error behind "failed"). */
    static String withCause(Throwable e) {
        String message = oneLine(e);
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null) {
            String because = oneLine(cause);
            if (!message.contains(because) && !message.contains(cause.getMessage())) {
                return message + " (" + because + ")";
            }
        }
        return message;
    }

    private static String urlEncode(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
