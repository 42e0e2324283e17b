package org.walj.layout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PackedNamesTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Names are read back exactly, in any order, across restarts, with prefixes shared and not, and equal ones. */
    @Test
    void everyNameReadsBackExactly() {
        List<byte[]> added = new ArrayList<>();
        PackedNames names = new PackedNames();
        String[] spellings = {"base/1/1259", "base/1/1259_fsm", "base/1/125", "base/1/125", "", "global/pg_control",
            "./a", "a", "a/", "pg_wal/000000010000000000000002", "é/ü/ 名前", "base/1/1259"};
        for (int round = 0; round < 5; round++) {
            for (String s : spellings) {
                byte[] b = utf8(s);
                names.add(b);
                added.add(b);
            }
        }
        assertEquals(added.size(), names.size());
        for (int i = added.size() - 1; i >= 0; i--) {
            assertArrayEquals(added.get(i), names.get(i), "name " + i);
            assertTrue(names.equals(i, added.get(i)));
        }
        int[] seen = {0};
        names.forEach((i, name, length) -> {
            assertArrayEquals(added.get(i), java.util.Arrays.copyOf(name, length));
            seen[0]++;
        });
        assertEquals(added.size(), seen[0]);
    }

    /** Bytes that are not UTF-8, NUL, 0xff and names longer than the decode buffer and than 127 bytes (varints). */
    @Test
    void oddBytesAndLongNames() {
        PackedNames names = new PackedNames();
        byte[] odd = {(byte) 0xff, 0, (byte) 0x80, 'x', (byte) 0xc3};
        byte[] oddLonger = {(byte) 0xff, 0, (byte) 0x80, 'x', (byte) 0xc3, (byte) 0xfe};
        byte[] longName = new byte[70_000];
        new Random(1).nextBytes(longName);
        byte[] longSibling = longName.clone();
        longSibling[69_999] ^= 1;
        byte[][] all = {odd, oddLonger, longName, longSibling, odd, new byte[0]};
        for (byte[] b : all) {
            names.add(b);
        }
        for (int i = 0; i < all.length; i++) {
            assertArrayEquals(all[i], names.get(i));
        }
        assertFalse(names.equals(0, oddLonger), "a name is not equal to a longer one it is a prefix of");
        assertFalse(names.equals(1, odd), "nor to its prefix");
        assertFalse(names.equals(3, longName));
        assertTrue(names.equals(4, odd));
    }

    /** 300,000 directory-sorted names span several blocks (records cut at a block's end) and cost a few bytes each. */
    @Test
    void manyNamesAcrossBlocksStayCompact() {
        PackedNames names = new PackedNames();
        int n = 300_000;
        for (int i = 0; i < n; i++) {
            names.add(utf8(String.format("many/d%03d/f%07d", i / 10_000, i % 10_000)));
        }
        Random r = new Random(7);
        for (int k = 0; k < 10_000; k++) {
            int i = r.nextInt(n);
            assertEquals(String.format("many/d%03d/f%07d", i / 10_000, i % 10_000),
                    new String(names.get(i), StandardCharsets.UTF_8));
        }
        assertEquals(String.format("many/d%03d/f%07d", (n - 1) / 10_000, (n - 1) % 10_000),
                new String(names.get(n - 1), StandardCharsets.UTF_8));
        // 18-byte names, one whole in every 16, the others sharing all but a byte or two
        assertTrue(names.storedBytes() < 5L * n, names.storedBytes() + " bytes for " + n + " names");
        assertTrue(names.storedBytes() > 1 << 20, "the test must cross a block boundary (1 MiB)");
    }

    @Test
    void numbersOutsideTheListAreRefused() {
        PackedNames names = new PackedNames();
        assertThrows(IndexOutOfBoundsException.class, () -> names.get(0));
        names.add(utf8("x"));
        assertThrows(IndexOutOfBoundsException.class, () -> names.get(1));
        assertThrows(IndexOutOfBoundsException.class, () -> names.get(-1));
    }
}
