package org.walj.pipeline.codecs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.walj.pipeline.CompressionCodec;
import org.walj.pipeline.CompressionTable;
import org.walj.pipeline.EncoderOptions;
import org.walj.pipeline.Encryption;
import org.walj.pipeline.ObjectCodec;
import org.walj.pipeline.lz4.Lz4Codec;
import org.walj.pipeline.lzop.LzopCodec;

/**
 * The table of compressions an archived object may use, in the order readers try them. WAL-E only ever writes
 * {@link #LZO}. A new format is a package beside {@code pipeline.lzop} with a {@link CompressionCodec}, and one
 * entry here. It sits above the formats' packages (which import {@code pipeline}), so that {@code pipeline} itself
 * knows none of them: {@link ObjectCodec} gets the table from here.
 */
public enum Compression {
    /** The lzop container over LZO1X blocks, byte-compatible with WAL-E's {@code lzop -c}. */
    LZO(new LzopCodec()),
    /** LZ4 frames, as the {@code lz4} CLI writes them. */
    LZ4(new Lz4Codec());

    private static final CompressionTable TABLE =
            new CompressionTable(Arrays.stream(values()).map(Compression::codec).toList());

    private final CompressionCodec codec;

    Compression(CompressionCodec codec) {
        this.codec = codec;
    }

    public CompressionCodec codec() {
        return codec;
    }

    /** Object-name suffix including the dot, e.g. {@code .lzo}. */
    public String suffix() {
        return codec.suffix();
    }

    /** {@link CompressionCodec#encoder} with {@link EncoderOptions#pipe()}: an lzop header of mode 0, mtime now. */
    public OutputStream compress(OutputStream out) throws IOException {
        return codec.encoder(out, EncoderOptions.pipe());
    }

    /** {@link CompressionCodec#decoder}: fails on an object of another format, naming what it looks like. */
    public InputStream decompress(InputStream in) throws IOException {
        return codec.decoder(in);
    }

    /** The codec of objects written with this compression and {@code encryption}, reading every compression. */
    public ObjectCodec with(Encryption encryption) {
        return new ObjectCodec(codec, encryption, TABLE);
    }

    /** Every compression, for readers and for names ({@link CompressionTable#suffixGroup()}). */
    public static CompressionTable table() {
        return TABLE;
    }

    /** The compression an object name says it has, by suffix ({@code .lzo}, {@code .lz4}); empty for others. */
    public static Optional<Compression> forObjectName(String key) {
        return TABLE.forObjectName(key).map(Compression::of);
    }

    /** Parses a {@code --compression} value: {@code lzo} or {@code lz4}, case-insensitive. */
    public static Compression parse(String name) {
        return of(TABLE.parse(name));
    }

    private static Compression of(CompressionCodec codec) {
        Objects.requireNonNull(codec, "codec");
        for (Compression c : values()) {
            if (c.codec == codec) {
                return c;
            }
        }
        throw new IllegalArgumentException("not in the table: " + codec.name());
    }
}
