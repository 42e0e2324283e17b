package org.walj.pipeline;

import java.time.Instant;
import java.util.Optional;

/**
 * How to encode one object. {@code mode} and {@code mtimeSeconds} are what the lzop header records (other formats
 * ignore them): a WAL segment's own, as WAL-E's {@code lzop -c < segment}, or {@link #pipe() 0 and now} for data
 * arriving through a pipe (tar partitions, manifests). With a {@code parallelism}, blocks are compressed on its
 * executor as well as on the writing thread; with a {@code memo}, blocks already encoded in it (and unchanged since)
 * are taken from there. The bytes are the same either way.
 */
public record EncoderOptions(int mode, long mtimeSeconds, Optional<BlockParallelism> parallelism,
                             Optional<BlockMemo> memo) {

    public EncoderOptions {
        if (parallelism == null) {
            throw new NullPointerException("parallelism: Optional.empty() for the writing thread alone");
        }
        if (memo == null) {
            throw new NullPointerException("memo: Optional.empty() for none");
        }
    }

    public EncoderOptions(int mode, long mtimeSeconds, Optional<BlockParallelism> parallelism) {
        this(mode, mtimeSeconds, parallelism, Optional.empty());
    }

    /** What WAL-E's lzop records for piped input: mode 0, mtime now (read when this is called). */
    public static EncoderOptions pipe() {
        return new EncoderOptions(0, Instant.now().getEpochSecond(), Optional.empty());
    }

    /** A source file's mode and mtime, as {@code lzop -c < file} records them. */
    public static EncoderOptions file(int mode, long mtimeSeconds) {
        return new EncoderOptions(mode, mtimeSeconds, Optional.empty());
    }

    /** The same, with blocks compressed on {@code parallelism} when present. */
    public EncoderOptions inParallel(Optional<BlockParallelism> parallelism) {
        return new EncoderOptions(mode, mtimeSeconds, parallelism, memo);
    }

    /** The same, taking blocks from {@code memo} when present (a format without independent blocks ignores it). */
    public EncoderOptions withMemo(Optional<BlockMemo> memo) {
        return new EncoderOptions(mode, mtimeSeconds, parallelism, memo);
    }
}
