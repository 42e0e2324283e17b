package org.walj.pipeline.gpg;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.walj.pipeline.EncoderOptions;
import org.walj.pipeline.codecs.Compression;
import org.walj.pipeline.Encryption;
import org.walj.pipeline.ObjectCodec;

/**
 * Benchmark, not a test (run by {@code bench/gpg.sh}): the compress+encrypt pipeline (lzop container, then
 * OpenPGP to an RSA key) over a file, into a sink that discards, with 1..N threads each encoding the whole file.
 * Prints MB/s (10^6 bytes of input per second), aggregate over the threads.
 *
 * <p>Arguments: INPUT GNUPGHOME KEY_ID THREADS...
 */
public final class GpgThroughput {
    private GpgThroughput() {
    }

    public static void main(String[] args) throws Exception {
        Path input = Path.of(args[0]);
        GpgSettings settings = new GpgSettings(args[2], Path.of(args[1]), Optional.empty(), Optional.empty(),
                Passphrase.none());
        ObjectCodec codec = Compression.LZO.with(new OpenPgpEncryption(settings, System.err::println));
        ObjectCodec plain = Compression.LZO.with(Encryption.NONE);
        encode(codec, input, Long.MAX_VALUE); // warm-up: JIT (a whole pass: the JDK cipher paths compile late)
        encode(plain, input, Long.MAX_VALUE);
        for (int i = 3; i < args.length; i++) {
            run("wal-j lzo+gpg", codec, input, Integer.parseInt(args[i]));
        }
        // the same without encryption: what the OpenPGP layer costs
        for (int i = 3; i < args.length; i++) {
            run("wal-j lzo only", plain, input, Integer.parseInt(args[i]));
        }
        // the other way: decrypt + decompress one encoded copy (as wal-fetch does), one thread
        Path encoded = Files.createTempFile(input.getParent(), "encoded", ".lzo.gpg");
        try {
            try (InputStream in = Files.newInputStream(input);
                 OutputStream enc = codec.encoder(Files.newOutputStream(encoded), EncoderOptions.pipe())) {
                in.transferTo(enc);
            }
            decode(codec, encoded); // warm-up
            long start = System.nanoTime();
            long plainBytes = decode(codec, encoded);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("%-14s threads=1  output=%d MB  %.1f s  %.0f MB/s%n", "wal-j gpg+lzo -d",
                    plainBytes / 1_000_000, seconds, plainBytes / 1e6 / seconds);
        } finally {
            Files.delete(encoded);
        }
    }

    private static long decode(ObjectCodec codec, Path encoded) throws IOException {
        try (InputStream in = codec.decoder("x.lzo", Files.newInputStream(encoded))) {
            return in.transferTo(OutputStream.nullOutputStream());
        }
    }

    private static void run(String label, ObjectCodec codec, Path input, int threads) throws Exception {
        long size = Files.size(input);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        List<Future<Long>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            results.add(pool.submit(() -> encode(codec, input, Long.MAX_VALUE)));
        }
        long out = 0;
        for (Future<Long> f : results) {
            out += f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        System.out.printf("%-14s threads=%d  input=%d MB x %d  output=%d MB  %.1f s  %.0f MB/s%n",
                label, threads, size / 1_000_000, threads, out / threads / 1_000_000, seconds,
                threads * size / 1e6 / seconds);
    }

    private static long encode(ObjectCodec codec, Path input, long limit) throws IOException {
        CountingSink sink = new CountingSink();
        try (InputStream in = Files.newInputStream(input); OutputStream enc = codec.encoder(sink, EncoderOptions.pipe())) {
            byte[] buffer = new byte[1 << 16];
            long done = 0;
            int n;
            while (done < limit && (n = in.read(buffer)) > 0) {
                enc.write(buffer, 0, n);
                done += n;
            }
        }
        return sink.count;
    }

    private static final class CountingSink extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
