package org.walj.storage.gcs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.walj.storage.ObjectInfo;
import org.walj.storage.ObjectNotFoundException;
import org.walj.storage.Retrier;
import org.walj.storage.RetryPolicy;
import org.walj.storage.Storage;
import org.walj.storage.StorageUnavailableException;
import org.walj.storage.TransientStorageException;
import com.google.cloud.ReadChannel;
import com.google.cloud.WriteChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.StorageException;

/**
 * Google Cloud Storage with WAL-E's object names: {@code gs://b/pitr/wal_005/X.lzo} is the object
 * {@code /pitr/wal_005/X.lzo} — with a leading slash, as WAL-E's {@code storage.Blob(url.path, bucket)} names it
 * (spec 3.2), so each tool reads the other's archives. Objects up to one chunk are one retried request; larger ones
 * go through a resumable upload that is finalized only when the content has ended without error, so a failed put
 * leaves no object. The client's own retries are off; {@link Retrier} retries and logs.
 */
public final class GcsStorage implements Storage {
    /** Chunk of a resumable upload, and the largest object sent in one request. */
    static final int CHUNK = 8 * 1024 * 1024;

    private final com.google.cloud.storage.Storage client;
    private final String bucket;
    private final String pathPrefix;
    private final Retrier retrier;
    private volatile boolean bucketSeen;

    public GcsStorage(com.google.cloud.storage.Storage client, String bucket, String pathPrefix, RetryPolicy retry) {
        this.client = Objects.requireNonNull(client, "client");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        this.pathPrefix = Objects.requireNonNull(pathPrefix, "pathPrefix");
        this.retrier = new Retrier(retry);
    }

    /** WAL-E's GCS object name: the URL path, leading slash included. */
    String objectName(String key) {
        return "/" + pathPrefix + key;
    }

    @Override
    public void put(String key, InputStream content, String contentType) throws IOException {
        BlobInfo info = BlobInfo.newBuilder(BlobId.of(bucket, objectName(key)))
                .setContentType(contentType == null ? "application/octet-stream" : contentType).build();
        byte[] first = new byte[CHUNK];
        int length = readFully(content, first);
        int next = length < CHUNK ? -1 : content.read();
        if (next < 0) {
            call("upload of " + url(key), () -> client.create(info, first, 0, length,
                    com.google.cloud.storage.Storage.BlobTargetOption.disableGzipContent()));
            return;
        }
        // resumable upload: the object appears only when the channel is closed after the content ended
        WriteChannel writer = call("start of the upload of " + url(key), () -> client.writer(info,
                com.google.cloud.storage.Storage.BlobWriteOption.disableGzipContent()));
        writer.setChunkSize(CHUNK);
        try {
            write(writer, first, length, key);
            byte[] buffer = first;
            buffer[0] = (byte) next;
            int n = 1 + readFully(content, buffer, 1);
            while (n > 0) {
                write(writer, buffer, n, key);
                n = readFully(content, buffer, 0);
            }
        } catch (IOException | RuntimeException e) {
            // never closed, so never finalized: GCS drops the session's data after a week
            throw e;
        }
        try {
            writer.close();
        } catch (IOException | StorageException e) {
            throw translateWrapped("upload of " + url(key), e);
        }
    }

    private void write(WriteChannel writer, byte[] b, int n, String key) throws IOException {
        try {
            ByteBuffer buffer = ByteBuffer.wrap(b, 0, n);
            while (buffer.hasRemaining()) {
                writer.write(buffer);
            }
        } catch (IOException | StorageException e) {
            // the channel wraps the client's StorageException in an IOException
            throw translateWrapped("upload of " + url(key), e);
        }
    }

    @Override
    public InputStream get(String key) throws IOException {
        String what = "download of " + url(key);
        return retrier.run(what, () -> {
            for (int replaced = 0; ; replaced++) {
                Blob blob = lookUp(what, key);
                if (blob == null) {
                    requireBucket();
                    throw new ObjectNotFoundException(key);
                }
                if (blob.getSize() != null && blob.getSize() == 0) {
                    return InputStream.nullInputStream();
                }
                // read exactly the generation found, never a newer object's tail; the first bytes are read here so
                // that "replaced since the lookup" (404 for that generation) is seen before the caller reads
                ReadChannel reader = client.reader(BlobId.of(bucket, objectName(key), blob.getGeneration()));
                ByteBuffer first = ByteBuffer.allocate(64 * 1024);
                try {
                    while (first.hasRemaining() && reader.read(first) >= 0) {
                        // fill the first buffer or reach the end
                    }
                } catch (IOException | StorageException e) {
                    reader.close();
                    if (status(e) == 404 && replaced < 10) {
                        continue; // another writer replaced the object: look up the new generation
                    }
                    throw translateRead(what, e);
                }
                first.flip();
                return new GenerationStream(first, Channels.newInputStream(reader), what);
            }
        });
    }

    private Blob lookUp(String what, String key) throws IOException {
        try {
            return client.get(BlobId.of(bucket, objectName(key)));
        } catch (StorageException e) {
            throw translate(what, e);
        }
    }

    /** The bytes read while opening, then the rest of the same generation; client failures become ours. */
    private final class GenerationStream extends InputStream {
        private final ByteBuffer first;
        private final InputStream rest;
        private final String what;

        GenerationStream(ByteBuffer first, InputStream rest, String what) {
            this.first = first;
            this.rest = rest;
            this.what = what;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (first.hasRemaining()) {
                int n = Math.min(len, first.remaining());
                first.get(b, off, n);
                return n;
            }
            try {
                return rest.read(b, off, len);
            } catch (IOException | StorageException e) {
                throw translateRead(what, e);
            }
        }

        @Override
        public void close() throws IOException {
            rest.close();
        }
    }

    /** HTTP status of a client failure, possibly wrapped in the IOException a channel throws; 0 if none. */
    private static int status(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StorageException s) {
                return s.getCode();
            }
        }
        return 0;
    }

    /** A read failure: 404 here means the generation being read was replaced or deleted, not a missing bucket. */
    private IOException translateRead(String what, Exception e) {
        if (status(e) == 404) {
            return new StorageUnavailableException("the object of the " + what
                    + " was replaced or deleted while it was being read", e);
        }
        return translateWrapped(what, e);
    }

    /** Translates the client's StorageException even when a channel wrapped it in an IOException. */
    private IOException translateWrapped(String what, Exception e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StorageException s) {
                return translate(what, s);
            }
        }
        return translate(what, e);
    }

    @Override
    public Optional<ObjectInfo> stat(String key) throws IOException {
        Blob blob = call("stat of " + url(key), () -> client.get(BlobId.of(bucket, objectName(key))));
        if (blob == null) {
            requireBucket();
            return Optional.empty();
        }
        return Optional.of(info(key, blob));
    }

    private static ObjectInfo info(String key, Blob blob) {
        Long updated = blob.getUpdateTime();
        return new ObjectInfo(key, blob.getSize() == null ? 0 : blob.getSize(),
                updated == null ? Instant.EPOCH : Instant.ofEpochMilli(updated));
    }

    private void requireBucket() throws IOException {
        if (bucketSeen) {
            return;
        }
        // a listing of a missing bucket is a 404, which translate() names as such (only object reads may 404)
        call("check of bucket " + bucket, () -> client.list(bucket,
                com.google.cloud.storage.Storage.BlobListOption.pageSize(1)));
        bucketSeen = true;
    }

    @Override
    public List<ObjectInfo> list(String keyPrefix) throws IOException {
        String prefix = objectName(keyPrefix);
        String strip = objectName("");
        List<ObjectInfo> found = new ArrayList<>();
        call("listing of " + url(keyPrefix), () -> {
            found.clear();
            for (Blob blob : client.list(bucket, com.google.cloud.storage.Storage.BlobListOption.prefix(prefix))
                    .iterateAll()) {
                found.add(info(blob.getName().substring(strip.length()), blob));
            }
            return null;
        });
        found.sort((a, b) -> a.key().compareTo(b.key()));
        return found;
    }

    /** One listing of at most one object: asked only when a segment was not found, never on the hot path. */
    @Override
    public boolean holdsDirectory(String directoryKey) throws IOException {
        String prefix = objectName(directoryKey);
        Boolean any = call("listing of " + url(directoryKey), () -> client.list(bucket,
                com.google.cloud.storage.Storage.BlobListOption.prefix(prefix),
                // iterateAll is lazy: the first object found ends it; an empty page with a next token is followed
                com.google.cloud.storage.Storage.BlobListOption.pageSize(1)).iterateAll().iterator().hasNext());
        return any;
    }

    @Override
    public void delete(Collection<String> keys) throws IOException {
        List<BlobId> ids = keys.stream().map(k -> BlobId.of(bucket, objectName(k))).toList();
        // one request per object: simple to retry one by one (a missing object answers false, not an error)
        for (BlobId id : ids) {
            call("deletion of gs://" + bucket + id.getName(), () -> client.delete(id));
        }
    }

    @Override
    public String url(String key) {
        return "gs://" + bucket + "/" + pathPrefix + key;
    }

    @Override
    public void close() throws IOException {
        try {
            client.close();
        } catch (Exception e) {
            // closing releases nothing we depend on
        }
    }

    @FunctionalInterface
    private interface GcsCall<T> {
        T run();
    }

    private <T> T call(String what, GcsCall<T> request) throws IOException {
        return retrier.run(what, () -> {
            try {
                return request.run();
            } catch (StorageException e) {
                throw translate(what, e);
            }
        });
    }

    /** One line naming the bucket and the failure; client messages carry no credentials, but only codes are used. */
    private IOException translate(String what, Exception e) {
        int code = e instanceof StorageException s ? s.getCode() : 0;
        boolean retryable = e instanceof StorageException s && s.isRetryable();
        if (code == 401) {
            return new StorageUnavailableException("Google Cloud Storage rejected the credentials for bucket "
                    + bucket + " (HTTP 401)", e);
        }
        if (code == 403) {
            return new StorageUnavailableException("access to bucket " + bucket + " denied for " + what
                    + " (HTTP 403)", e);
        }
        if (code == 404) {
            return new StorageUnavailableException("bucket " + bucket + " does not exist in Google Cloud Storage ("
                    + what + ")", e);
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            // the OAuth token endpoint refused the key (Google answers 400 invalid_grant); its 5xx are retryable
            if (t instanceof com.google.auth.Retryable auth && !auth.isRetryable()) {
                return new StorageUnavailableException("Google Cloud Storage rejected the credentials for bucket "
                        + bucket + " (no access token: " + firstLine(t) + ")", e);
            }
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof java.net.UnknownHostException) {
            return new StorageUnavailableException("cannot resolve the Google Cloud Storage endpoint ("
                    + root.getMessage() + ") for the " + what, e);
        }
        if (root instanceof java.net.ConnectException) {
            return new TransientStorageException("cannot connect to the Google Cloud Storage endpoint " + endpoint()
                    + " for the " + what + " (" + root.getMessage() + ")", e);
        }
        if (root instanceof java.net.SocketTimeoutException) {
            return new TransientStorageException("timed out talking to the Google Cloud Storage endpoint "
                    + endpoint() + " about the " + what, e);
        }
        String summary = "Google Cloud Storage failed the " + what + (code > 0 ? " (HTTP " + code + ")" : "")
                + ": " + firstLine(e);
        if (retryable || code == 429 || code >= 500 || (code == 0 && e.getCause() instanceof IOException)) {
            return new TransientStorageException(summary, e);
        }
        return new StorageUnavailableException(summary, e);
    }

    private String endpoint() {
        return client.getOptions().getHost();
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static int readFully(InputStream in, byte[] b) throws IOException {
        return readFully(in, b, 0);
    }

    private static int readFully(InputStream in, byte[] b, int offset) throws IOException {
        int total = offset;
        while (total < b.length) {
            int n = in.read(b, total, b.length - total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total - offset;
    }
}
