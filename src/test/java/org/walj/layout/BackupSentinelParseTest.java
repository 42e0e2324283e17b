package org.walj.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

public class BackupSentinelParseTest {
    public static final String WALE = "{\"wal_segment_backup_stop\": \"000000010000000000000004\", "
            + "\"wal_segment_offset_backup_stop\": \"00000312\", \"expanded_size_bytes\": 23071209, "
            + "\"spec\": {\"base_prefix\": \"/var/lib/postgresql/9.6/main/\", \"tablespaces\": [\"16385\"], "
            + "\"16385\": {\"loc\": \"/srv/ts1/\", \"link\": \"pg_tblspc/16385\"}}}";

    @Test
    void readsWalESentinel() throws IOException {
        BackupSentinel s = BackupSentinel.parse(WALE);
        assertEquals("000000010000000000000004", s.stopSegment().toString());
        assertEquals("00000312", s.stopOffset());
        assertEquals(23071209L, s.expandedSizeBytes());
        assertEquals("/var/lib/postgresql/9.6/main/", s.spec().basePrefix());
        assertEquals(List.of(new Tablespace("16385", "/srv/ts1/", "pg_tblspc/16385")), s.spec().tablespaces());
    }

    @Test
    void roundTripsWhatToJsonWrites() throws IOException {
        BackupSentinel s = BackupSentinel.parse(WALE);
        assertEquals(WALE, s.toJson());
        assertEquals(s, BackupSentinel.parse(s.toJson()));
    }

    @Test
    void anyKeyOrderAndExtraKeys() throws IOException {
        String shuffled = "{\"spec\": {\"tablespaces\": [], \"base_prefix\": \"/d/\"}, \"extra\": [1, {\"x\": null}],"
                + " \"expanded_size_bytes\": 0, \"wal_segment_offset_backup_stop\": \"00000040\","
                + " \"wal_segment_backup_stop\": \"00000002000000000000000A\"}";
        BackupSentinel s = BackupSentinel.parse(shuffled);
        assertEquals("00000002000000000000000A", s.stopSegment().toString());
        assertEquals("/d/", s.spec().basePrefix());
    }

    @Test
    void walGStyleSpecIsRead() throws IOException {
        String json = "{\"wal_segment_backup_stop\": \"000000010000000000000004\", "
                + "\"wal_segment_offset_backup_stop\": \"00000312\", \"expanded_size_bytes\": 1, \"LSN\": 123, "
                + "\"Spec\": {\"base_prefix\": \"/pg/\", \"tablespaces\": [\"7\"], "
                + "\"7\": {\"loc\": \"/t/\", \"link\": \"pg_tblspc/7\"}}}";
        assertEquals(List.of(new Tablespace("7", "/t/", "pg_tblspc/7")),
                BackupSentinel.parse(json).spec().tablespaces());
    }

    @Test
    void clearErrors() {
        assertMessage("sentinel is not valid JSON", "{");
        assertMessage("\"wal_segment_backup_stop\" must be a string",
                "{\"wal_segment_backup_stop\": 4, \"wal_segment_offset_backup_stop\": \"0\"}");
        assertMessage("not a WAL file name", WALE.replace("000000010000000000000004", "xyz"));
        assertMessage("expanded_size_bytes", WALE.replace("23071209", "-1"));
        assertMessage("expanded_size_bytes", WALE.replace("23071209", "1.5"));
        assertMessage("expected a JSON object", "[]");
        assertMessage("tablespace 16385", WALE.replace("\"16385\": {\"loc\"", "\"16386\": {\"loc\""));
    }

    private static void assertMessage(String expected, String json) {
        IOException e = assertThrows(IOException.class, () -> BackupSentinel.parse(json));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"));
    }
}
