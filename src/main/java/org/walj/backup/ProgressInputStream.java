package org.walj.backup;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongConsumer;
import org.walj.logging.Progress;

/** A stored object's bytes as they are read, counted into a {@link Progress} (or any other count of bytes moved). */
final class ProgressInputStream extends FilterInputStream {
    private final LongConsumer progress;

    ProgressInputStream(InputStream in, Progress progress) {
        this(in, (LongConsumer) progress::add);
    }

    ProgressInputStream(InputStream in, LongConsumer counter) {
        super(in);
        this.progress = counter;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            progress.accept(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            progress.accept(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = in.skip(n);
        if (skipped > 0) {
            progress.accept(skipped);
        }
        return skipped;
    }
}
