package org.walj.backup;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.walj.pipeline.EncoderOptions;
import org.walj.layout.BackupLayout;
import org.walj.layout.BackupName;
import org.walj.layout.ManifestEntry;
import org.walj.pipeline.ObjectCodec;
import org.walj.storage.Storage;

/**
 * Writes manifests for tests through a codec, in the version 1 form wal-j's backup-push wrote before manifests listed
 * every member (header, one line per regular file, trailer); the current form comes from a real backup-push
 * ({@link GenuineBackup}).
 */
final class ManifestObjects {
    private ManifestObjects() {
    }

    static ManifestEntry entry(int partition, String name, String content) {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        return new ManifestEntry(partition, name, data.length, ManifestEntry.newDigest().digest(data));
    }

    static String text(BackupName backup, List<ManifestEntry> entries) {
        StringBuilder b = new StringBuilder("{\"walj_manifest\": 1, \"backup\": \"" + backup
                + "\", \"digest\": \"sha256\"}").append('\n');
        long bytes = 0;
        for (ManifestEntry e : entries) {
            b.append(e.toJsonLine()).append('\n');
            bytes += e.size();
        }
        return b.append("{\"end\": true, \"files\": " + entries.size() + ", \"bytes\": " + bytes + "}")
                .append('\n').toString();
    }

    static void put(Storage storage, ObjectCodec codec, String backup, List<ManifestEntry> entries)
            throws IOException {
        BackupName name = BackupName.parse(backup).orElseThrow();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream enc = codec.encoder(out, EncoderOptions.pipe())) {
            enc.write(text(name, entries).getBytes(StandardCharsets.UTF_8));
        }
        storage.put(BackupLayout.manifestKey(name, codec.suffix()), new ByteArrayInputStream(out.toByteArray()), null);
    }
}
