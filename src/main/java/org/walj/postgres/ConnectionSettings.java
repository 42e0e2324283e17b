package org.walj.postgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where and as whom to connect, from libpq's environment variables, so that the cron line that ran WAL-E (whose
 * {@code psql} read the same variables) works unchanged.
 *
 * <ul>
 * <li>{@code PGHOST}: a host name, or an absolute directory holding the server's unix socket. Unset: the Debian
 * default socket directory {@code /var/run/postgresql} when the socket is there, else {@code localhost}. Only the
 * first of a comma-separated list is used.</li>
 * <li>{@code PGPORT} (5432), {@code PGUSER} (the OS user), {@code PGDATABASE} ({@code postgres}, the database
 * WAL-E's {@code psql -d postgres} used).</li>
 * <li>{@code PGPASSWORD}, else the first matching line of {@code PGPASSFILE} or {@code ~/.pgpass}.</li>
 * </ul>
 * The password is never part of {@link #toString()} or {@link #describe()}.
 */
public final class ConnectionSettings {
    static final Path DEFAULT_SOCKET_DIRECTORY = Path.of("/var/run/postgresql");

    private final String host;
    private final int port;
    private final String user;
    private final String database;
    private final String password;

    private ConnectionSettings(String host, int port, String user, String database, String password) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.database = database;
        this.password = password;
    }

    /** Settings from {@code env}; {@code home} is where {@code .pgpass} is looked for. */
    public static ConnectionSettings fromEnvironment(Map<String, String> env, Path home, String osUser) {
        int port = port(get(env, "PGPORT").orElse("5432"));
        String host = get(env, "PGHOST").map(h -> h.split(",", -1)[0].trim()).filter(h -> !h.isEmpty())
                .orElseGet(() -> Files.exists(DEFAULT_SOCKET_DIRECTORY.resolve(".s.PGSQL." + port))
                        ? DEFAULT_SOCKET_DIRECTORY.toString() : "localhost");
        String user = get(env, "PGUSER").orElse(osUser);
        String database = get(env, "PGDATABASE").orElse("postgres");
        String password = get(env, "PGPASSWORD").orElseGet(() -> {
            Path file = get(env, "PGPASSFILE").map(Path::of).orElse(home == null ? null : home.resolve(".pgpass"));
            if (file == null) {
                return null;
            }
            // libpq matches a unix-socket connection against "localhost" (and the socket directory)
            Optional<String> found = PgPass.lookup(file, host, port, database, user);
            if (found.isEmpty() && host.startsWith("/")) {
                found = PgPass.lookup(file, "localhost", port, database, user);
            }
            return found.orElse(null);
        });
        return new ConnectionSettings(host, port, user, database, password);
    }

    public boolean viaUnixSocket() {
        return host.startsWith("/");
    }

    /** The socket file libpq would use: {@code <dir>/.s.PGSQL.<port>}. */
    public Path socketFile() {
        return Path.of(host, ".s.PGSQL." + port);
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String user() {
        return user;
    }

    public String database() {
        return database;
    }

    Optional<String> password() {
        return Optional.ofNullable(password);
    }

    /** Where this connects, for messages: never includes the password. */
    public String describe() {
        String where = viaUnixSocket() ? "socket \"" + socketFile() + "\"" : "host \"" + host + "\" port " + port;
        return where + " as user \"" + user + "\" to database \"" + database + "\"";
    }

    @Override
    public String toString() {
        return describe();
    }

    private static Optional<String> get(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    private static int port(String text) {
        try {
            int p = Integer.parseInt(text.trim());
            if (p < 1 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid PGPORT value: \"" + text + "\"");
        }
    }
}
