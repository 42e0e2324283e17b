package org.walj.backup;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.walj.layout.BackupLayout;
import org.walj.layout.BackupManifest;
import org.walj.layout.BackupName;
import org.walj.layout.ManifestEntry;
import org.walj.pipeline.EncoderOptions;
import org.walj.pipeline.EncodingInputStream;
import org.walj.pipeline.ObjectCodec;
import org.walj.storage.Storage;

/**
 * Builds a backup's manifest while its partitions are written: entries go to a temporary file (mode 0600, in
 * {@code java.io.tmpdir}) as they arrive, so memory stays flat however many files the cluster has; {@link #store}
 * then uploads it through the archive's codec (compressed, and encrypted when GPG is on: it names every file).
 *
 * <p>The file is unlinked as soon as it is open and used through the open channel only: the manifest names every
 * file of the cluster, and no way the process ends (SIGKILL, a crash, a signal during a shutdown) can leave it
 * behind in a shared temporary directory. Only where an open file cannot be unlinked (not on POSIX systems) is the
 * name kept until {@link #close}.
 */
final class ManifestSpool implements ManifestSink, AutoCloseable {
    private final BackupName backup;
    private final FileChannel channel;
    private final Path keptFile;
    private final Writer out;
    private long members;
    private long files;
    private long bytes;
    private boolean finished;

    ManifestSpool(BackupName backup) throws IOException {
        this(backup, Path.of(System.getProperty("java.io.tmpdir")));
    }

    ManifestSpool(BackupName backup, Path directory) throws IOException {
        this.backup = backup;
        Path file = Files.createTempFile(directory, "walj-manifest-", ".jsonl");
        FileChannel opened = null;
        try {
            opened = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            this.keptFile = unlink(file) ? null : file;
            this.channel = opened;
            // the channel's stream, not a new file: the writer must not close the channel that store() reads back
            this.out = new BufferedWriter(new OutputStreamWriter(Channels.newOutputStream(opened),
                    StandardCharsets.UTF_8), 1 << 16);
            line(BackupManifest.headerLine(backup));
        } catch (IOException | RuntimeException e) {
            if (opened != null) {
                opened.close();
            }
            Files.deleteIfExists(file);
            throw e;
        }
    }

    private static boolean unlink(Path file) {
        try {
            Files.delete(file);
            return true;
        } catch (IOException e) {
            return false;
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
        out.flush();
        channel.position(0);
        String key = BackupLayout.manifestKey(backup, codec.suffix());
        try (InputStream encoded = EncodingInputStream.encoded(Channels.newInputStream(channel),
                sink -> codec.encoder(sink, EncoderOptions.pipe()))) {
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
            channel.close();
        } finally {
            if (keptFile != null) {
                Files.deleteIfExists(keptFile);
            }
        }
    }
}
