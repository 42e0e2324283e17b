package org.walj.layout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestEntriesTest {
    private static byte[] sha(int seed) {
        byte[] b = new byte[ManifestEntry.SHA256_BYTES];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (seed * 31 + i);
        }
        return b;
    }

    /** Every entry comes back whole under its number, and is found by its exact name only. */
    @Test
    void entriesRoundTripAndAreFoundByExactName() {
        ManifestEntries entries = new ManifestEntries();
        List<ManifestEntry> added = new ArrayList<>();
        String odd = new String(new byte[] {'d', '/', (byte) 0xc3, (byte) 0xa9, ' ', '\t', 'x'}, StandardCharsets.UTF_8);
        added.add(ManifestEntry.directory(0, "./", 0700));
        added.add(ManifestEntry.file(0, "base/1/1259", 0600, 8192, sha(1)));
        added.add(ManifestEntry.file(3, "base/1/1259_fsm", 0640, 3L << 31, sha(2))); // larger than an int
        added.add(ManifestEntry.symlink(1, "pg_wal", 0777, "/srv/wal"));
        added.add(ManifestEntry.file(70_000, odd, 0600, 0, sha(3))); // a partition number above a char
        added.add(ManifestEntry.file(65_535, "p/65535", 0600, 1, sha(4))); // the marker value itself
        added.add(new ManifestEntry(2, "base/1/1249", 5, sha(5))); // version 1: no mode, no type
        for (int i = 0; i < 100; i++) { // across several restarts of the front coding
            added.add(ManifestEntry.file(i % 7, String.format("many/d%03d/f%07d", i / 30, i), 0600, i, sha(i)));
        }
        for (ManifestEntry e : added) {
            assertTrue(entries.add(e), e.name());
        }
        assertEquals(added.size(), entries.size());
        for (int i = 0; i < added.size(); i++) {
            ManifestEntry want = added.get(i);
            ManifestEntry got = entries.get(i);
            assertEquals(want.partition(), got.partition(), want.name());
            assertEquals(want.partition(), entries.partition(i));
            assertEquals(want.name(), got.name());
            assertEquals(want.name(), entries.name(i));
            assertEquals(want.type(), got.type());
            assertEquals(want.mode(), got.mode());
            assertEquals(want.size(), got.size());
            assertArrayEquals(want.sha256(), got.sha256());
            assertEquals(want.target(), got.target());
            assertEquals(i, entries.indexOf(want.name()), want.name());
        }
        // names that differ only in spelling or by one byte are other names
        for (String other : List.of("base/1/125", "base/1/12590", "./base/1/1259", "base/1/1259/", "", ".",
                "many/d000/f000000", "many/d000/f00000000", "PG_WAL")) {
            assertEquals(-1, entries.indexOf(other), other);
        }
    }

    /** A name listed twice is refused and nothing of it is kept, however many entries lie between. */
    @Test
    void duplicatesAreRefused() {
        ManifestEntries entries = new ManifestEntries();
        assertTrue(entries.add(ManifestEntry.file(0, "a", 0600, 1, sha(1))));
        for (int i = 0; i < 5_000; i++) { // through several rehashes
            assertTrue(entries.add(ManifestEntry.file(1, "f" + i, 0600, i, sha(i))));
        }
        assertFalse(entries.add(ManifestEntry.directory(2, "a", 0700)));
        assertFalse(entries.add(ManifestEntry.file(1, "f4999", 0600, 0, sha(0))));
        assertTrue(entries.add(ManifestEntry.file(1, "a/", 0600, 0, sha(0))), "another spelling is another name");
        assertEquals(5_002, entries.size());
        assertEquals(0, entries.indexOf("a"));
        assertEquals(ManifestEntry.Type.FILE, entries.get(0).type());
        assertEquals(5_000, entries.indexOf("f4999"));
        assertEquals(4_999, entries.get(5_000).size());
    }
}
