package org.walj.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrefetchRecordTest {
    static final String SEG = "000000010000000000000004";
    static final String ARCHIVE = "s3://bucket/pg/";

    @TempDir
    Path tmp;

    @Test
    void describesExactlyTheBytesWrittenThroughIt() throws IOException {
        byte[] content = new byte[3 << 20];
        new Random(5).nextBytes(content);
        PrefetchRecord.Digesting d = new PrefetchRecord.Digesting(new ByteArrayOutputStream());
        d.write(content, 0, 1000);
        d.write(content[1000]);
        d.write(content, 1001, content.length - 1001);
        PrefetchRecord record = d.record(SEG, ARCHIVE);
        Path file = Files.write(tmp.resolve("f"), content);

        assertTrue(record.describes(file, SEG, ARCHIVE));
        assertFalse(record.describes(file, "000000010000000000000005", ARCHIVE), "another segment's name");
        assertFalse(record.describes(file, SEG, "s3://bucket/other/"), "another archive");
        content[content.length - 1] ^= 1;
        Files.write(file, content);
        assertFalse(record.describes(file, SEG, ARCHIVE), "one bit changed");
        Files.write(file, java.util.Arrays.copyOf(content, content.length - 1));
        assertFalse(record.describes(file, SEG, ARCHIVE), "one byte short");
    }

    @Test
    void parsesOnlyWhatItFormats() {
        PrefetchRecord record = new PrefetchRecord(SEG, ARCHIVE, 16L << 20, 0x8a9136aa);
        assertEquals(Optional.of(record), PrefetchRecord.parse(record.format().getBytes(StandardCharsets.UTF_8)));
        for (String bad : new String[] {"", "garbage", record.format().replace("size=", "size=-"),
                record.format() + "extra\n", record.format().replace(SEG, "../../etc/passwd"),
                record.format().replace("crc32c=", "crc32c=0")}) {
            assertEquals(Optional.empty(), PrefetchRecord.parse(bad.getBytes(StandardCharsets.UTF_8)), bad);
        }
        assertEquals(Optional.empty(), PrefetchRecord.parse(new byte[PrefetchRecord.maxBytes() + 1]));
    }
}
