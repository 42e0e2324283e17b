package org.walj.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How objects are encoded on the way into storage (compress, then encrypt) and decoded on the way out (decrypt, then
 * decompress). Writers use the configured compression; readers pick the decompressor from each object's suffix in
 * {@code readable}, so an archive with mixed compressions restores.
 */
public record ObjectCodec(CompressionCodec compression, Encryption encryption, CompressionTable readable) {
    public ObjectCodec {
        Objects.requireNonNull(compression, "compression");
        Objects.requireNonNull(encryption, "encryption");
        Objects.requireNonNull(readable, "readable");
        if (!readable.codecs().contains(compression)) {
            throw new IllegalArgumentException("compression " + compression.name() + " is not in the table");
        }
    }

    /** The suffix of objects this codec writes, e.g. {@code .lzo}. */
    public String suffix() {
        return compression.suffix();
    }

    /** An encoder over {@code sink}: what is written to it reaches {@code sink} compressed, then encrypted. */
    public OutputStream encoder(OutputStream sink, EncoderOptions options) throws IOException {
        return compression.encoder(encryption.encrypt(sink), options);
    }

    /**
     * Encodes single blocks as {@link #encoder} does before encryption, where the compression's blocks are independent
     * (lzop); encryption applies to the whole stream afterwards, so memorised blocks serve encrypted archives too.
     */
    public Optional<BlockPrecoder> blockPrecoder() {
        return compression.blockPrecoder();
    }

    /** The plaintext of the object stored under {@code key}, decompressed according to its suffix. */
    public InputStream decoder(String key, InputStream stored) throws IOException {
        return codecOf(key).decoder(encryption.decrypt(stored));
    }

    /**
     * As {@link #decoder(String, InputStream)}, on more than one thread: a format whose blocks decode independently
     * (lzop, LZ4 frames) has its stored bytes read ahead and decrypted on a thread of their own and its blocks
     * decompressed and checked on {@code parallelism} (and the reading thread), which reads the decoded blocks
     * directly; any other format, or no {@code parallelism}, is decrypted and decompressed on a thread of its own,
     * read ahead.
     */
    public InputStream threadedDecoder(String key, InputStream stored, Optional<BlockParallelism> parallelism)
            throws IOException {
        CompressionCodec c = codecOf(key);
        if (parallelism.isPresent() && c.decodesInParallel()) {
            return c.decoder(EncodingInputStream.readAhead(encryption.decrypt(stored)), parallelism.get());
        }
        return EncodingInputStream.readAhead(c.decoder(encryption.decrypt(stored)));
    }

    private CompressionCodec codecOf(String key) throws CorruptObjectException {
        return readable.forObjectName(key).orElseThrow(
                () -> new CorruptObjectException("cannot tell how " + key + " is compressed: unknown suffix"));
    }

    /** The compressions an object may have been stored with, the one this codec writes first. */
    public List<CompressionCodec> searchOrder() {
        List<CompressionCodec> order = new ArrayList<>(readable.codecs());
        order.remove(compression);
        order.add(0, compression);
        return List.copyOf(order);
    }
}
