package org.walj.backup;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.walj.logging.Progress;

/** A stored object's bytes as they are read, counted into a {@link Progress}. */
final class ProgressInputStream extends FilterInputStream {
    private final Progress progress;

    ProgressInputStream(InputStream in, Progress progress) {
        super(in);
        this.progress = progress;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            progress.add(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            progress.add(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = in.skip(n);
        if (skipped > 0) {
            progress.add(skipped);
        }
        return skipped;
    }
}
