package org.walj.archive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Sentinels and timeline histories are read whole: a few hundred bytes each, so anything past 1 MiB is not one. */
final class SmallObjects {
    private static final int MAX_BYTES = 1 << 20;

    private SmallObjects() {
    }

    /** All of {@code in}; past 1 MiB an IOException "{@code url}: larger than 1 MiB, not a {@code kind}". */
    static byte[] readAll(InputStream in, String url, String kind) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) > 0) {
            out.write(buf, 0, n);
            if (out.size() > MAX_BYTES) {
                throw new IOException(url + ": larger than 1 MiB, not a " + kind);
            }
        }
        return out.toByteArray();
    }
}
