package org.walj.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.walj.postgres.SegmentName;

class WalFileNameTest {

    @Test
    void walFileNamesMustBePlainNames() {
        SegmentName two = new SegmentName(1, 0, 2);
        assertEquals(Optional.of(new WalFileName.Known(WalFileName.Kind.TIMELINE_HISTORY, new SegmentName(2, 0, 0))),
                new WalFileName("00000002.history").known());
        assertEquals(Optional.of(new WalFileName.Known(WalFileName.Kind.BACKUP_HISTORY, two)),
                new WalFileName("000000010000000000000002.00000028.backup").known());
        assertEquals(Optional.of(new WalFileName.Known(WalFileName.Kind.PARTIAL_SEGMENT, two)),
                new WalFileName("000000010000000000000002.partial").known());
        assertEquals(Optional.of(new WalFileName.Known(WalFileName.Kind.SEGMENT, two)),
                new WalFileName("000000010000000000000002").known());
        assertEquals(Optional.of(two), new WalFileName("000000010000000000000002").segment());
        assertEquals(Optional.empty(), new WalFileName("000000010000000000000002.partial").segment(),
                "only a plain segment name is a segment");
        assertFalse(new WalFileName("RECOVERYXLOG").known().isPresent());
        assertFalse(new WalFileName("0000000a.history").known().isPresent());
        assertThrows(IllegalArgumentException.class, () -> new WalFileName("../../etc/passwd"));
        assertThrows(IllegalArgumentException.class, () -> new WalFileName(".."));
        assertThrows(IllegalArgumentException.class, () -> new WalFileName(""));
        assertEquals("wal_005/00000002.history.lzo", ArchiveLayout.walObjectKey(new WalFileName("00000002.history"), ".lzo"));
    }
}
