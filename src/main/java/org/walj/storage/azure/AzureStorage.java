package org.walj.storage.azure;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.DeleteSnapshotsOptionType;
import com.azure.storage.blob.models.DownloadRetryOptions;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.blob.options.BlockBlobStageBlockOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;
import org.walj.WorkerThreads;
import org.walj.storage.ObjectInfo;
import org.walj.storage.ObjectNotFoundException;
import org.walj.storage.ParallelParts;
import org.walj.storage.PartBuffers;
import org.walj.storage.Retrier;
import org.walj.storage.Storage;
import org.walj.storage.StorageUnavailableException;

/**
 * A wabs:// prefix on Azure Blob Storage (docs/azure.md), blob names WAL-E's: the key below the path prefix, no
 * leading '/'. Objects smaller than a block go up in one request from a buffer; larger ones are staged as blocks in
 * parallel from the shared bounded {@link PartBuffers} and appear only when the block list is committed, so a failed
 * put leaves nothing (uncommitted blocks are invisible and Azure discards them after a week). Reads are ranged: the
 * first range is read when the object is opened, later ones only for the same ETag, so a read never mixes two
 * versions. Every request goes through the shared {@link Retrier}; the SDK's own retries are off.
 */
public final class AzureStorage implements Storage {
    private static final int LIST_PAGE = 5_000;
    private static final int READ_CHUNK = 4 * 1024 * 1024;
    /** Azure's limit of committed blocks per blob. */
    private static final int MAX_BLOCKS = 50_000;
    private static final String DEFAULT_TYPE = "application/octet-stream";

    private final BlobContainerClient container;
    private final String pathPrefix;
    private final Retrier retrier;
    private final AzureFailures failures;
    private final int blockSize;
    private final Duration timeout;
    private final PartBuffers buffers;
    private final ExecutorService blockUploads;

    public AzureStorage(AzureClient client, String pathPrefix, org.walj.storage.RetryPolicy retry) {
        this.container = client.container();
        this.pathPrefix = stripLeadingSlashes(pathPrefix);
        this.retrier = new Retrier(retry);
        this.failures = new AzureFailures(client.account(), container.getBlobContainerName(), client.endpoint());
        this.blockSize = client.blockSize();
        this.timeout = client.requestTimeout();
        this.buffers = PartBuffers.forSlots(client.parallelBlocks() + 1, blockSize);
        this.blockUploads = Executors.newFixedThreadPool(client.parallelBlocks(),
                WorkerThreads.numbered("wabs-block-upload-"));
    }

    private static String stripLeadingSlashes(String s) {
        int i = 0;
        while (i < s.length() && s.charAt(i) == '/') {
            i++;
        }
        return s.substring(i);
    }

    private String blobName(String key) {
        return pathPrefix + key;
    }

    // ------------------------------------------------------------------------------------------- put

    @Override
    public void put(String key, InputStream content, String contentType) throws IOException {
        String what = "upload of " + url(key);
        BlobHttpHeaders headers = new BlobHttpHeaders().setContentType(contentType == null ? DEFAULT_TYPE : contentType);
        BlockBlobClient blob = container.getBlobClient(blobName(key)).getBlockBlobClient();
        byte[] first = buffers.take(blockSize);
        boolean staging = false;
        try {
            int n = ParallelParts.readFully(content, first);
            if (n < blockSize) {
                call(what, () -> blob.uploadWithResponse(new BlockBlobSimpleUploadOptions(
                        BinaryData.fromByteBuffer(ByteBuffer.wrap(first, 0, n))).setHeaders(headers), timeout,
                        Context.NONE));
                return;
            }
            staging = true; // the staged upload owns the buffer from here on
        } finally {
            if (!staging) {
                buffers.give(first);
            }
        }
        new StagedUpload(what, blob, headers).run(content, first);
    }

    /** One put of at least a block: blocks staged in parallel as they are read, then the list committed. */
    private final class StagedUpload {
        private final String what;
        private final BlockBlobClient blob;
        private final BlobHttpHeaders headers;
        /** Names this upload's blocks apart from a concurrent upload's to the same blob. */
        private final String uploadId = ParallelParts.uploadId();

        StagedUpload(String what, BlockBlobClient blob, BlobHttpHeaders headers) {
            this.what = what;
            this.blob = blob;
            this.headers = headers;
        }

        void run(InputStream content, byte[] first) throws IOException {
            List<String> ids = new ParallelParts<String>(buffers, blockUploads, blockSize, MAX_BLOCKS, what,
                    "WALJ_WABS_BLOCK_SIZE_MIB").sendAll(content, first, this::stage);
            call(what, () -> blob.commitBlockListWithResponse(new BlockBlobCommitBlockListOptions(ids)
                    .setHeaders(headers), timeout, Context.NONE));
        }

        private String stage(int number, byte[] buffer, int n) throws IOException {
            String id = Base64.getEncoder().encodeToString(
                    String.format("walj-%s-%08d", uploadId, number - 1).getBytes(StandardCharsets.US_ASCII));
            call(what + " (block " + number + ")", () -> blob.stageBlockWithResponse(new BlockBlobStageBlockOptions(id,
                    BinaryData.fromByteBuffer(ByteBuffer.wrap(buffer, 0, n))), timeout, Context.NONE));
            return id;
        }
    }

    // ------------------------------------------------------------------------------------------- get, stat

    @Override
    public InputStream get(String key) throws IOException {
        String what = "download of " + url(key);
        BlobClient blob = container.getBlobClient(blobName(key));
        for (int attempt = 1; ; attempt++) {
            BlobProperties p = properties(what, blob)
                    .orElseThrow(() -> new ObjectNotFoundException(key));
            if (p.getBlobSize() == 0) {
                return InputStream.nullInputStream();
            }
            try {
                byte[] firstRange = range(what, blob, p.getETag(), 0, Math.min(READ_CHUNK, p.getBlobSize()));
                return new RangeStream(what, blob, p.getETag(), p.getBlobSize(), firstRange);
            } catch (Replaced e) {
                if (attempt >= 3) {
                    throw e;
                }
                // replaced between the lookup and the first read: look it up again
            }
        }
    }

    /** The object changed while it was being read (another writer replaced or deleted it). */
    private static final class Replaced extends StorageUnavailableException {
        Replaced(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private byte[] range(String what, BlobClient blob, String etag, long offset, long count) throws IOException {
        return retrier.run(what, () -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) count);
            try {
                blob.downloadStreamWithResponse(out, new BlobRange(offset, count),
                        new DownloadRetryOptions().setMaxRetryRequests(0),
                        new BlobRequestConditions().setIfMatch(etag), false, timeout, Context.NONE);
            } catch (RuntimeException e) {
                if (AzureFailures.conditionFailed(e) || AzureFailures.blobNotFound(e)) {
                    throw new Replaced("the object of the " + what + " was replaced or deleted while it was being "
                            + "read", e);
                }
                throw failures.translate(what, e);
            }
            if (out.size() != count) {
                throw new org.walj.storage.TransientStorageException("the " + what + " ended after " + out.size()
                        + " of " + count + " bytes at offset " + offset, null);
            }
            return out.toByteArray();
        });
    }

    /** The object's bytes, one range at a time, each read only for the ETag seen when it was opened. */
    private final class RangeStream extends InputStream {
        private final String what;
        private final BlobClient blob;
        private final String etag;
        private final long size;
        private byte[] chunk;
        private int pos;
        private long chunkStart;

        RangeStream(String what, BlobClient blob, String etag, long size, byte[] first) {
            this.what = what;
            this.blob = blob;
            this.etag = etag;
            this.size = size;
            this.chunk = first;
        }

        private boolean fill() throws IOException {
            if (pos < chunk.length) {
                return true;
            }
            long next = chunkStart + chunk.length;
            if (next >= size) {
                return false;
            }
            chunk = range(what, blob, etag, next, Math.min(READ_CHUNK, size - next));
            chunkStart = next;
            pos = 0;
            return true;
        }

        @Override
        public int read() throws IOException {
            return fill() ? chunk[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(len, chunk.length - pos);
            System.arraycopy(chunk, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    private Optional<BlobProperties> properties(String what, BlobClient blob) throws IOException {
        return retrier.run(what, () -> {
            try {
                return Optional.of(blob.getPropertiesWithResponse(null, timeout, Context.NONE).getValue());
            } catch (RuntimeException e) {
                if (AzureFailures.blobNotFound(e)) {
                    return Optional.empty();
                }
                throw failures.translate(what, e);
            }
        });
    }

    @Override
    public Optional<ObjectInfo> stat(String key) throws IOException {
        return properties("lookup of " + url(key), container.getBlobClient(blobName(key)))
                .map(p -> new ObjectInfo(key, p.getBlobSize(), p.getLastModified().toInstant()));
    }

    // ------------------------------------------------------------------------------------------- list, delete

    @Override
    public List<ObjectInfo> list(String keyPrefix) throws IOException {
        return call("listing of " + url(keyPrefix), () -> {
            List<ObjectInfo> out = new ArrayList<>();
            ListBlobsOptions options = new ListBlobsOptions().setPrefix(blobName(keyPrefix))
                    .setMaxResultsPerPage(LIST_PAGE);
            for (BlobItem item : container.listBlobs(options, timeout)) {
                if (Boolean.TRUE.equals(item.isPrefix()) || item.getProperties() == null) {
                    continue;
                }
                out.add(new ObjectInfo(item.getName().substring(pathPrefix.length()),
                        item.getProperties().getContentLength(), item.getProperties().getLastModified().toInstant()));
            }
            out.sort(Comparator.comparing(ObjectInfo::key, AzureStorage::compareCodePoints));
            return out;
        });
    }

    private static int compareCodePoints(String a, String b) {
        return java.util.Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
    }

    @Override
    public boolean holdsDirectory(String directoryKey) throws IOException {
        return call("listing of " + url(directoryKey), () -> container.listBlobs(new ListBlobsOptions()
                .setPrefix(blobName(directoryKey)).setMaxResultsPerPage(1), timeout).stream().findFirst().isPresent());
    }

    /**
     * One DELETE per blob, as WAL-E does. The batch API was tried: Azurite answers ResourceNotFound to every
     * sub-request when the account is in the URL's path (its emulator addressing), so it could not be tested here.
     */
    @Override
    public void delete(Collection<String> keys) throws IOException {
        for (String key : keys) {
            String what = "deletion of " + url(key);
            BlobClient blob = container.getBlobClient(blobName(key));
            retrier.run(what, () -> {
                try {
                    blob.deleteWithResponse(DeleteSnapshotsOptionType.INCLUDE, null, timeout, Context.NONE);
                } catch (RuntimeException e) {
                    if (!AzureFailures.blobNotFound(e)) {
                        throw failures.translate(what, e);
                    }
                }
                return null;
            });
        }
    }

    @Override
    public String url(String key) {
        return "wabs://" + container.getBlobContainerName() + "/" + blobName(key);
    }

    @Override
    public void close() {
        blockUploads.shutdownNow();
    }

    @FunctionalInterface
    private interface AzureCall<T> {
        T call();
    }

    /** One request under the retrier, the SDK's exceptions translated. */
    private <T> T call(String what, AzureCall<T> request) throws IOException {
        return retrier.run(what, () -> {
            try {
                return request.call();
            } catch (RuntimeException e) {
                throw failures.translate(what, e);
            }
        });
    }
}
