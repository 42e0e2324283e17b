package org.walj.pipeline.lzop;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import org.walj.pipeline.BlockMemo;
import org.walj.pipeline.BlockParallelism;
import org.walj.pipeline.BlockPrecoder;
import org.walj.pipeline.CompressionCodec;
import org.walj.pipeline.EncoderOptions;
import org.walj.pipeline.StreamFormat;

/** The lzop container over LZO1X blocks, as {@code lzop --crc32 -c} writes it; reads whatever lzop 1.04 writes. */
public final class LzopCodec extends CompressionCodec {

    public LzopCodec() {
        super(".lzo", StreamFormat.LZOP, Lzop.BLOCK_SIZE);
    }

    /**
     * The header records {@code options}' mode and mtime, with {@code lzop --crc32 -c}'s flags. With a memo, blocks
     * are encoded on the writing thread (most come from the memo).
     */
    @Override
    public OutputStream encoder(OutputStream out, EncoderOptions options) throws IOException {
        if (options.memo().isPresent()) {
            return new LzopOutputStream(out, options.mode(), options.mtimeSeconds(), LzopOutputStream.DEFAULT_FLAGS,
                    options.memo().get());
        }
        return new LzopOutputStream(out, options.mode(), options.mtimeSeconds(), LzopOutputStream.DEFAULT_FLAGS,
                options.parallelism().orElse(null));
    }

    /** lzop's blocks are independent of each other and of the header: each can be encoded on its own. */
    @Override
    public Optional<BlockPrecoder> blockPrecoder() {
        LzopBlockEncoder encoder = new LzopBlockEncoder(LzopOutputStream.DEFAULT_FLAGS);
        return Optional.of(new BlockPrecoder() {
            @Override
            public int blockSize() {
                return Lzop.BLOCK_SIZE;
            }

            @Override
            public int maxEncodedLength(int len) {
                return LzopBlockEncoder.maxEncodedLength(len);
            }

            @Override
            public int encode(byte[] src, int off, int len, byte[] dst, int dstOff) {
                encoder.encode(src, off, len);
                return encoder.copyTo(dst, dstOff);
            }
        });
    }

    @Override
    protected InputStream decodeFrom(InputStream in) {
        return new LzopInputStream(in);
    }

    @Override
    public boolean decodesInParallel() {
        return true;
    }

    /** lzop's blocks are independent: decompressed and checked several at once, handed out in order. */
    @Override
    protected InputStream decodeFrom(InputStream in, BlockParallelism parallelism) {
        return new LzopInputStream(in, parallelism);
    }
}
