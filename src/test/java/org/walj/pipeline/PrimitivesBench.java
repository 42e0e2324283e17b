package org.walj.pipeline;

import io.airlift.compress.lzo.LzoCompressor;
import io.airlift.compress.lzo.LzoDecompressor;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Adler32;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/**
 * A benchmark, not a test: the CPU one thread of this JVM spends per GB of a sample (e.g. a pgbench cluster's
 * relation files) on each primitive a verified backup or restore is made of, in 256 KiB blocks as the lzop and LZ4
 * framings use them, after a warm-up (so under C2, as a long backup-push or backup-fetch runs). Thread CPU time, so
 * other processes' load matters less than for wall time. Run by {@code bench/limits.sh}.
 */
public final class PrimitivesBench {

    private static final int BLOCK = 256 * 1024;

    private PrimitivesBench() {
    }

    /** One primitive: consumes {@code n} bytes of {@code data} at {@code off}, returns something to keep it alive. */
    private interface Primitive {
        long run(byte[] data, int off, int n) throws Exception;
    }

    private record Named(String name, Primitive primitive) {
    }

    public static void main(String[] args) throws Exception {
        byte[] data = read(Path.of(args[0]), args.length > 1 ? Long.parseLong(args[1]) << 20 : 512L << 20);
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        List<Named> primitives = primitives(data);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long[][] cpu = new long[primitives.size()][rounds];
        long sink = 0;
        for (int r = -warmup; r < rounds; r++) {
            for (int p = 0; p < primitives.size(); p++) {
                Primitive primitive = primitives.get(p).primitive();
                long t0 = mx.getCurrentThreadCpuTime();
                for (int off = 0; off < data.length; off += BLOCK) {
                    sink += primitive.run(data, off, Math.min(BLOCK, data.length - off));
                }
                if (r >= 0) {
                    cpu[p][r] = mx.getCurrentThreadCpuTime() - t0;
                }
            }
        }
        System.out.printf("sample %s: %d bytes, %d rounds after %d warm-up (%d)%n", args[0], data.length, rounds,
                warmup, sink & 1);
        for (int p = 0; p < primitives.size(); p++) {
            long[] c = cpu[p].clone();
            Arrays.sort(c);
            double perGb = c[rounds / 2] / 1e9 * (1e9 / data.length);
            System.out.printf("java %-34s CPU-s per GB: %6.3f  (%5.0f MB/s on one core)%n", primitives.get(p).name(),
                    perGb, 1000 / perGb);
        }
    }

    private static byte[] read(Path file, long max) throws IOException {
        long size = Math.min(Files.size(file), Math.min(max, Integer.MAX_VALUE - 16));
        byte[] data = new byte[(int) size];
        try (InputStream in = Files.newInputStream(file)) {
            int n = in.readNBytes(data, 0, data.length);
            return n == data.length ? data : Arrays.copyOf(data, n);
        }
    }

    private static List<Named> primitives(byte[] data) throws NoSuchAlgorithmException {
        List<Named> list = new ArrayList<>();
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        list.add(new Named("SHA-256 (MessageDigest)", (d, o, n) -> {
            sha256.update(d, o, n);
            return o == 0 ? sha256.digest()[0] : 0;
        }));
        list.add(new Named("SHA-1 (pgBackRest's file checksum)", (d, o, n) -> {
            sha1.update(d, o, n);
            return o == 0 ? sha1.digest()[0] : 0;
        }));
        list.add(checksum("Adler-32 (plain lzop -c's checksums)", new Adler32()));
        list.add(checksum("CRC-32 (wal-j's lzop block checksums)", new CRC32()));
        list.add(checksum("CRC-32C", new CRC32C()));
        LzoCompressor lzo = new LzoCompressor();
        byte[] lzoOut = new byte[lzo.maxCompressedLength(BLOCK)];
        list.add(new Named("LZO1X-1 compress (aircompressor)", (d, o, n) -> lzo.compress(d, o, n, lzoOut, 0,
                lzoOut.length)));
        List<byte[]> lzoBlocks = compressed(data, (d, o, n, out) -> lzo.compress(d, o, n, out, 0, out.length),
                lzoOut.length);
        LzoDecompressor unlzo = new LzoDecompressor();
        byte[] plain = new byte[BLOCK];
        list.add(new Named("LZO1X decompress (aircompressor)", (d, o, n) -> {
            byte[] block = lzoBlocks.get(o / BLOCK);
            return unlzo.decompress(block, 0, block.length, plain, 0, plain.length);
        }));
        LZ4Factory factory = LZ4Factory.fastestJavaInstance();
        LZ4Compressor lz4 = factory.fastCompressor();
        byte[] lz4Out = new byte[lz4.maxCompressedLength(BLOCK)];
        list.add(new Named("LZ4 compress (lz4-java, Java)", (d, o, n) -> lz4.compress(d, o, n, lz4Out, 0)));
        List<byte[]> lz4Blocks = compressed(data, (d, o, n, out) -> lz4.compress(d, o, n, out, 0), lz4Out.length);
        LZ4SafeDecompressor unlz4 = factory.safeDecompressor();
        list.add(new Named("LZ4 decompress (lz4-java, Java)", (d, o, n) -> {
            byte[] block = lz4Blocks.get(o / BLOCK);
            return unlz4.decompress(block, 0, block.length, plain, 0);
        }));
        list.add(new Named("copy (System.arraycopy)", (d, o, n) -> {
            System.arraycopy(d, o, plain, 0, n);
            return plain[0];
        }));
        return list;
    }

    /** A checksum of each block on its own, as the lzop framing keeps one per block. */
    private static Named checksum(String name, Checksum checksum) {
        return new Named(name, (d, o, n) -> {
            checksum.reset();
            checksum.update(d, o, n);
            return checksum.getValue();
        });
    }

    private interface Compress {
        int into(byte[] data, int off, int n, byte[] out);
    }

    private static List<byte[]> compressed(byte[] data, Compress compress, int bound) {
        List<byte[]> blocks = new ArrayList<>();
        byte[] out = new byte[bound];
        for (int off = 0; off < data.length; off += BLOCK) {
            int size = compress.into(data, off, Math.min(BLOCK, data.length - off), out);
            blocks.add(Arrays.copyOf(out, size));
        }
        return blocks;
    }
}
