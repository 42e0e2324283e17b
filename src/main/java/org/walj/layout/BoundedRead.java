package org.walj.layout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reads a small object whole, refusing one larger than it can be (a damaged or hostile archive). */
final class BoundedRead {
    private BoundedRead() {
    }

    /** @param tooLarge the message when {@code in} holds more than {@code maxBytes} */
    static byte[] bytes(InputStream in, int maxBytes, String tooLarge) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) > 0) {
            out.write(buf, 0, n);
            if (out.size() > maxBytes) {
                throw new IOException(tooLarge);
            }
        }
        return out.toByteArray();
    }
}
