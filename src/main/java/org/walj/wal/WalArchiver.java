package org.walj.wal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.walj.WorkerThreads;
import org.walj.TaskFailure;
import org.walj.UserException;
import org.walj.archive.Archive;
import org.walj.layout.ArchiveLayout;
import org.walj.layout.WalFileName;
import org.walj.logging.KibPerSecond;
import org.walj.logging.LogEvent;
import org.walj.logging.LoggerNames;
import org.walj.logging.WalELog;
import org.walj.pipeline.BlockCompressors;
import org.walj.pipeline.BlockMemo;
import org.walj.pipeline.BlockParallelism;
import org.walj.pipeline.BlockPrecoder;
import org.walj.pipeline.CountingInputStream;
import org.walj.pipeline.EncoderOptions;
import org.walj.pipeline.EncodingInputStream;
import org.walj.pipeline.ObjectCodec;
import org.walj.storage.Storage;

/**
 * wal-push: stores one WAL file PostgreSQL hands to archive_command, and, like WAL-E, also the next
 * {@code poolSize - 1} segments already waiting in {@code archive_status/}, so that one process start serves
 * several segments.
 */
public final class WalArchiver {
    private static final WalELog LOG = WalELog.get(LoggerNames.WORKER_UPLOAD);

    private final Archive archive;
    private final Storage storage;
    private final ObjectCodec codec;
    private final BlockMemos memos;

    public WalArchiver(Archive archive) {
        this(archive, BlockMemos.NONE);
    }

    private WalArchiver(Archive archive, BlockMemos memos) {
        this.archive = archive;
        this.storage = archive.storage();
        this.codec = archive.codec();
        this.memos = memos;
    }

    /** The same archiver, taking the blocks of each segment it pushes from {@code memos} where they are there. */
    public WalArchiver withBlockMemos(BlockMemos memos) {
        return new WalArchiver(archive, memos);
    }

    /** The codec's block encoder where its blocks can be encoded ahead ({@link BlockMemos}); empty otherwise. */
    public Optional<BlockPrecoder> blockPrecoder() {
        return codec.blockPrecoder();
    }

    /**
     * Archives {@code walFile}; returns only once it is completely stored. Other ready segments are archived
     * alongside and marked done; their failure fails the command too, since PostgreSQL will retry them anyway.
     */
    public void archive(Path walFile, int poolSize) throws IOException {
        archive(walFile, walFile, poolSize);
    }

    /**
     * As {@link #archive(Path, int)}, for the resident daemon: {@code file} is where the WAL file is, {@code walFile}
     * the path as PostgreSQL gave it (maybe relative to its data directory), which the log records show.
     */
    public void archive(Path walFile, Path file, int poolSize) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new UserException("could not find file for wal-push",
                    "The operating system reported: " + walFile + ": No such file or directory", null);
        }
        List<Path> others = poolSize > 1 ? ReadySegments.after(file, poolSize - 1) : List.of();
        if (others.isEmpty()) {
            uploadAlone(walFile, file);
            return;
        }
        int threads = Math.min(poolSize, Math.max(2, Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, WorkerThreads.named("wal-push"));
        try {
            Future<?> explicit = pool.submit(() -> {
                upload(walFile, file);
                return null;
            });
            List<Future<Boolean>> parallel = new ArrayList<>();
            for (Path other : others) {
                parallel.add(pool.submit(() -> uploadIfPresent(other)));
            }
            IOException failure = await(explicit);
            for (int i = 0; i < others.size(); i++) {
                IOException error = await(parallel.get(i));
                if (error != null) {
                    failure = failure == null ? error : failure;
                } else if (getQuietly(parallel.get(i))) {
                    ReadySegments.markDone(others.get(i));
                }
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Stores a segment found as {@code .ready}; false (and logged) when its file is gone. */
    public boolean uploadIfPresent(Path segment) throws IOException {
        try {
            upload(segment, segment);
            return true;
        } catch (NoSuchFileException vanished) {
            // PostgreSQL removes a .ready file whose segment is gone; leave that decision to it.
            LOG.info(LogEvent.msg("skip parallel archiving of a file")
                    .detail("The segment " + segment + " did not exist.")
                    .kv("action", "push-wal").kv("prefix", archive.prefix().pathPrefix())
                    .kv("seg", segment.getFileName().toString()).kv("state", "skip"));
            return false;
        }
    }

    /**
     * The only upload of this call: its compression may use every core (the pool of other segments does that
     * otherwise). The bytes stored are the same as {@link #upload(Path, Path)}'s.
     */
    private void uploadAlone(Path walFile, Path file) throws IOException {
        Optional<BlockMemo> memo = memoOf(file);
        if (memo.isPresent()) {
            // most blocks are encoded already: threads for the rest would cost more than they save
            upload(walFile, file, Optional.empty(), memo);
            return;
        }
        // per call, not shared: threads start only when a block is ready and end with the upload
        try (BlockCompressors compressors = BlockCompressors.forThisMachine()) {
            upload(walFile, file, compressors.parallelism(), Optional.empty());
        }
    }

    /** The blocks of {@code file} encoded ahead, handed to this upload (once). */
    private Optional<BlockMemo> memoOf(Path file) {
        return memos.take(file.toAbsolutePath().normalize());
    }

    private void upload(Path walFile, Path file) throws IOException {
        upload(walFile, file, Optional.empty(), memoOf(file));
    }

    private void upload(Path walFile, Path file, Optional<BlockParallelism> parallelism, Optional<BlockMemo> memo)
            throws IOException {
        try {
            encodeAndStore(walFile, file, parallelism, memo);
        } finally {
            // the encoder has ended (closing its stream waits for it): the memo's arrays can serve the next segment
            memo.ifPresent(BlockMemo::release);
        }
    }

    private void encodeAndStore(Path walFile, Path file, Optional<BlockParallelism> parallelism,
                                Optional<BlockMemo> memo) throws IOException {
        WalFileName name = new WalFileName(file.getFileName().toString());
        String key = ArchiveLayout.walObjectKey(name, codec.suffix());
        String url = storage.url(key);
        archive.presence().requireWritable();
        LOG.info(LogEvent.msg("begin archiving a file")
                .detail("Uploading \"" + walFile + "\" to \"" + url + "\".")
                .kv("action", "push-wal").kv("key", url).kv("prefix", archive.prefix().pathPrefix())
                .kv("seg", name.value()).kv("state", "begin"));
        SourceFile source = SourceFile.open(file);
        long started = System.nanoTime();
        EncoderOptions options = EncoderOptions.file(source.mode(), source.mtimeSeconds()).inParallel(parallelism)
                .withMemo(memo);
        CountingInputStream encoded;
        try (InputStream in = source.stream();
             CountingInputStream counted = new CountingInputStream(
                     EncodingInputStream.encoded(in, out -> codec.encoder(out, options)))) {
            encoded = counted;
            storage.put(key, counted, "application/octet-stream");
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        String rate = KibPerSecond.format(encoded.count(), seconds);
        LogEvent done = LogEvent.msg("completed archiving to a file")
                .detail("Archiving to \"" + url + "\" complete at " + rate + "KiB/s.")
                .kv("action", "push-wal").kv("key", url).kv("prefix", archive.prefix().pathPrefix())
                .kv("rate", rate).kv("seg", name.value()).kv("state", "complete");
        // blocks compressed while PostgreSQL was still writing the segment (the daemon's push-ahead)
        LOG.info(memo.isPresent() ? done.kv("early_blocks", memo.get().used()) : done);
    }

    /**
     * The record a push ends with, for a request the resident daemon answers without uploading: it stored the same
     * file moments ago, ahead of PostgreSQL's call (org.walj.resident.PushAhead).
     */
    public void reportStoredAhead(Path walFile, Path file) {
        WalFileName name = new WalFileName(file.getFileName().toString());
        String url = storage.url(ArchiveLayout.walObjectKey(name, codec.suffix()));
        LOG.info(LogEvent.msg("completed archiving to a file")
                .detail("Archiving to \"" + url + "\" complete: \"" + walFile
                        + "\" was already stored by the daemon, ahead of this request.")
                .kv("action", "push-wal").kv("key", url).kv("prefix", archive.prefix().pathPrefix())
                .kv("seg", name.value()).kv("state", "complete"));
    }

    private static IOException await(Future<?> f) {
        try {
            f.get();
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new java.io.InterruptedIOException("interrupted while archiving");
        } catch (ExecutionException e) {
            return TaskFailure.cause(e);
        }
    }

    private static boolean getQuietly(Future<Boolean> f) {
        try {
            return f.get();
        } catch (InterruptedException | ExecutionException e) {
            return false;
        }
    }
}
