package org.walj.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walj.archive.Archives;
import org.walj.storage.file.FileStorage;

/** backup-list --detail's WAL coverage columns, on the real file backend. */
class BackupListCoverageTest {
    @TempDir
    Path dir;
    FileStorage storage;

    @BeforeEach
    void archive() throws IOException {
        storage = new FileStorage(dir);
        backup("base_000000010000000000000002_00000040", "000000010000000000000003");
        backup("base_000000010000000000000006_00000040", "000000010000000000000007");
        backup("base_00000001000000000000000A_00000040", "00000001000000000000000B");
        for (int n = 2; n <= 0x0E; n++) {
            if (n != 3 && n != 8) { // 3: inside the first backup; 8: after the second, before the third
                put(String.format("wal_005/00000001%016X.lzo", n), "w");
            }
        }
    }

    private void backup(String name, String stop) throws IOException {
        put("basebackups_005/" + name + "_backup_stop_sentinel.json", "{\"wal_segment_backup_stop\": \"" + stop
                + "\", \"wal_segment_offset_backup_stop\": \"00000312\", \"expanded_size_bytes\": 1, "
                + "\"spec\": {\"base_prefix\": \"/d/\", \"tablespaces\": []}}");
    }

    private void put(String key, String content) throws IOException {
        storage.put(key, new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)), null);
    }

    @Test
    void eachBackupSaysHowFarItsWalReaches() throws IOException {
        List<BackupRow> rows = new BackupList(Archives.file(dir)).rows(Optional.empty(), true);
        assertEquals(List.of("missing", "gap", "complete"), rows.stream().map(BackupRow::walCoverage).toList());
        assertEquals("000000010000000000000002", rows.get(0).walReplayableUntil());
        assertEquals("000000010000000000000007", rows.get(1).walReplayableUntil());
        assertEquals("00000001000000000000000E", rows.get(2).walReplayableUntil());
        String table = BackupListFormat.table(rows);
        assertTrue(table.startsWith(String.join("\t", BackupListFormat.COLUMNS)
                + "\twal_coverage\twal_replayable_until\r\n"), table);
        assertTrue(table.contains("\t00000312\tgap\t000000010000000000000007\r\n"), table);
        assertTrue(BackupListFormat.json(rows).contains("\"wal_coverage\": \"complete\", "
                + "\"wal_replayable_until\": \"00000001000000000000000E\"}"));
    }

    @Test
    void withoutDetailOrWithoutAReaderTheTableIsWalEs() throws IOException {
        List<BackupRow> plain = new BackupList(Archives.file(dir)).rows(Optional.empty(), false);
        assertNull(plain.get(0).walCoverage());
        List<BackupRow> noReader = new BackupList(Archives.file(dir), false).rows(Optional.empty(), true);
        assertNull(noReader.get(0).walCoverage());
        assertEquals(String.join("\t", BackupListFormat.COLUMNS) + "\r\n",
                BackupListFormat.table(noReader).lines().findFirst().orElseThrow() + "\r\n");
    }

    @Test
    void anUnreadableHistoryMakesTheCoverageUnknown() throws IOException {
        put("wal_005/00000002.history.lzo", "h");
        List<BackupRow> rows = new BackupList(Archives.file(dir)).rows(Optional.empty(), true);
        assertEquals(List.of("unknown", "unknown", "unknown"), rows.stream().map(BackupRow::walCoverage).toList());
    }
}
