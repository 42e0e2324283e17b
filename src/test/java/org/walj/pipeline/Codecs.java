package org.walj.pipeline;

import org.walj.pipeline.lzop.LzopInputStream;
import org.walj.pipeline.lzop.LzopOutputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Small helpers: whole-array compress/decompress through the streams under test. */
public final class Codecs {

    public static final int WAL_MODE = 0100600;
    public static final long FIXED_MTIME = 1_795_316_294L;

    private Codecs() {
    }

    public static byte[] lzop(byte[] data) throws IOException {
        return lzop(data, WAL_MODE, FIXED_MTIME, LzopOutputStream.DEFAULT_FLAGS);
    }

    public static byte[] lzop(byte[] data, int mode, long mtime, int flags) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(data.length / 2 + 64);
        try (OutputStream out = new LzopOutputStream(bytes, mode, mtime, flags)) {
            writeInPieces(out, data);
        }
        return bytes.toByteArray();
    }

    /** Writes with a mix of single bytes, small and large arrays, to exercise every write path. */
    public static void writeInPieces(OutputStream out, byte[] data) throws IOException {
        int off = 0;
        int step = 0;
        while (off < data.length) {
            int n = switch (step++ % 4) {
                case 0 -> 1;
                case 1 -> 1000;
                case 2 -> 300_000;
                default -> 70_000;
            };
            n = Math.min(n, data.length - off);
            if (n == 1) {
                out.write(data[off]);
            } else {
                out.write(data, off, n);
            }
            off += n;
        }
    }

    public static byte[] unlzop(byte[] stream) throws IOException {
        try (InputStream in = new LzopInputStream(new ByteArrayInputStream(stream))) {
            return readAll(in);
        }
    }

    /** Reads with varying buffer sizes, checking the read contract on the way. */
    public static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 20];
        int[] sizes = {1 << 20, 7, 100_000, 1};
        int i = 0;
        while (true) {
            int want = sizes[i++ % sizes.length];
            int n = in.read(buf, 0, want);
            if (n < 0) {
                break;
            }
            if (n == 0 || n > want) {
                throw new AssertionError("read(" + want + ") returned " + n);
            }
            out.write(buf, 0, n);
        }
        if (in.read() != -1 || in.read(buf, 0, 10) != -1) {
            throw new AssertionError("EOF is not sticky");
        }
        return out.toByteArray();
    }
}
