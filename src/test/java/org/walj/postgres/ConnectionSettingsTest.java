package org.walj.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectionSettingsTest {

    @Test
    void libpqVariablesAndDefaults(@TempDir Path home) {
        ConnectionSettings s = ConnectionSettings.fromEnvironment(
                Map.of("PGHOST", "/run/pg,otherhost", "PGPORT", "5433", "PGUSER", "alice"), home, "osuser");
        assertTrue(s.viaUnixSocket());
        assertEquals(Path.of("/run/pg/.s.PGSQL.5433"), s.socketFile());
        assertEquals("alice", s.user());
        assertEquals("postgres", s.database(), "WAL-E's psql connected to database postgres");

        ConnectionSettings d = ConnectionSettings.fromEnvironment(Map.of("PGHOST", "db.example"), home, "osuser");
        assertEquals(5432, d.port());
        assertEquals("osuser", d.user());
        assertFalse(d.viaUnixSocket());
        assertThrows(IllegalArgumentException.class,
                () -> ConnectionSettings.fromEnvironment(Map.of("PGPORT", "x"), home, "u"));
    }

    @Test
    void passwordFromPgpassAndNeverInTheDescription(@TempDir Path home) throws IOException {
        Files.writeString(home.resolve(".pgpass"), "# comment\nother:*:*:*:nope\n"
                + "db.example:5432:postgres:alice:pa\\:ss\nlocalhost:*:*:bob:sock-pw\n");
        ConnectionSettings s = ConnectionSettings.fromEnvironment(
                Map.of("PGHOST", "db.example", "PGUSER", "alice"), home, "u");
        assertEquals(Optional.of("pa:ss"), s.password());
        assertFalse(s.describe().contains("pa:ss"));
        assertFalse(s.toString().contains("pa:ss"));

        ConnectionSettings sock = ConnectionSettings.fromEnvironment(
                Map.of("PGHOST", "/tmp/sock", "PGUSER", "bob"), home, "u");
        assertEquals(Optional.of("sock-pw"), sock.password(), "a socket connection matches localhost lines");

        ConnectionSettings env = ConnectionSettings.fromEnvironment(
                Map.of("PGHOST", "db.example", "PGUSER", "alice", "PGPASSWORD", "from-env"), home, "u");
        assertEquals(Optional.of("from-env"), env.password(), "PGPASSWORD wins over the file");
        ConnectionSettings none = ConnectionSettings.fromEnvironment(
                Map.of("PGHOST", "db.example", "PGUSER", "carol", "PGPASSFILE", home.resolve("missing").toString()),
                home, "u");
        assertEquals(Optional.empty(), none.password());
    }
}
