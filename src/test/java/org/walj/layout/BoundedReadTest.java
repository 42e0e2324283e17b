package org.walj.layout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class BoundedReadTest {
    @Test
    void upToTheBoundIsReadWholeAndOneByteMoreIsRefused() throws IOException {
        byte[] exactly = new byte[20_000];
        exactly[19_999] = 7;
        assertArrayEquals(exactly, BoundedRead.bytes(new ByteArrayInputStream(exactly), 20_000, "too large"));
        IOException e = assertThrows(IOException.class,
                () -> BoundedRead.bytes(new ByteArrayInputStream(new byte[20_001]), 20_000, "x: too large"));
        assertEquals("x: too large", e.getMessage());
    }
}
