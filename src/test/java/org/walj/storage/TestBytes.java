package org.walj.storage;

import java.io.IOException;
import java.io.InputStream;
import java.util.Random;

/** What the backends' storage and fault tests put and read back: seeded random bytes, a whole object. */
public final class TestBytes {
    private TestBytes() {
    }

    /** {@code size} random bytes, the same for the same {@code seed}. */
    public static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** The whole object at {@code key}. */
    public static byte[] read(Storage storage, String key) throws IOException {
        try (InputStream in = storage.get(key)) {
            return in.readAllBytes();
        }
    }
}
