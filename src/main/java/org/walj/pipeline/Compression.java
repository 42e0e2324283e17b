package org.walj.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/** The compressions an archived object may use, named by its key's suffix. WAL-E only ever writes {@link #LZO}. */
public enum Compression {
    /** The lzop container over LZO1X blocks, byte-compatible with WAL-E's {@code lzop -c}. */
    LZO(".lzo", StreamFormat.LZOP),
    /** LZ4 frames, as the {@code lz4} CLI writes them. */
    LZ4(".lz4", StreamFormat.LZ4_FRAME);

    private final String suffix;
    private final StreamFormat format;

    Compression(String suffix, StreamFormat format) {
        this.suffix = suffix;
        this.format = format;
    }

    /** Object-name suffix including the dot, e.g. {@code .lzo}. */
    public String suffix() {
        return suffix;
    }

    /**
     * A compressing stream over {@code out}; closing it finishes the format and closes {@code out}. LZO writes the
     * header WAL-E writes for piped input (mode 0, mtime now); use {@link LzopOutputStream} directly to carry a
     * file's mode and mtime as WAL-E does for WAL segments.
     */
    public OutputStream compress(OutputStream out) throws IOException {
        return switch (this) {
            case LZO -> LzopOutputStream.forPipe(out);
            case LZ4 -> Lz4Codec.compress(out);
        };
    }

    /**
     * A decompressing stream over {@code in}. Reads the first bytes at once: an object in another format fails
     * here with a {@link CorruptObjectException} that names what it looks like (and {@code in} is closed).
     */
    public InputStream decompress(InputStream in) throws IOException {
        Objects.requireNonNull(in, "in");
        try {
            PushbackInputStream probe = new PushbackInputStream(in, StreamFormat.PROBE_LENGTH);
            byte[] head = StreamFormat.peek(probe);
            StreamFormat actual = StreamFormat.detect(head, head.length);
            if (actual != format) {
                throw StreamFormat.mismatch(format, actual, head, head.length);
            }
            return switch (this) {
                case LZO -> new LzopInputStream(probe);
                case LZ4 -> Lz4Codec.decompress(probe);
            };
        } catch (IOException | RuntimeException e) {
            try {
                in.close();
            } catch (IOException | RuntimeException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
    }

    /** The compression an object name says it has, by suffix ({@code .lzo}, {@code .lz4}); empty for others. */
    public static Optional<Compression> forObjectName(String key) {
        Objects.requireNonNull(key, "key");
        for (Compression c : values()) {
            if (key.endsWith(c.suffix) && key.length() > c.suffix.length()) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** Parses a {@code --compression} value: {@code lzo} or {@code lz4}, case-insensitive. */
    public static Compression parse(String name) {
        if (name != null) {
            String n = name.trim().toLowerCase(Locale.ROOT);
            for (Compression c : values()) {
                if (c.suffix.substring(1).equals(n)) {
                    return c;
                }
            }
        }
        throw new IllegalArgumentException("unknown compression '" + name + "': expected lzo or lz4");
    }
}
