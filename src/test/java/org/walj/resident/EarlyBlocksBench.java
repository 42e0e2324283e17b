package org.walj.resident;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.walj.pipeline.BlockMemo;
import org.walj.pipeline.CompressionCodec;
import org.walj.pipeline.EncoderOptions;
import org.walj.pipeline.codecs.Compression;

/**
 * A benchmark, not a test: the CPU of one segment's push with and without its blocks compressed ahead, on real WAL
 * segments (a copy of a pg_wal's segments, complete). Per segment, interleaved, after a warm-up round, thread CPU
 * time: the push alone (read, LZO, CRC-32, lzop framing); {@link EarlyBlocks} following it (its page checks, reads,
 * encodes and copies into the memo: what the daemon spends before the {@code .ready}); the push taking that memo
 * (read, compare, framing: what is left after the {@code .ready}). Run by {@code bench/early-blocks.sh DIR [ROUNDS]}.
 */
public final class EarlyBlocksBench {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    private EarlyBlocksBench() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        List<Path> segments;
        try (Stream<Path> s = Files.list(dir)) {
            segments = s.filter(p -> p.getFileName().toString().matches("[0-9A-F]{24}")).sorted().toList();
        }
        if (segments.size() < 2) {
            throw new IllegalArgumentException("need at least two consecutive segments in " + dir);
        }
        CompressionCodec codec = Compression.LZO.codec();
        for (int round = 0; round <= rounds; round++) {
            long alone = 0;
            long early = 0;
            long withMemo = 0;
            long blocks = 0;
            int n = 0;
            EarlyBlocks follower = EarlyBlocks.manual(codec.blockPrecoder().orElseThrow());
            for (int i = 0; i + 1 < segments.size(); i++) {
                Path segment = segments.get(i + 1).toAbsolutePath().normalize();
                long c0 = MX.getCurrentThreadCpuTime();
                push(codec, segment, Optional.empty());
                long c1 = MX.getCurrentThreadCpuTime();
                follower.follow(segments.get(i).toAbsolutePath().normalize());
                follower.tick();
                Optional<BlockMemo> memo = follower.take(segment);
                long c2 = MX.getCurrentThreadCpuTime();
                push(codec, segment, memo);
                memo.ifPresent(BlockMemo::release); // as a push does: the next segment reuses its arrays
                long c3 = MX.getCurrentThreadCpuTime();
                alone += c1 - c0;
                early += c2 - c1;
                withMemo += c3 - c2;
                blocks += memo.map(BlockMemo::used).orElse(0);
                n++;
            }
            follower.close();
            System.out.printf("%s %d segments: push alone %.1f ms; ahead %.1f + push with the memo %.1f = %.1f ms"
                            + " per segment; %.1f blocks of 64 from the memo%n", round == 0 ? "warm-up," : "round " + round + ",",
                    n, alone / 1e6 / n, early / 1e6 / n, withMemo / 1e6 / n, (early + withMemo) / 1e6 / n,
                    (double) blocks / n);
        }
    }

    private static void push(CompressionCodec codec, Path segment, Optional<BlockMemo> memo) throws IOException {
        try (InputStream in = Files.newInputStream(segment);
             OutputStream out = codec.encoder(OutputStream.nullOutputStream(),
                     EncoderOptions.file(0100600, 1).withMemo(memo))) {
            in.transferTo(out);
        }
    }
}
