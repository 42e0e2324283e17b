package org.walj.resident;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.walj.storage.ObjectInfo;
import org.walj.storage.Storage;
import org.walj.storage.file.FileStorage;

/**
 * Stand-in around the real file backend that holds chosen puts at a gate (to catch an upload in the act) or fails
 * them, counts the puts of every key, and can hang the first get of a key (a download that never ends). Everything that gets through is stored by {@link FileStorage} itself.
 */
final class GatedStorageStandIn implements Storage {
    private final FileStorage real;
    private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> puts = new ConcurrentHashMap<>();
    private final Set<String> waiting = ConcurrentHashMap.newKeySet();
    private final Set<String> hungGets = ConcurrentHashMap.newKeySet();
    private final CountDownLatch getsReleased = new CountDownLatch(1);

    GatedStorageStandIn(FileStorage real) {
        this.real = real;
    }

    /** Puts of {@code key} wait until {@link #release(String)}. */
    void hold(String key) {
        gates.put(key, new CountDownLatch(1));
    }

    void release(String key) {
        CountDownLatch gate = gates.remove(key);
        if (gate != null) {
            gate.countDown();
        }
    }

    /** The first get of {@code key} from now on waits until {@link #releaseGets()} (or its thread's interrupt). */
    void hangFirstGet(String key) {
        hungGets.add(key);
    }

    void releaseGets() {
        getsReleased.countDown();
    }

    /** The next {@code times} puts of {@code key} (after the gate) fail. */
    void fail(String key, int times) {
        failures.put(key, new AtomicInteger(times));
    }

    int puts(String key) {
        AtomicInteger n = puts.get(key);
        return n == null ? 0 : n.get();
    }

    /** A put of {@code key} waits at its gate right now. */
    boolean waiting(String key) {
        return waiting.contains(key);
    }

    @Override
    public void put(String key, InputStream content, String contentType) throws IOException {
        puts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        CountDownLatch gate = gates.get(key);
        if (gate != null) {
            waiting.add(key);
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted at the gate of " + key);
            } finally {
                waiting.remove(key);
            }
        }
        AtomicInteger fail = failures.get(key);
        if (fail != null && fail.getAndDecrement() > 0) {
            throw new IOException("stand-in failure storing " + key);
        }
        real.put(key, content, contentType);
    }

    @Override
    public InputStream get(String key) throws IOException {
        if (hungGets.remove(key)) {
            try {
                getsReleased.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted in the hung get of " + key);
            }
        }
        return real.get(key);
    }

    @Override
    public Optional<ObjectInfo> stat(String key) throws IOException {
        return real.stat(key);
    }

    @Override
    public List<ObjectInfo> list(String keyPrefix) throws IOException {
        return real.list(keyPrefix);
    }

    @Override
    public boolean holdsDirectory(String directoryKey) throws IOException {
        return real.holdsDirectory(directoryKey);
    }

    @Override
    public boolean mayStartArchive() {
        return real.mayStartArchive();
    }

    @Override
    public void delete(Collection<String> keys) throws IOException {
        real.delete(keys);
    }

    @Override
    public String url(String key) {
        return real.url(key);
    }
}
