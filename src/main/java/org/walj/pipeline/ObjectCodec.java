package org.walj.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

/**
 * How objects are encoded on the way into storage (compress, then encrypt) and decoded on the way out (decrypt, then
 * decompress). Writers use the configured compression; readers pick the decompressor from each object's suffix, so
 * an archive with mixed compressions restores.
 */
public record ObjectCodec(Compression compression, Encryption encryption) {
    public ObjectCodec {
        Objects.requireNonNull(compression, "compression");
        Objects.requireNonNull(encryption, "encryption");
    }

    /** The suffix of objects this codec writes, e.g. {@code .lzo}. */
    public String suffix() {
        return compression.suffix();
    }

    /** An encoder over {@code sink}; for LZO the lzop header records mode 0 and the current time, like a pipe. */
    public OutputStream encoder(OutputStream sink) throws IOException {
        return compression.compress(encryption.encrypt(sink));
    }

    /**
     * As {@link #encoder(OutputStream)}, with blocks compressed on {@code parallelism}'s executor as well as on the
     * writing thread; the bytes are the same.
     */
    public OutputStream encoder(OutputStream sink, BlockParallelism parallelism) throws IOException {
        return encoder(sink, 0, java.time.Instant.now().getEpochSecond(), parallelism);
    }

    /** An encoder recording a source file's mode and mtime in the lzop header, as {@code lzop -c < file} does. */
    public OutputStream encoder(OutputStream sink, int mode, long mtimeSeconds) throws IOException {
        OutputStream encrypted = encryption.encrypt(sink);
        return compression == Compression.LZO
                ? new LzopOutputStream(encrypted, mode, mtimeSeconds)
                : compression.compress(encrypted);
    }

    /**
     * As {@link #encoder(OutputStream, int, long)}, compressing several blocks at once for a caller with one stream
     * to encode; the bytes are the same (lzop blocks and our LZ4 frames' blocks are independent).
     */
    public OutputStream encoder(OutputStream sink, int mode, long mtimeSeconds, BlockParallelism parallelism)
            throws IOException {
        OutputStream encrypted = encryption.encrypt(sink);
        return compression == Compression.LZO
                ? new LzopOutputStream(encrypted, mode, mtimeSeconds, LzopOutputStream.DEFAULT_FLAGS, parallelism)
                : Lz4Codec.compress(encrypted, parallelism);
    }

    /** The plaintext of the object stored under {@code key}, decompressed according to its suffix. */
    public InputStream decoder(String key, InputStream stored) throws IOException {
        Compression c = Compression.forObjectName(key).orElseThrow(
                () -> new CorruptObjectException("cannot tell how " + key + " is compressed: unknown suffix"));
        return c.decompress(encryption.decrypt(stored));
    }
}
