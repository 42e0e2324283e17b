package org.walj.storage.s3;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One part's bytes in {@link PartMemory}'s slabs: filled once by one thread (the uploading caller), then read any
 * number of times through {@link #newStream()} (the SDK reads a body once to sign or checksum it and once to send
 * it, and again on a retry). {@link #release()} gives the memory back; it is idempotent.
 */
final class Part {
    private final PartMemory memory;
    private final int capacity;
    private final int reservation;
    private final ByteBuffer[] slabs;
    private int count;
    private int length;
    private boolean released;

    Part(PartMemory memory, int capacity, int reservation) {
        this.memory = memory;
        this.capacity = capacity;
        this.reservation = reservation;
        this.slabs = new ByteBuffer[reservation];
    }

    int capacity() {
        return capacity;
    }

    int length() {
        return length;
    }

    /** Appends one byte (the byte read ahead to see whether the content goes on). */
    void append(int b) {
        if (length == capacity) {
            throw new IllegalStateException("part full");
        }
        current().put((byte) b);
        length++;
    }

    /**
     * Appends bytes of {@code in} until the part is full or the stream ends, through {@code scratch} (slabs are
     * outside the heap, so a stream cannot read into them); returns the count appended.
     */
    int fill(InputStream in, byte[] scratch) throws IOException {
        int total = 0;
        while (length < capacity) {
            int n = in.read(scratch, 0, Math.min(scratch.length, capacity - length));
            if (n < 0) {
                break;
            }
            int off = 0;
            while (off < n) {
                ByteBuffer slab = current();
                int k = Math.min(n - off, slab.remaining());
                slab.put(scratch, off, k);
                off += k;
            }
            length += n;
            total += n;
        }
        return total;
    }

    /** The slab the next byte goes into: the last one taken, or a new one when that is full. */
    private ByteBuffer current() {
        if (count == 0 || !slabs[count - 1].hasRemaining()) {
            slabs[count++] = memory.slab();
        }
        return slabs[count - 1];
    }

    /** The part's bytes, from the first. */
    InputStream newStream() {
        return new Reader();
    }

    /** Gives the memory back; the part must not be read afterwards. */
    void release() {
        synchronized (this) {
            if (released) {
                return;
            }
            released = true;
        }
        memory.release(reservation, slabs, count);
    }

    private final class Reader extends InputStream {
        private int position;
        private int mark;

        @Override
        public boolean markSupported() {
            return true;
        }

        @Override
        public synchronized void mark(int readLimit) {
            mark = position;
        }

        @Override
        public synchronized void reset() {
            position = mark;
        }

        @Override
        public int read() {
            if (position >= length) {
                return -1;
            }
            int b = slabs[position / PartMemory.SLAB].get(position % PartMemory.SLAB) & 0xff;
            position++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (position >= length) {
                return -1;
            }
            int n = Math.min(len, length - position);
            int done = 0;
            while (done < n) {
                ByteBuffer slab = slabs[(position + done) / PartMemory.SLAB];
                int at = (position + done) % PartMemory.SLAB;
                int k = Math.min(n - done, PartMemory.SLAB - at);
                slab.get(at, b, off + done, k);
                done += k;
            }
            position += n;
            return n;
        }

        @Override
        public long skip(long n) {
            long k = Math.max(0, Math.min(n, (long) length - position));
            position += (int) k;
            return k;
        }

        @Override
        public int available() {
            return Math.max(0, length - position);
        }
    }
}
