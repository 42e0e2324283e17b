package org.walj.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.util.Objects;

/**
 * One compression format an archived object may use, named by its key's suffix: its encoder, its decoder and the
 * leading bytes that identify it. Each lives in its own package beside this one ({@code pipeline.lzop},
 * {@code pipeline.lz4}); the table of them is {@code pipeline.codecs.Compression}, which hands them to
 * {@link ObjectCodec} as a {@link CompressionTable}: this package knows the interface, never a format.
 */
public interface CompressionCodec {

    /** The {@code --compression} value, e.g. {@code lzo}: the suffix without its dot. */
    default String name() {
        return suffix().substring(1);
    }

    /** Object-name suffix including the dot, e.g. {@code .lzo}. */
    String suffix();

    /** What {@link StreamFormat#detect} calls an object of this format. */
    StreamFormat format();

    /**
     * Uncompressed bytes per block: what one block in flight costs twice (input and output) when blocks are encoded
     * in parallel ({@link EncoderOptions#parallelism()}).
     */
    int blockSize();

    /** A compressing stream over {@code out}; closing it finishes the format and closes {@code out}. */
    OutputStream encoder(OutputStream out, EncoderOptions options) throws IOException;

    /** Decodes {@code in}, which starts with this format (checked by {@link #decoder}, not here). */
    InputStream decodeFrom(InputStream in) throws IOException;

    /**
     * A decompressing stream over {@code in}. Reads the first bytes at once: an object in another format fails
     * here with a {@link CorruptObjectException} that names what it looks like (and {@code in} is closed).
     */
    default InputStream decoder(InputStream in) throws IOException {
        Objects.requireNonNull(in, "in");
        try {
            PushbackInputStream probe = new PushbackInputStream(in, StreamFormat.PROBE_LENGTH);
            byte[] head = StreamFormat.peek(probe);
            StreamFormat actual = StreamFormat.detect(head, head.length);
            if (actual != format()) {
                throw StreamFormat.mismatch(format(), actual, head, head.length);
            }
            return decodeFrom(probe);
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
