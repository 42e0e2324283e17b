package org.walj.storage.s3;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import org.walj.storage.RetryPolicy;

/**
 * Benchmark, not a test (run by bench/s3.sh): upload throughput of one 1 GiB object to a local S3Proxy with 1 and N
 * parallel parts, heap in use, then cold wal-push of a 16 MiB segment through the launcher (median wall time, peak
 * RSS from GNU time).
 */
public final class S3Bench {
    private static final String BUCKET = "walj-bench";

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int parallel = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        S3ProxyServer server = S3ProxyServer.shared();
        server.createBucket(BUCKET);
        for (int p : new int[] {1, parallel}) {
            upload(server, p, 1L << 30);
        }
        coldWalPush(server, runs);
        server.stop();
    }

    private static void upload(S3ProxyServer server, int parallel, long size) throws IOException {
        S3Settings settings = new S3Settings(BUCKET, "bench/", Optional.empty(),
                Optional.of(S3Endpoint.parse(server.waleEndpoint())),
                new Credentials.Static(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY, Optional.empty()),
                // S3Proxy's filesystem backend answers 501 to any SSE header
                new Encryption.None(), "STANDARD", S3Settings.DEFAULT_PART_SIZE, parallel, Duration.ofSeconds(60),
                RetryPolicy.DEFAULT);
        System.gc();
        try (S3Storage storage = new S3Storage(settings)) {
            long start = System.nanoTime();
            storage.put("big-" + parallel, new Generated(size), null);
            double seconds = (System.nanoTime() - start) / 1e9;
            Runtime rt = Runtime.getRuntime();
            PartSizes parts = PartSizes.forParallel(S3Settings.DEFAULT_PART_SIZE, parallel);
            System.out.printf("1 GiB upload, %d parallel part(s) (%d MiB, then %d MiB; buffers %d MiB): %.1f s, "
                            + "%.0f MiB/s; heap used after: %d MiB; process peak RSS so far: %s%n", parallel,
                    parts.sizeOf(1) >> 20, parts.sizeOf(2) >> 20, parts.budget() >> 20, seconds, (size >> 20) / seconds,
                    (rt.totalMemory() - rt.freeMemory()) >> 20, vmHwm());
            storage.delete(List.of("big-" + parallel));
        }
    }

    private static void coldWalPush(S3ProxyServer server, int runs) throws Exception {
        Path dir = Files.createTempDirectory("walj-s3-bench");
        Path segment = dir.resolve("000000010000000000000042");
        byte[] bytes = new byte[16 << 20];
        Random random = new Random(7);
        for (int i = 0; i < bytes.length; i += 8192) {
            if ((i / 8192) % 3 == 0) {
                byte[] block = new byte[8192];
                random.nextBytes(block);
                System.arraycopy(block, 0, bytes, i, 8192);
            }
        }
        Files.write(segment, bytes);
        String launcher = System.getProperty("walj.launcher", "packaging/wal-j");
        List<Double> walls = new ArrayList<>();
        long maxRss = 0;
        for (int i = 0; i < runs; i++) {
            Path times = dir.resolve("time");
            ProcessBuilder pb = new ProcessBuilder("/usr/bin/time", "-o", times.toString(), "-f", "%e %M",
                    launcher, "wal-push", segment.toString());
            Map<String, String> env = pb.environment();
            env.put("WALE_S3_PREFIX", "s3://" + BUCKET + "/cold/");
            env.put("WALE_S3_ENDPOINT", server.waleEndpoint());
            env.put("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY);
            env.put("AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
            env.put("WALJ_S3_SSE", "none");
            env.put("WALJ_JAR", System.getProperty("walj.jar", "target/wal-j.jar"));
            pb.redirectErrorStream(true).redirectOutput(dir.resolve("out").toFile());
            int status = pb.start().waitFor();
            if (status != 0) {
                throw new IllegalStateException("wal-push failed: " + Files.readString(dir.resolve("out")));
            }
            String[] t = Files.readString(times).trim().split("\\s+");
            walls.add(Double.parseDouble(t[0]));
            maxRss = Math.max(maxRss, Long.parseLong(t[1]));
        }
        Collections.sort(walls);
        double median = runs % 2 == 1 ? walls.get(runs / 2) : (walls.get(runs / 2 - 1) + walls.get(runs / 2)) / 2;
        System.out.printf("cold wal-push of a 16 MiB segment to S3Proxy: median %.2f s over %d runs (min %.2f, "
                + "max %.2f), peak RSS %d MiB%n", median, runs, walls.get(0), walls.get(runs - 1), maxRss / 1024);
    }

    private static String vmHwm() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM"))
                .findFirst().map(l -> l.replaceAll("\\s+", " ")).orElse("?");
    }

    /** {@code size} bytes of a repeated random 1 MiB block: as fast as memory, never the bottleneck. */
    private static final class Generated extends InputStream {
        private final byte[] block = new byte[1 << 20];
        private long left;

        Generated(long size) {
            new Random(1).nextBytes(block);
            left = size;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left == 0) {
                return -1;
            }
            int pos = (int) ((1L << 30) - left) & (block.length - 1);
            int n = (int) Math.min(Math.min(len, left), block.length - pos);
            System.arraycopy(block, pos, b, off, n);
            left -= n;
            return n;
        }
    }
}
