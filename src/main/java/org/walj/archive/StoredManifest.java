package org.walj.archive;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import org.walj.layout.BackupLayout;
import org.walj.layout.BackupManifest;
import org.walj.layout.BackupName;
import org.walj.pipeline.ObjectCodec;
import org.walj.storage.ObjectInfo;
import org.walj.storage.Storage;

/** Finds and reads a backup's manifest, whichever compression wrote it; a backup made by WAL-E has none. */
final class StoredManifest {
    private StoredManifest() {
    }

    static Optional<BackupManifest> load(Storage storage, ObjectCodec codec, BackupName backup) throws IOException {
        String prefix = BackupLayout.manifestPrefix(backup);
        List<ObjectInfo> found = storage.list(prefix).stream()
                .filter(o -> !o.key().substring(prefix.length()).contains("/"))
                .toList();
        if (found.isEmpty()) {
            return Optional.empty();
        }
        if (found.size() > 1) {
            throw new IOException("backup " + backup + " has " + found.size() + " manifests ("
                    + storage.url(found.get(0).key()) + ", " + storage.url(found.get(1).key()) + ")");
        }
        String key = found.get(0).key();
        try (InputStream stored = storage.get(key); InputStream plain = codec.decoder(key, stored)) {
            BackupManifest manifest = BackupManifest.read(plain, backup);
            // read to the very end, so the decoder checks its trailer and checksums
            plain.transferTo(java.io.OutputStream.nullOutputStream());
            return Optional.of(manifest);
        } catch (IOException | RuntimeException e) {
            throw new IOException("the backup manifest " + storage.url(key) + " cannot be read: "
                    + oneLine(e), e);
        }
    }

    private static String oneLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m);
    }
}
