package org.walj.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.walj.postgres.SegmentName;

class BackupLayoutTest {
    private static final SegmentName START = SegmentName.parse("000000010000000000000002").orElseThrow();

    @Test
    void namesAreWalEsWithADecimalOffset() {
        // start LSN 0/2000028: offset 0x28 = 40
        BackupName name = BackupName.of(START, 0x28);
        assertEquals("base_000000010000000000000002_00000040", name.toString());
        assertEquals(name, BackupName.parse("base_000000010000000000000002_00000040").orElseThrow());
        assertEquals("base_000000010000000000000002_12345678", BackupName.of(START, 1_234_567_890L).toString());
        assertTrue(BackupName.parse("base_000000010000000000000002").isEmpty());
        assertTrue(BackupName.parse("base_000000010000000000000002_0000004").isEmpty());
    }

    @Test
    void objectKeysAreWalEs() {
        BackupName name = BackupName.of(START, 40);
        assertEquals("basebackups_005/base_000000010000000000000002_00000040/tar_partitions/part_00000003.tar.lzo",
                BackupLayout.partitionKey(name, 3, ".lzo"));
        assertEquals("basebackups_005/base_000000010000000000000002_00000040/extended_version.txt",
                BackupLayout.extendedVersionKey(name));
        assertEquals("basebackups_005/base_000000010000000000000002_00000040_backup_stop_sentinel.json",
                BackupLayout.sentinelKey(name));
    }

    @Test
    void sentinelJsonIsByteForBytePythonJsonDumps() {
        BackupSentinel s = new BackupSentinel(SegmentName.parse("000000010000000000000004").orElseThrow(), "00000312",
                23071209, new RestoreSpec("/var/lib/postgresql/9.6/main/",
                        List.of(new Tablespace("16385", "/srv/ts1/", "pg_tblspc/16385"))));
        assertEquals("{\"wal_segment_backup_stop\": \"000000010000000000000004\", \"wal_segment_offset_backup_stop\": "
                + "\"00000312\", \"expanded_size_bytes\": 23071209, \"spec\": {\"base_prefix\": "
                + "\"/var/lib/postgresql/9.6/main/\", \"tablespaces\": [\"16385\"], \"16385\": {\"loc\": \"/srv/ts1/\", "
                + "\"link\": \"pg_tblspc/16385\"}}}", s.toJson());
        BackupSentinel odd = new BackupSentinel(s.stopSegment(), "00000312", 0, new RestoreSpec("/d\u00e9j\u00e0 \"x\"/", List.of()));
        assertTrue(odd.toJson().contains("\"base_prefix\": \"/d\\u00e9j\\u00e0 \\\"x\\\"/\", \"tablespaces\": []}"),
                odd.toJson());
    }
}
