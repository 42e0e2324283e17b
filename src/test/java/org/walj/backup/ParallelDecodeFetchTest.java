package org.walj.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.walj.archive.Archives;
import org.walj.pipeline.EncoderOptions;
import org.walj.pipeline.Encryption;
import org.walj.pipeline.ObjectCodec;
import org.walj.pipeline.codecs.Compression;
import org.walj.pipeline.lzop.LzopLayout;
import org.walj.storage.file.FileStorage;

/**
 * backup-fetch decodes an lzop (or LZ4) partition's blocks on several threads: a partition whose blocks were damaged (a wrong
 * checksum, cut short, two blocks swapped) fails the fetch with one line naming the partition and what is wrong, and
 * the restore stays without {@code global/pg_control}; the undamaged backup restores byte for byte.
 */
@Timeout(120)
class ParallelDecodeFetchTest {
    static final String NAME = BackupFetchTest.NAME;
    static final ObjectCodec CODEC = Compression.LZO.with(Encryption.NONE);
    static final String BIG = "base/1/16384";
    static final String PARTITION = "partition part_00000001.tar.lzo could not be restored: ";
    static final String KEY = "basebackups_005/" + NAME + "/tar_partitions/part_00000001.tar.lzo";

    @TempDir
    Path tmp;
    FileStorage storage;
    BackupFetch fetch;
    Path data;
    String big;
    byte[] stored;

    @BeforeEach
    void setUp() throws IOException {
        storage = new FileStorage(Files.createDirectories(tmp.resolve("archive")));
        fetch = new BackupFetch(Archives.on(storage, tmp.resolve("archive"), CODEC));
        data = tmp.resolve("restore/data");
        // ~3 MiB of hex digits: a dozen 256 KiB lzop blocks, each compressed
        StringBuilder b = new StringBuilder();
        Random random = new Random(5);
        while (b.length() < 3 * 1024 * 1024) {
            b.append(Long.toHexString(random.nextLong()));
        }
        big = b.toString();
        put("basebackups_005/" + NAME + "/tar_partitions/part_00000000.tar.lzo",
                encode(new Tars().dir("/", 0700).file("PG_VERSION", "15\n").file("global/pg_control", "control")
                        .bytes()));
        stored = encode(new Tars().file(BIG, big).file("base/1/1", "one").bytes());
        BackupFetchTest.sentinel(storage, List.of());
        ManifestObjects.put(storage, CODEC, NAME, List.of(ManifestObjects.entry(0, "PG_VERSION", "15\n"),
                ManifestObjects.entry(0, "global/pg_control", "control"), ManifestObjects.entry(1, BIG, big),
                ManifestObjects.entry(1, "base/1/1", "one")));
        assertTrue(LzopLayout.parse(stored).blocks().size() >= 8, "several blocks to decode at once");
    }

    @Test
    void anUndamagedPartitionRestoresExactly() throws IOException {
        put(KEY, stored);
        fetch.fetch(data, NAME, BackupFetchTest.options(Optional.empty()));
        assertEquals(big, Files.readString(data.resolve(BIG)));
        assertEquals("control", Files.readString(data.resolve("global/pg_control")));
    }

    @Test
    void aWrongBlockChecksumFailsTheFetch() throws IOException {
        byte[] bad = stored.clone();
        bad[LzopLayout.parse(stored).blocks().get(5).offset() + 8] ^= 0x10; // block 6's CRC-32 of its data
        put(KEY, bad);
        String m = fails("corrupt lzop stream: checksum mismatch in block 6 (CRC-32 of the uncompressed data)");
        assertTrue(m.contains("tar member \"" + BIG + "\" is truncated or unreadable"), m);
    }

    @Test
    void invalidDataInABlockFailsTheFetch() throws IOException {
        byte[] bad = stored.clone();
        LzopLayout.Block b = LzopLayout.parse(stored).blocks().get(4);
        bad[b.offset() + b.headerLength() + 100] ^= 0x55;
        put(KEY, bad);
        fails("corrupt lzop stream: checksum mismatch in block 5");
    }

    @Test
    void aPartitionCutShortFailsTheFetch() throws IOException {
        LzopLayout.Block b = LzopLayout.parse(stored).blocks().get(7);
        put(KEY, Arrays.copyOf(stored, b.offset() + b.headerLength() + 10));
        fails("truncated lzop stream: input ends in block 8");
    }

    @Test
    void swappedBlocksFailTheFetchOnTheManifest() throws IOException {
        List<LzopLayout.Block> blocks = LzopLayout.parse(stored).blocks();
        LzopLayout.Block x = blocks.get(2);
        LzopLayout.Block y = blocks.get(6);
        int endX = x.offset() + x.headerLength() + x.compressedLength();
        int endY = y.offset() + y.headerLength() + y.compressedLength();
        ByteArrayOutputStream swapped = new ByteArrayOutputStream();
        swapped.write(stored, 0, x.offset());
        swapped.write(stored, y.offset(), endY - y.offset());
        swapped.write(stored, endX, y.offset() - endX);
        swapped.write(stored, x.offset(), endX - x.offset());
        swapped.write(stored, endY, stored.length - endY);
        put(KEY, swapped.toByteArray());
        String m = fails("\"" + BIG + "\" does not match the backup manifest: its SHA-256 is ");
        assertTrue(m.startsWith(PARTITION + "\"" + BIG), m);
    }

    /** The same partition as an LZ4 frame (256 KiB blocks, block checksums): decoded on the pool, checked likewise. */
    @Test
    void anLz4PartitionRestoresAndADamagedBlockFailsTheFetch() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream enc = Compression.LZ4.with(Encryption.NONE).encoder(out, EncoderOptions.pipe())) {
            enc.write(new Tars().file(BIG, big).file("base/1/1", "one").bytes());
        }
        byte[] frame = out.toByteArray();
        String key = KEY.replace(".lzo", ".lz4");
        put(key, frame);
        fetch.fetch(data, NAME, BackupFetchTest.options(Optional.empty()));
        assertEquals(big, Files.readString(data.resolve(BIG)));

        // block 4's checksum: after the 7-byte header, each block is its 4-byte size, its bytes, its 4-byte XXH32
        int at = 7;
        for (int k = 1; k < 4; k++) {
            at += 4 + (ByteBuffer.wrap(frame, at, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0x7FFF_FFFF) + 4;
        }
        int size = ByteBuffer.wrap(frame, at, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0x7FFF_FFFF;
        assertTrue(at + 8 + size < frame.length - 8, "the frame has more than four blocks");
        byte[] bad = frame.clone();
        bad[at + 4 + size] ^= 0x01;
        put(key, bad);
        Path again = tmp.resolve("restore-again/data");
        IOException e = assertThrows(IOException.class,
                () -> fetch.fetch(again, NAME, BackupFetchTest.options(Optional.empty())));
        assertTrue(e.getMessage().startsWith(PARTITION.replace(".lzo", ".lz4")), e.getMessage());
        assertTrue(e.getMessage().contains("corrupt LZ4 frame: checksum mismatch in block 4"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertFalse(Files.exists(again.resolve("global/pg_control")), "a failed fetch has no pg_control");
    }

    /** The fetch fails with one line naming the partition and {@code what}, and leaves no pg_control. */
    private String fails(String what) {
        IOException e = assertThrows(IOException.class,
                () -> fetch.fetch(data, NAME, BackupFetchTest.options(Optional.empty())));
        assertTrue(e.getMessage().startsWith(PARTITION), e.getMessage());
        assertTrue(e.getMessage().contains(what), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertFalse(Files.exists(data.resolve("global/pg_control")), "a failed fetch has no pg_control");
        return e.getMessage();
    }

    private static byte[] encode(byte[] tar) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream enc = CODEC.encoder(out, EncoderOptions.pipe())) {
            enc.write(tar);
        }
        return out.toByteArray();
    }

    private void put(String key, byte[] bytes) throws IOException {
        try (InputStream in = new ByteArrayInputStream(bytes)) {
            storage.put(key, in, null);
        }
    }
}
