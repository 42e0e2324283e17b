package org.walj.storage.gcs;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import com.google.api.gax.paging.Page;
import com.google.cloud.ReadChannel;
import com.google.cloud.RestorableState;
import com.google.cloud.WriteChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.StorageException;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;

/**
 * A <b>stand-in</b> for GCS: {@code LocalStorageHelper}, the client library's own in-memory test storage (a fake RPC
 * layer, no HTTP), with its known defects corrected for the calls wal-j makes, so that the full storage contract
 * runs on it. Each correction, and the defect it covers (google-cloud-nio 0.135.0):
 * <ol>
 * <li>Listing: the fake strips a leading '/' from a list prefix (a java.nio path convention), so listing WAL-E's
 * {@code /pitr/...} names finds nothing. Here a prefix starting with '/' lists the bucket without prefix and
 * filters by the real prefix, in name order, as GCS does.</li>
 * <li>Concurrency: the fake is {@code @NotThreadSafe} (plain hash maps). Here every call that touches it holds one
 * lock, and reads are served from a copy taken under the lock.</li>
 * <li>Resumable uploads: the fake registers an object's metadata when the session opens (real GCS creates it only
 * when the session is finalized). Here a writer buffers in memory and creates the object on {@code close()}: a
 * writer never closed leaves nothing, as on GCS.</li>
 * <li>Reads of a generation: served only if that generation is still the live one, else 404, as GCS does without
 * object versioning.</li>
 * <li>Upload options: the fake refuses every option of {@code create} it does not know (wal-j passes
 * {@code disableGzipContent}, meaningless in memory) with UnsupportedOperationException; here they are dropped.</li>
 * </ol>
 * Everything else is the fake's own behaviour. Over real HTTP see {@link GcsJsonApiStandIn}.
 */
final class LocalStorageHelperStandIn extends ForwardingGcsClient {
    private final Object lock = new Object();

    LocalStorageHelperStandIn() {
        super(LocalStorageHelper.getOptions().getService());
    }

    @Override
    public Blob create(BlobInfo info, byte[] content, int offset, int length, BlobTargetOption... options) {
        synchronized (lock) {
            return delegate.create(info, content, offset, length); // correction 5: options dropped
        }
    }

    @Override
    public Blob get(BlobId blob) {
        synchronized (lock) {
            return delegate.get(blob);
        }
    }

    @Override
    public boolean delete(BlobId blob) {
        synchronized (lock) {
            return delegate.delete(blob);
        }
    }

    @Override
    public Page<Blob> list(String bucket, BlobListOption... options) {
        String prefix = null;
        for (BlobListOption o : options) {
            String p = prefixOf(o);
            prefix = p != null ? p : prefix; // a page size after the prefix must not hide it
        }
        synchronized (lock) {
            if (prefix == null || !prefix.startsWith("/")) {
                return delegate.list(bucket, options);
            }
            List<Blob> found = new ArrayList<>();
            for (Blob b : delegate.list(bucket).iterateAll()) {
                if (b.getName().startsWith(prefix)) {
                    found.add(b);
                }
            }
            found.sort(Comparator.comparing(Blob::getName));
            return new OnePage(found);
        }
    }

    /**
     * The value of a prefix option. The option's value is not public; its toString ("BlobListOption{opt=Prefix{key=
     * PREFIX, val=...}}") is parsed and the result confirmed by equality with a new prefix option.
     */
    private static String prefixOf(BlobListOption option) {
        String text = option.toString();
        String start = "Prefix{key=PREFIX, val=";
        int i = text.indexOf(start);
        if (i < 0) {
            return null;
        }
        String value = text.substring(i + start.length(), text.length() - 2);
        if (!BlobListOption.prefix(value).equals(option)) {
            throw new UnsupportedOperationException("cannot read the prefix of " + text);
        }
        return value;
    }

    @Override
    public ReadChannel reader(BlobId blob, BlobSourceOption... options) {
        byte[] content;
        synchronized (lock) {
            Blob live = delegate.get(BlobId.of(blob.getBucket(), blob.getName()));
            if (live == null || (blob.getGeneration() != null && !blob.getGeneration().equals(live.getGeneration()))) {
                throw new StorageException(404, "No such object: " + blob.getBucket() + "/" + blob.getName());
            }
            content = delegate.readAllBytes(BlobId.of(blob.getBucket(), blob.getName()));
        }
        return new CopyReader(content);
    }

    @Override
    public WriteChannel writer(BlobInfo info, BlobWriteOption... options) {
        return new FinalizingWriter(info);
    }

    private record OnePage(List<Blob> values) implements Page<Blob> {
        @Override
        public boolean hasNextPage() {
            return false;
        }

        @Override
        public String getNextPageToken() {
            return null;
        }

        @Override
        public Page<Blob> getNextPage() {
            return null;
        }

        @Override
        public Iterable<Blob> iterateAll() {
            return values;
        }

        @Override
        public Iterable<Blob> getValues() {
            return values;
        }
    }

    /** Serves a copy taken under the lock. */
    private static final class CopyReader implements ReadChannel {
        private final ByteBuffer content;
        private boolean open = true;

        CopyReader(byte[] content) {
            this.content = ByteBuffer.wrap(content);
        }

        @Override
        public int read(ByteBuffer dst) throws ClosedChannelException {
            if (!open) {
                throw new ClosedChannelException();
            }
            if (!content.hasRemaining()) {
                return -1;
            }
            int n = Math.min(dst.remaining(), content.remaining());
            ByteBuffer slice = content.slice();
            slice.limit(n);
            dst.put(slice);
            content.position(content.position() + n);
            return n;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }

        @Override
        public void seek(long position) {
            content.position((int) position);
        }

        @Override
        public void setChunkSize(int chunkSize) {
            // one copy, no chunks
        }

        @Override
        public RestorableState<ReadChannel> capture() {
            throw new UnsupportedOperationException("the stand-in's reader cannot be captured");
        }
    }

    /** Buffers everything and creates the object only when closed, as a finalized resumable session does. */
    private final class FinalizingWriter implements WriteChannel {
        private final BlobInfo info;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private boolean open = true;

        FinalizingWriter(BlobInfo info) {
            this.info = info;
        }

        @Override
        public int write(ByteBuffer src) throws ClosedChannelException {
            if (!open) {
                throw new ClosedChannelException();
            }
            int n = src.remaining();
            byte[] b = new byte[n];
            src.get(b);
            buffer.write(b, 0, n);
            return n;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            if (open) {
                open = false;
                byte[] content = buffer.toByteArray();
                create(info, content, 0, content.length);
            }
        }

        @Override
        public void setChunkSize(int chunkSize) {
            // one request at close
        }

        @Override
        public RestorableState<WriteChannel> capture() {
            throw new UnsupportedOperationException("the stand-in's writer cannot be captured");
        }
    }
}
