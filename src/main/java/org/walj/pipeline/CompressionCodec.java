package org.walj.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.util.Objects;
import java.util.Optional;

/**
 * One compression format an archived object may use, named by its key's suffix: its encoder, its decoder and the
 * leading bytes that identify it. Each lives in its own package beside this one ({@code pipeline.lzop},
 * {@code pipeline.lz4}); the table of them is {@code pipeline.codecs.Compression}, which hands them to
 * {@link ObjectCodec} as a {@link CompressionTable}: this package knows this base, never a format. Immutable.
 */
public abstract class CompressionCodec {
    private final String suffix;
    private final StreamFormat format;
    private final int blockSize;

    /**
     * {@code suffix}: the object-name suffix including the dot, e.g. {@code .lzo}; {@code format}: what
     * {@link StreamFormat#detect} calls an object of this format; {@code blockSize}: uncompressed bytes per block.
     */
    protected CompressionCodec(String suffix, StreamFormat format, int blockSize) {
        this.suffix = Objects.requireNonNull(suffix, "suffix");
        this.format = Objects.requireNonNull(format, "format");
        if (suffix.length() < 2 || suffix.charAt(0) != '.' || suffix.indexOf('.', 1) >= 0) {
            throw new IllegalArgumentException("a suffix is a dot and a name, not '" + suffix + "'");
        }
        if (blockSize < 1) {
            throw new IllegalArgumentException("block size " + blockSize);
        }
        this.blockSize = blockSize;
    }

    /** The {@code --compression} value, e.g. {@code lzo}: the suffix without its dot. */
    public final String name() {
        return suffix.substring(1);
    }

    /** Object-name suffix including the dot, e.g. {@code .lzo}. */
    public final String suffix() {
        return suffix;
    }

    /** What {@link StreamFormat#detect} calls an object of this format. */
    public final StreamFormat format() {
        return format;
    }

    /**
     * Uncompressed bytes per block: what one block in flight costs twice (input and output) when blocks are encoded
     * in parallel ({@link EncoderOptions#parallelism()}).
     */
    public final int blockSize() {
        return blockSize;
    }

    /** A compressing stream over {@code out}; closing it finishes the format and closes {@code out}. */
    public abstract OutputStream encoder(OutputStream out, EncoderOptions options) throws IOException;

    /**
     * A block encoder producing exactly the blocks {@link #encoder} writes, for formats whose blocks do not depend on
     * each other or on the stream's header ({@link BlockMemo}); empty for the others (the default).
     */
    public Optional<BlockPrecoder> blockPrecoder() {
        return Optional.empty();
    }

    /** Decodes {@code in}, which starts with this format (checked by {@link #decoder}, not here). */
    protected abstract InputStream decodeFrom(InputStream in) throws IOException;

    /** Whether {@link #decodeFrom(InputStream, BlockParallelism)} decodes blocks on more than one thread. */
    public boolean decodesInParallel() {
        return false;
    }

    /**
     * As {@link #decodeFrom(InputStream)}, decoding blocks on {@code parallelism} too where the format's blocks are
     * independent; a format that cannot (the default) decodes on the reading thread.
     */
    protected InputStream decodeFrom(InputStream in, BlockParallelism parallelism) throws IOException {
        return decodeFrom(in);
    }

    /**
     * A decompressing stream over {@code in}. Reads the first bytes at once: an object in another format fails
     * here with a {@link CorruptObjectException} that names what it looks like (and {@code in} is closed).
     */
    public final InputStream decoder(InputStream in) throws IOException {
        return decoder(in, null);
    }

    /** As {@link #decoder(InputStream)}, with blocks decoded on {@code parallelism} too (null: not). */
    public final InputStream decoder(InputStream in, BlockParallelism parallelism) throws IOException {
        Objects.requireNonNull(in, "in");
        try {
            PushbackInputStream probe = new PushbackInputStream(in, StreamFormat.PROBE_LENGTH);
            byte[] head = StreamFormat.peek(probe);
            StreamFormat actual = StreamFormat.detect(head, head.length);
            if (actual != format) {
                throw StreamFormat.mismatch(format, actual, head, head.length);
            }
            return parallelism == null ? decodeFrom(probe) : decodeFrom(probe, parallelism);
        } catch (IOException | RuntimeException e) {
            try {
                in.close();
            } catch (IOException | RuntimeException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
    }
}
