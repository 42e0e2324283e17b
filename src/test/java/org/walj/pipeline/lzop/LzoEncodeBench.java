package org.walj.pipeline.lzop;

import io.airlift.compress.lzo.LzoCompressor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.Adler32;
import java.util.zip.CRC32;

/**
 * A benchmark, not a test: CPU per 16 MiB input of the lzop block encode work (LZO1X-1 of each 256 KiB block, its
 * Adler-32 or CRC-32) and the whole writer with either checksum, interleaved, after a warm-up; thread CPU time, so other
 * processes' load matters less than for wall time. Run by {@code bench/lzo-encode.sh FILE [ROUNDS]}.
 */
public final class LzoEncodeBench {

    private static final int BLOCK = Lzop.BLOCK_SIZE;

    private LzoEncodeBench() {
    }

    public static void main(String[] args) throws IOException {
        byte[] data = Files.readAllBytes(Path.of(args[0]));
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        LzoCompressor air = new LzoCompressor();
        Adler32 adler = new Adler32();
        byte[] out = new byte[air.maxCompressedLength(BLOCK)];
        CRC32 crc = new CRC32();
        String[] names = {"aircompressor LZO1X-1", "adler32 (32 KiB slices)", "crc32 (whole blocks)",
            "the writer (CRC-32, the default)", "the writer with Adler-32 flags"};
        long[][] cpu = new long[names.length][rounds];
        long size0 = 0;
        for (int r = -warmup; r < rounds; r++) {
            for (int v = 0; v < names.length; v++) {
                long t0 = mx.getCurrentThreadCpuTime();
                long size = 0;
                if (v >= 3) {
                    ByteArrayOutputStream sink = new ByteArrayOutputStream(data.length);
                    try (LzopOutputStream lzop = new LzopOutputStream(sink, 0100600, 0,
                            v == 3 ? LzopOutputStream.DEFAULT_FLAGS : LzopOutputStream.ADLER32_FLAGS)) {
                        lzop.write(data);
                    }
                    size = sink.size();
                } else {
                    for (int off = 0; off < data.length; off += BLOCK) {
                        int n = Math.min(BLOCK, data.length - off);
                        if (v == 0) {
                            size += air.compress(data, off, n, out, 0, out.length);
                        } else if (v == 2) {
                            crc.reset();
                            crc.update(data, off, n);
                            size += (int) crc.getValue() & 1;
                        } else {
                            adler.reset();
                            for (int s = off; s < off + n; s += 32 * 1024) {
                                adler.update(data, s, Math.min(32 * 1024, off + n - s));
                            }
                            size += (int) adler.getValue() & 1;
                        }
                    }
                }
                long t = mx.getCurrentThreadCpuTime() - t0;
                if (r >= 0) {
                    cpu[v][r] = t;
                    if (v == 0) {
                        size0 = size;
                    }
                }
            }
        }
        System.out.printf("input %s: %d bytes; LZO1X-1 blocks %d bytes; %d rounds after %d warm-up%n",
                args[0], data.length, size0, rounds, warmup);
        for (int v = 0; v < names.length; v++) {
            long[] c = cpu[v].clone();
            Arrays.sort(c);
            System.out.printf("%-32s CPU ms per input: median %6.1f  min %6.1f%n", names[v], c[rounds / 2] / 1e6,
                    c[0] / 1e6);
        }
    }
}
