package org.walj.backup;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.walj.layout.BackupLayout;
import org.walj.layout.BackupManifest;
import org.walj.layout.BackupName;
import org.walj.layout.ManifestEntry;
import org.walj.pipeline.EncodingInputStream;
import org.walj.pipeline.ObjectCodec;
import org.walj.storage.Storage;

/**
 * Builds a backup's manifest while its partitions are written: entries go to a temporary file (mode 0600, in
 * {@code java.io.tmpdir}) as they arrive, so memory stays flat however many files the cluster has; {@link #store}
 * then uploads it through the archive's codec (compressed, and encrypted when GPG is on: it names every file).
 */
final class ManifestSpool implements ManifestSink, AutoCloseable {
    private final BackupName backup;
    private final Path file;
    private final Writer out;
    private long members;
    private long files;
    private long bytes;
    private boolean finished;

    ManifestSpool(BackupName backup) throws IOException {
        this.backup = backup;
        this.file = Files.createTempFile("walj-manifest-", ".jsonl");
        try {
            this.out = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16);
            line(BackupManifest.headerLine(backup));
        } catch (IOException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    @Override
    public synchronized void add(ManifestEntry entry) throws IOException {
        if (finished) {
            throw new IllegalStateException("manifest already stored");
        }
        line(entry.toJsonLine());
        members++;
        if (entry.type() == ManifestEntry.Type.FILE) {
            files++;
            bytes += entry.size();
        }
    }

    /** Writes the trailer and stores the manifest; returns its key. No entry may be added afterwards. */
    synchronized String store(Storage storage, ObjectCodec codec) throws IOException {
        finished = true;
        line(BackupManifest.trailerLine(members, files, bytes));
        out.close();
        String key = BackupLayout.manifestKey(backup, codec.suffix());
        try (InputStream encoded = EncodingInputStream.encoded(Files.newInputStream(file), codec::encoder)) {
            storage.put(key, encoded, "application/octet-stream");
        }
        return key;
    }

    synchronized long files() {
        return files;
    }

    synchronized long members() {
        return members;
    }

    private void line(String text) throws IOException {
        out.write(text);
        out.write('\n');
    }

    @Override
    public void close() throws IOException {
        try {
            out.close();
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
