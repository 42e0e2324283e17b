package org.walj.backup;

import io.airlift.compress.lzo.LzoCompressor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.zip.Adler32;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;

/**
 * A benchmark, not a test (speed is never asserted in tests): what each stage of backup-push costs per byte on one
 * real file (e.g. a pgbench relation segment), single thread, in memory after a read, warm (best of 5 after two
 * warm-up passes): the file read, SHA-256 (manifest), LZO1X-1 and LZ4 compression, Adler-32 (lzop block checksums),
 * a heap copy. Run by {@code bench/push-stages.sh FILE}; results in docs/performance.md ("backup-push: where the CPU goes").
 */
public final class PushStageCost {
    private static final int READ = 64 * 1024;
    private static final int BLOCK = 256 * 1024;

    private PushStageCost() {
    }

    public static void main(String[] args) throws IOException, NoSuchAlgorithmException {
        Path file = Path.of(args[0]);
        long cap = args.length > 1 ? Long.parseLong(args[1]) : 256L << 20;
        int size = (int) Math.min(Files.size(file), cap);
        byte[] data = new byte[size];
        try (FileChannel ch = FileChannel.open(file)) {
            ByteBuffer b = ByteBuffer.wrap(data);
            while (b.hasRemaining() && ch.read(b) >= 0) {
                // fill
            }
        }
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        LzoCompressor lzo = new LzoCompressor();
        byte[] lzoOut = new byte[lzo.maxCompressedLength(BLOCK)];
        LZ4Compressor lz4 = LZ4Factory.fastestJavaInstance().fastCompressor();
        byte[] lz4Out = new byte[lz4.maxCompressedLength(BLOCK)];
        Adler32 adler = new Adler32();
        byte[] copy = new byte[READ];
        String[] names = {"read (FileChannel, 64 KiB, page cache)", "SHA-256, 64 KiB updates", "LZO1X-1, 256 KiB blocks",
            "LZ4 fast, 256 KiB blocks", "Adler-32, 256 KiB blocks", "heap copy, 64 KiB"};
        long[] best = new long[names.length];
        java.util.Arrays.fill(best, Long.MAX_VALUE);
        long lzoBytes = 0;
        long sink = 0;
        for (int pass = 0; pass < 7; pass++) {
            for (int s = 0; s < names.length; s++) {
                long t0 = System.nanoTime();
                switch (s) {
                    case 0 -> {
                        try (FileChannel ch = FileChannel.open(file)) {
                            byte[] buf = new byte[READ];
                            ByteBuffer bb = ByteBuffer.wrap(buf);
                            long left = size;
                            while (left > 0) {
                                bb.clear();
                                int n = ch.read(bb);
                                if (n < 0) {
                                    break;
                                }
                                left -= n;
                            }
                        }
                    }
                    case 1 -> {
                        for (int off = 0; off < size; off += READ) {
                            sha.update(data, off, Math.min(READ, size - off));
                        }
                        sink += sha.digest()[0];
                    }
                    case 2 -> {
                        long out = 0;
                        for (int off = 0; off < size; off += BLOCK) {
                            out += lzo.compress(data, off, Math.min(BLOCK, size - off), lzoOut, 0, lzoOut.length);
                        }
                        lzoBytes = out;
                    }
                    case 3 -> {
                        for (int off = 0; off < size; off += BLOCK) {
                            sink += lz4.compress(data, off, Math.min(BLOCK, size - off), lz4Out, 0);
                        }
                    }
                    case 4 -> {
                        for (int off = 0; off < size; off += BLOCK) {
                            adler.reset();
                            adler.update(data, off, Math.min(BLOCK, size - off));
                            sink += adler.getValue();
                        }
                    }
                    default -> {
                        for (int off = 0; off + READ <= size; off += READ) {
                            System.arraycopy(data, off, copy, 0, READ);
                        }
                        sink += copy[7];
                    }
                }
                long t = System.nanoTime() - t0;
                if (pass >= 2) {
                    best[s] = Math.min(best[s], t);
                }
            }
        }
        System.out.printf("%s: %d MiB, LZO ratio %.1f (%d)%n", file, size >> 20, (double) size / lzoBytes, sink & 1);
        for (int s = 0; s < names.length; s++) {
            double secPerGb = best[s] / 1e9 * (1e9 / size);
            System.out.printf("  %-42s %7.0f MB/s  %6.2f CPU-s per GB%n", names[s], size / 1e6 / (best[s] / 1e9),
                    secPerGb);
        }
    }
}
