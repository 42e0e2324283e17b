package org.walj.pipeline;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Streams the codec tests of every format share. */
public final class TestStreams {
    private TestStreams() {
    }

    /** Accepts {@code capacity} bytes, then fails every write with "disk full"; records close(). */
    public static final class FailingSink extends OutputStream {
        private final int capacity;
        public int written;
        public boolean closed;

        public FailingSink(int capacity) {
            this.capacity = capacity;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (written + len > capacity) {
                throw new IOException("disk full");
            }
            written += len;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    public static final class CloseTracking extends ByteArrayInputStream {
        public boolean closed;

        public CloseTracking(byte[] b) {
            super(b);
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
