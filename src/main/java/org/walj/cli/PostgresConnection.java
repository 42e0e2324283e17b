package org.walj.cli;

import java.nio.file.Path;
import org.walj.UserException;
import org.walj.postgres.ConnectionSettings;
import org.walj.settings.Settings;

/** The server libpq's variables name (PGHOST, PGPORT, PGUSER, ...), for backup-push and status. */
final class PostgresConnection {
    private PostgresConnection() {
    }

    static ConnectionSettings of(Settings env) {
        String home = env.get(CliVariables.HOME).orElse(System.getProperty("user.home"));
        String user = env.get(CliVariables.USER).orElse(System.getProperty("user.name"));
        try {
            return ConnectionSettings.fromEnvironment(env.texts(CliVariables.POSTGRES), Path.of(home), user);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
    }
}
