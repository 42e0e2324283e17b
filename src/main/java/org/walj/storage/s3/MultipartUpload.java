package org.walj.storage.s3;

import org.walj.TaskFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.walj.logging.LogEvent;
import org.walj.logging.LoggerNames;
import org.walj.logging.WalELog;
import org.walj.storage.StorageUnavailableException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * One streamed multipart upload: the caller's thread reads the content into parts in the storage's bounded
 * {@link PartMemory}, each full part is uploaded (with retries) on the part-upload threads while the next one is read. Nothing is
 * visible under the key until the upload is completed; on any failure the upload is aborted so no parts stay billed.
 */
final class MultipartUpload {
    private static final WalELog LOG = WalELog.get(LoggerNames.BLOBSTORE_S3_MULTIPART);

    private final S3Storage storage;
    private final String objectKey;
    private final String url;
    private final String contentType;
    private final List<Future<CompletedPart>> parts = new ArrayList<>();

    MultipartUpload(S3Storage storage, String key, String objectKey, String contentType) {
        this.storage = storage;
        this.objectKey = objectKey;
        this.url = storage.url(key);
        this.contentType = contentType;
    }

    /**
     * Uploads {@code first} (full), then {@code carry} (one byte already read) and the rest of {@code content},
     * filled through {@code scratch}. Takes ownership of {@code first}: it is released whatever happens.
     */
    void run(Part first, int carry, InputStream content, byte[] scratch) throws IOException {
        String uploadId;
        try {
            uploadId = start();
        } catch (IOException | RuntimeException e) {
            first.release();
            throw e;
        }
        try {
            submit(1, first, uploadId);
            readAndSubmitRest(carry, content, scratch, uploadId);
            List<CompletedPart> done = new ArrayList<>();
            for (Future<CompletedPart> f : parts) {
                done.add(await(f));
            }
            storage.call("completion of the multipart upload of " + url,
                    () -> storage.client().completeMultipartUpload(b -> b.bucket(storage.settings().bucket())
                            .key(objectKey).uploadId(uploadId).multipartUpload(m -> m.parts(done))));
        } catch (IOException | RuntimeException | Error e) {
            abort(uploadId, e);
            throw e;
        }
    }

    private String start() throws IOException {
        Encryption encryption = storage.settings().encryption();
        CreateMultipartUploadRequest built = CreateMultipartUploadRequest.builder()
                .bucket(storage.settings().bucket()).key(objectKey).contentType(contentType)
                .storageClass(storage.settings().storageClass())
                .serverSideEncryption(encryption.header()).ssekmsKeyId(encryption.kmsKeyId().orElse(null)).build();
        return storage.call("start of the multipart upload of " + url,
                () -> storage.client().createMultipartUpload(built).uploadId());
    }

    private void readAndSubmitRest(int carry, InputStream content, byte[] scratch, String uploadId)
            throws IOException {
        int next = carry;
        for (int number = 2; next >= 0; number++) {
            if (number > PartSizes.MAX_PARTS) {
                throw new StorageUnavailableException("object " + url + " needs more than " + PartSizes.MAX_PARTS
                        + " parts; raise WALJ_S3_PART_SIZE");
            }
            failFast();
            Part part = storage.memory().reserve(storage.partSizes().sizeOf(number));
            try {
                part.append(next);
                part.fill(content, scratch);
                next = part.length() < part.capacity() ? -1 : content.read();
            } catch (IOException | RuntimeException | Error e) {
                part.release();
                throw e;
            }
            submit(number, part, uploadId);
        }
    }

    private void submit(int number, Part part, String uploadId) {
        int length = part.length();
        UploadPartRequest request = UploadPartRequest.builder().bucket(storage.settings().bucket()).key(objectKey)
                .uploadId(uploadId).partNumber(number).contentLength((long) length).build();
        String what = "upload of part " + number + " of " + url;
        try {
            parts.add(storage.partUploads().submit(() -> {
                try {
                    String eTag = storage.callUpload(what, () -> storage.client().uploadPart(request,
                            RequestBody.fromContentProvider(part::newStream, length, "application/octet-stream")))
                            .eTag();
                    return CompletedPart.builder().partNumber(number).eTag(eTag).build();
                } finally {
                    part.release();
                }
            }));
        } catch (RuntimeException e) {
            part.release();
            throw e;
        }
    }

    /** Stops reading the content as soon as a part has failed for good. */
    private void failFast() throws IOException {
        for (Future<CompletedPart> f : parts) {
            if (f.isDone()) {
                await(f);
            }
        }
    }

    private static CompletedPart await(Future<CompletedPart> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a part upload");
        } catch (CancellationException e) {
            throw new InterruptedIOException("part upload cancelled");
        } catch (ExecutionException e) {
            throw TaskFailure.cause(e);
        }
    }

    /** Lets in-flight parts end (their buffers return to the pool), then aborts so S3 drops the stored parts. */
    private void abort(String uploadId, Throwable failure) {
        // not cancelled: a queued part gives its buffer back only when it runs (and fails fast or finishes)
        for (Future<CompletedPart> f : parts) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (ExecutionException | CancellationException ignored) {
                // already reported through the failure being handled
            }
        }
        try {
            storage.call("abort of the multipart upload of " + url,
                    () -> storage.client().abortMultipartUpload(b -> b.bucket(storage.settings().bucket())
                            .key(objectKey).uploadId(uploadId)));
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
            LOG.warning(LogEvent.msg("could not abort a failed multipart upload")
                    .detail("The upload " + uploadId + " of " + url + " keeps its parts: " + e.getMessage())
                    .hint("A bucket lifecycle rule (AbortIncompleteMultipartUpload) removes such leftovers."));
        }
    }
}
