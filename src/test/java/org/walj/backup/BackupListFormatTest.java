package org.walj.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walj.archive.Archives;
import org.walj.storage.file.FileStorage;

class BackupListFormatTest {
    static final String HEADER = "name\tlast_modified\texpanded_size_bytes\twal_segment_backup_start\t"
            + "wal_segment_offset_backup_start\twal_segment_backup_stop\twal_segment_offset_backup_stop\r\n";

    @TempDir
    Path archive;

    @Test
    void headerAlwaysEvenWithoutBackups() {
        assertEquals(HEADER, BackupListFormat.table(List.of()));
        assertEquals("[]\n", BackupListFormat.json(List.of()));
    }

    @Test
    void exactBytesWithAndWithoutDetail() throws IOException {
        String name = "base_000000010000000000000002_00000040";
        String key = "basebackups_005/" + name + "_backup_stop_sentinel.json";
        FileStorage storage = new FileStorage(archive);
        storage.put(key, new ByteArrayInputStream(("{\"wal_segment_backup_stop\": \"000000010000000000000004\", "
                + "\"wal_segment_offset_backup_stop\": \"00000312\", \"expanded_size_bytes\": 23071209, "
                + "\"spec\": {\"base_prefix\": \"/d/\", \"tablespaces\": []}}").getBytes(StandardCharsets.UTF_8)), null);
        Files.setLastModifiedTime(archive.resolve(key), FileTime.from(Instant.parse("2017-03-01T20:20:37.123456Z")));
        BackupList list = new BackupList(Archives.file(archive), false);

        assertEquals(HEADER + name + "\t2017-03-01T20:20:37.123Z\t\t000000010000000000000002\t00000040\t\t\r\n",
                BackupListFormat.table(list.rows(Optional.empty(), false)));
        assertEquals(HEADER + name + "\t2017-03-01T20:20:37.123Z\t23071209\t000000010000000000000002\t00000040\t"
                        + "000000010000000000000004\t00000312\r\n",
                BackupListFormat.table(list.rows(Optional.of("LATEST"), true)));
        assertEquals("[{\"name\": \"" + name + "\", \"last_modified\": \"2017-03-01T20:20:37.123Z\", "
                        + "\"expanded_size_bytes\": 23071209, \"wal_segment_backup_start\": \"000000010000000000000002\", "
                        + "\"wal_segment_offset_backup_start\": \"00000040\", "
                        + "\"wal_segment_backup_stop\": \"000000010000000000000004\", "
                        + "\"wal_segment_offset_backup_stop\": \"00000312\"}]\n",
                BackupListFormat.json(list.rows(Optional.empty(), true)));
        assertEquals("[{\"name\": \"" + name + "\", \"last_modified\": \"2017-03-01T20:20:37.123Z\", "
                        + "\"expanded_size_bytes\": null, \"wal_segment_backup_start\": \"000000010000000000000002\", "
                        + "\"wal_segment_offset_backup_start\": \"00000040\", \"wal_segment_backup_stop\": null, "
                        + "\"wal_segment_offset_backup_stop\": null}]\n",
                BackupListFormat.json(list.rows(Optional.empty(), false)));
    }

    @Test
    void wholeSecondsStillShowMilliseconds() {
        assertEquals("2017-03-01T20:20:37.000Z", BackupListFormat.lastModified(Instant.parse("2017-03-01T20:20:37Z")));
    }

    @Test
    void minimalQuotingLikePythonCsvExcelTab() {
        assertEquals("plain", BackupListFormat.quoted("plain"));
        assertEquals("with space", BackupListFormat.quoted("with space"));
        assertEquals("\"a\tb\"", BackupListFormat.quoted("a\tb"));
        assertEquals("\"say \"\"hi\"\"\"", BackupListFormat.quoted("say \"hi\""));
        assertEquals("\"a\r\nb\"", BackupListFormat.quoted("a\r\nb"));
        assertEquals("", BackupListFormat.quoted(""));
        BackupRow odd = new BackupRow("n\"x", Instant.EPOCH, OptionalLong.of(0), "s", "o", "t\tt", "p");
        assertEquals(HEADER + "\"n\"\"x\"\t1970-01-01T00:00:00.000Z\t0\ts\to\t\"t\tt\"\tp\r\n",
                BackupListFormat.table(List.of(odd)));
    }
}
