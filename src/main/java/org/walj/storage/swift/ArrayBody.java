package org.walj.storage.swift;

import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A request body over part of a byte array, handed to the HTTP client in slices that wrap the array: the JDK's
 * {@code BodyPublishers.ofByteArray} copies the whole range into new buffers on every send, which for 16 MiB segments
 * doubled the bytes allocated per upload (a 1 GiB wal-push peaked near 1 GB of resident memory with the JVM's default
 * heap). Each send (a retry, a repeat after a new token) reads the array again from the start; the array must not
 * change until the request is done, which the callers' part buffers guarantee.
 */
final class ArrayBody implements Flow.Publisher<ByteBuffer> {
    private static final int SLICE = 64 * 1024;

    private final byte[] array;
    private final int offset;
    private final int length;

    private ArrayBody(byte[] array, int offset, int length) {
        this.array = array;
        this.offset = offset;
        this.length = length;
    }

    static HttpRequest.BodyPublisher of(byte[] array, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > array.length) {
            throw new IndexOutOfBoundsException("range " + offset + "+" + length + " of " + array.length);
        }
        if (length == 0) {
            return HttpRequest.BodyPublishers.ofByteArray(new byte[0]); // fromPublisher wants a positive length
        }
        return HttpRequest.BodyPublishers.fromPublisher(new ArrayBody(array, offset, length), length);
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        subscriber.onSubscribe(new Flow.Subscription() {
            private final AtomicBoolean done = new AtomicBoolean();
            private int position = offset; // guarded by this
            private long demand; // guarded by this
            private boolean emitting; // guarded by this: request() may be called from onNext

            @Override
            public void request(long n) {
                if (n <= 0) {
                    if (done.compareAndSet(false, true)) {
                        subscriber.onError(new IllegalArgumentException("non-positive request " + n));
                    }
                    return;
                }
                synchronized (this) {
                    demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
                    if (emitting) {
                        return;
                    }
                    emitting = true;
                }
                while (true) {
                    ByteBuffer next;
                    synchronized (this) {
                        if (done.get() || demand == 0 || position >= offset + length) {
                            emitting = false;
                            break;
                        }
                        int size = Math.min(SLICE, offset + length - position);
                        next = ByteBuffer.wrap(array, position, size).slice();
                        position += size;
                        demand--;
                    }
                    subscriber.onNext(next);
                }
                boolean finished;
                synchronized (this) {
                    finished = position >= offset + length;
                }
                if (finished && done.compareAndSet(false, true)) {
                    subscriber.onComplete();
                }
            }

            @Override
            public void cancel() {
                done.set(true);
            }
        });
    }
}
