package org.walj.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WalFileNameTest {

    @Test
    void walFileNamesMustBePlainNames() {
        assertTrue(new WalFileName("00000002.history").isKnownKind());
        assertTrue(new WalFileName("000000010000000000000002.00000028.backup").isKnownKind());
        assertTrue(new WalFileName("000000010000000000000002.partial").isKnownKind());
        assertFalse(new WalFileName("RECOVERYXLOG").isKnownKind());
        assertThrows(IllegalArgumentException.class, () -> new WalFileName("../../etc/passwd"));
        assertThrows(IllegalArgumentException.class, () -> new WalFileName(".."));
        assertThrows(IllegalArgumentException.class, () -> new WalFileName(""));
        assertEquals("wal_005/00000002.history.lzo", ArchiveLayout.walObjectKey(new WalFileName("00000002.history"), ".lzo"));
    }
}
