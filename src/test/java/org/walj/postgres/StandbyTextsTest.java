package org.walj.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The texts a standby backup reads: backup_label, postgresql.auto.conf and a segment's first page header. */
class StandbyTextsTest {

    @Test
    void backupLabelFromAStandby() {
        BackupLabel l = BackupLabel.parse("START WAL LOCATION: 0/5000060 (file 000000020000000000000005)\n"
                + "CHECKPOINT LOCATION: 0/5000098\nBACKUP METHOD: streamed\nBACKUP FROM: standby\n"
                + "START TIME: 2026-12-07 06:00:00 UTC\nLABEL: freeze_start_x\nSTART TIMELINE: 2\n");
        assertEquals(new BackupLabel(Optional.of(Lsn.parse("0/5000060")), Optional.of(2L), true), l);
        BackupLabel primary = BackupLabel.parse("START WAL LOCATION: 0/2000028 (file 000000010000000000000002)\n"
                + "BACKUP FROM: primary\n");
        assertFalse(primary.fromStandby());
        assertEquals(Optional.empty(), primary.startTimeline(), "older servers wrote no START TIMELINE");
    }

    @Test
    void autoConfSyntax() {
        Map<String, String> s = ConfSettings.parse("# comment\n"
                + "primary_conninfo = 'host=/run/pg passfile=''/x/.pgpass'' application_name=it'\n"
                + "Primary_Slot_Name 'slot1'   # trailing comment\n"
                + "work_mem = 8MB\n"
                + "broken = 'unterminated\n"
                + "restore_command = 'a \\'b\\''\n"
                + "work_mem = 16MB\n");
        assertEquals("host=/run/pg passfile='/x/.pgpass' application_name=it", s.get("primary_conninfo"));
        assertEquals("slot1", s.get("primary_slot_name"));
        assertEquals("16MB", s.get("work_mem"), "the later line wins");
        assertFalse(s.containsKey("broken"));
        assertEquals("a 'b'", s.get("restore_command"));
    }

    @Test
    void longPageHeader() {
        byte[] first = new byte[WalPageHeader.LENGTH];
        ByteBuffer.wrap(first).order(ByteOrder.LITTLE_ENDIAN).putShort(0, (short) 0xD110).putShort(2, (short) 6)
                .putInt(4, 3).putLong(8, 0x5000000L).putLong(24, -42L);
        assertEquals(Optional.of(new WalPageHeader(3, 0x5000000L, -42L)), WalPageHeader.parse(first));
        assertTrue(WalPageHeader.parse(new byte[WalPageHeader.LENGTH]).isEmpty(), "zeros: not a page");
        assertTrue(WalPageHeader.parse(new byte[8]).isEmpty(), "too short");
        ByteBuffer.wrap(first).order(ByteOrder.LITTLE_ENDIAN).putShort(2, (short) 0);
        assertTrue(WalPageHeader.parse(first).isEmpty(), "a short header: not a segment's first page");
    }
}
