package org.walj.pipeline;

import org.walj.pipeline.lz4.Lz4Codec;

import org.walj.pipeline.lzop.LzopOutputStream;

import org.walj.pipeline.codecs.Compression;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * A benchmark, not a test (speed is never asserted in tests): prints compress/decompress throughput on 16 MiB
 * inputs (a real WAL segment first). In-memory, single thread, best of 4 runs after a warm-up pass over everything.
 * Run by {@code bench/codec.sh}.
 */
public final class CodecThroughput {

    private static final int RUNS = 4;
    /** Whether {@link #parallelLzo} measures LZ4 frames instead (the same comparison). */
    private static boolean lz4;

    /** Compresses in 64 KiB writes (like a copy loop) into a presized in-memory buffer. */
    private static byte[] compress(Compression c, byte[] data, byte[] buf) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(data.length + 1024);
        try (OutputStream out = c.compress(bytes)) {
            for (int off = 0; off < data.length; off += buf.length) {
                out.write(data, off, Math.min(buf.length, data.length - off));
            }
        }
        return bytes.toByteArray();
    }

    /**
     * LZO compression of one stream, sequential and with its blocks compressed in parallel (what wal-push of one
     * segment does): {@code cores} blocks at once, on a pool of {@code cores - 1} threads plus the writing thread
     * (wal-push's set-up) and, for comparison, on a pool of {@code cores} threads. Best of {@link #RUNS}, interleaved,
     * after a warm-up of all; also checks that the bytes agree.
     */
    private static void parallelLzo(List<TestData.Input> inputs, byte[] buf) throws IOException {
        int cores = Runtime.getRuntime().availableProcessors();
        java.util.concurrent.ExecutorService helpers = pool(Math.max(1, cores - 1));
        java.util.concurrent.ExecutorService full = pool(cores);
        try {
            BlockParallelism withWriter = new BlockParallelism(helpers, cores);
            BlockParallelism onPool = new BlockParallelism(full, cores);
            for (int warm = 0; warm < 2; warm++) {
                for (TestData.Input input : inputs) {
                    lzop(input.data(), buf, null);
                    lzop(input.data(), buf, withWriter);
                    lzop(input.data(), buf, onPool);
                }
            }
            for (TestData.Input input : inputs) {
                long[] best = {Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE};
                BlockParallelism[] modes = {null, withWriter, onPool};
                byte[] reference = null;
                for (int run = 0; run < RUNS * 2; run++) {
                    for (int m = 0; m < modes.length; m++) {
                        long t0 = System.nanoTime();
                        byte[] out = lzop(input.data(), buf, modes[m]);
                        best[m] = Math.min(best[m], System.nanoTime() - t0);
                        if (reference == null) {
                            reference = out;
                        } else if (!java.util.Arrays.equals(reference, out)) {
                            throw new IllegalStateException("parallel LZO differs on " + input.name());
                        }
                    }
                }
                double mib = input.data().length / (double) TestData.MIB;
                System.out.printf((lz4 ? "LZ4" : "LZO") + " %-12s compress: sequential %7.1f MiB/s | %d at once, %d pool threads + writer"
                                + " %7.1f MiB/s | %d at once, %d pool threads %7.1f MiB/s%n", input.name(),
                        mib / (best[0] / 1e9), cores, Math.max(1, cores - 1), mib / (best[1] / 1e9), cores, cores,
                        mib / (best[2] / 1e9));
            }
        } finally {
            helpers.shutdown();
            full.shutdown();
        }
    }

    private static java.util.concurrent.ExecutorService pool(int threads) {
        return java.util.concurrent.Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "lzo-bench");
            t.setDaemon(true);
            return t;
        });
    }

    private static byte[] lzop(byte[] data, byte[] buf, BlockParallelism parallelism) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(data.length + 1024);
        try (OutputStream out = lz4 ? (parallelism == null ? Lz4Codec.compress(bytes)
                : Lz4Codec.compress(bytes, parallelism))
                : parallelism == null ? new LzopOutputStream(bytes, 0, 0)
                : new LzopOutputStream(bytes, 0, 0, LzopOutputStream.DEFAULT_FLAGS, parallelism)) {
            for (int off = 0; off < data.length; off += buf.length) {
                out.write(data, off, Math.min(buf.length, data.length - off));
            }
        }
        return bytes.toByteArray();
    }

    public static void main(String[] args) throws IOException {
        List<TestData.Input> inputs = List.of(new TestData.Input("WAL segment", TestData.walSegment()),
                new TestData.Input("text-like", TestData.compressible(16 * TestData.MIB, 91)),
                new TestData.Input("random", TestData.random(16 * TestData.MIB, 92)));
        byte[] buf = new byte[64 * 1024];
        for (Compression c : Compression.values()) { // warm-up: let the JIT compile every path first
            for (TestData.Input input : inputs) {
                try (InputStream in = c.decompress(new ByteArrayInputStream(compress(c, input.data(), buf)))) {
                    in.transferTo(OutputStream.nullOutputStream());
                }
            }
        }
        parallelLzo(inputs, buf);
        lz4 = true;
        parallelLzo(inputs, buf);
        lz4 = false;
        for (Compression c : Compression.values()) {
            for (TestData.Input input : inputs) {
                byte[] compressed = null;
                long bestCompress = Long.MAX_VALUE;
                long bestDecompress = Long.MAX_VALUE;
                for (int run = 0; run < RUNS; run++) {
                    long t0 = System.nanoTime();
                    compressed = compress(c, input.data(), buf);
                    long t1 = System.nanoTime();
                    long t2 = System.nanoTime();
                    long n = 0;
                    try (InputStream in = c.decompress(new ByteArrayInputStream(compressed))) {
                        int r;
                        while ((r = in.read(buf)) >= 0) {
                            n += r;
                        }
                    }
                    long t3 = System.nanoTime();
                    if (n != input.data().length) {
                        throw new IllegalStateException(c + " " + input.name() + " decoded " + n + " bytes");
                    }
                    bestCompress = Math.min(bestCompress, t1 - t0);
                    bestDecompress = Math.min(bestDecompress, t3 - t2);
                }
                double mib = input.data().length / (double) TestData.MIB;
                double cRate = mib / (bestCompress / 1e9);
                double dRate = mib / (bestDecompress / 1e9);
                System.out.printf("%s %-12s ratio %5.2f  compress %7.1f MiB/s  decompress %7.1f MiB/s%n", c,
                        input.name(), input.data().length / (double) compressed.length, cRate, dRate);
            }
        }
    }
}
