package org.walj.storage.s3;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.walj.WorkerThreads;
import org.walj.storage.ObjectInfo;
import org.walj.storage.ObjectNotFoundException;
import org.walj.storage.ResumingStream;
import org.walj.storage.Retrier;
import org.walj.storage.Storage;
import org.walj.storage.StorageUnavailableException;
import org.walj.storage.TransientStorageException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Amazon S3 and S3-compatible stores with WAL-E's key names ({@link S3Keys}). Objects up to one part are sent with one
 * PUT from a buffer (so the request can be retried); larger ones as a multipart upload ({@link MultipartUpload}).
 * Every request goes through the {@link Retrier}; the SDK's own retries are off.
 */
public final class S3Storage implements Storage {
    private static final int DELETE_BATCH = 1000;
    /** What a part is filled through from the content stream (its slabs are outside the heap). */
    static final int SCRATCH = 64 * 1024;

    private final S3Settings settings;
    private final S3Client client;
    private final S3Keys keys;
    private final S3Failures failures;
    private final Retrier retrier;
    private final PartMemory memory;
    private final PartSizes partSizes;
    private final ExecutorService partUploads;
    private volatile boolean bucketSeen;

    public S3Storage(S3Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.keys = new S3Keys(settings.bucket(), settings.pathPrefix());
        this.failures = new S3Failures(settings.bucket(), endpointName(settings));
        this.retrier = new Retrier(settings.retry());
        // the parts in flight and the one being filled share one budget, whatever the parallelism (PartSizes)
        this.partSizes = PartSizes.forParallel(settings.partSize(), settings.parallelParts());
        this.memory = new PartMemory(partSizes.budget());
        this.partUploads = Executors.newFixedThreadPool(settings.parallelParts(),
                WorkerThreads.numbered("s3-part-upload-"));
        this.client = S3ClientFactory.build(settings);
    }

    /** The endpoint as error messages name it: the configured one, or the AWS region's. */
    private static String endpointName(S3Settings s) {
        return s.endpoint().map(e -> e.baseUri(s.bucket()).toString())
                .orElse("AWS S3" + s.region().map(r -> " (" + r + ")").orElse(""));
    }

    // ------------------------------------------------------------------------------------------- put

    @Override
    public void put(String key, InputStream content, String contentType) throws IOException {
        String objectKey = keys.objectKey(key);
        String type = contentType == null ? "application/octet-stream" : contentType;
        Part first = memory.reserve(partSizes.sizeOf(1));
        boolean handedOver = false;
        try {
            byte[] scratch = new byte[SCRATCH];
            first.fill(content, scratch);
            int next = first.length() < first.capacity() ? -1 : content.read();
            if (next < 0) {
                putSingle(key, objectKey, type, first);
            } else {
                handedOver = true;
                new MultipartUpload(this, key, objectKey, type).run(first, next, content, scratch);
            }
        } finally {
            if (!handedOver) {
                first.release();
            }
        }
    }

    private void putSingle(String key, String objectKey, String type, Part data) throws IOException {
        int length = data.length();
        PutObjectRequest built = PutObjectRequest.builder().bucket(settings.bucket()).key(objectKey)
                .contentType(type).contentLength((long) length).storageClass(settings.storageClass())
                .serverSideEncryption(settings.encryption().header())
                .ssekmsKeyId(settings.encryption().kmsKeyId().orElse(null)).build();
        callUpload("upload of " + keys.url(key),
                () -> client.putObject(built, RequestBody.fromContentProvider(data::newStream, length, type)));
    }

    // ------------------------------------------------------------------------------------------- get, stat, list

    @Override
    public InputStream get(String key) throws IOException {
        String objectKey = keys.objectKey(key);
        String url = keys.url(key);
        String what = "download of " + url;
        return ResumingStream.open(url, (offset, version) -> {
            GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(settings.bucket()).key(objectKey);
            if (version.isPresent()) {
                // the rest of the version read so far: S3 answers 412 for any other, which is never resumed
                request.range("bytes=" + offset + "-").ifMatch(version.get());
            } else if (offset > 0) {
                throw new StorageUnavailableException("the " + what + " broke off and was answered without an "
                        + "ETag: it cannot be continued without risking two versions of the object", null);
            }
            GetObjectRequest built = request.build();
            // the first request is retried here; a continuation once, the stream's own loop being its retry
            ResponseInputStream<GetObjectResponse> r = offset == 0 && version.isEmpty()
                    ? callFindingObject(key, what, () -> client.getObject(built))
                    : findingObject(key, what, () -> client.getObject(built));
            Long announced = r.response().contentLength();
            return new ResumingStream.Body(r, announced == null ? -1 : announced,
                    Optional.ofNullable(r.response().eTag()), r::abort);
        }, retrier.policy());
    }

    @Override
    public Optional<ObjectInfo> stat(String key) throws IOException {
        String objectKey = keys.objectKey(key);
        try {
            HeadObjectResponse head = callFindingObject(key, "stat of " + keys.url(key),
                    () -> client.headObject(b -> b.bucket(settings.bucket()).key(objectKey)));
            return Optional.of(new ObjectInfo(key, head.contentLength(), head.lastModified()));
        } catch (ObjectNotFoundException e) {
            // a HEAD answer has no body, so "no such bucket" looks like "no such key": ask once
            requireBucket();
            return Optional.empty();
        }
    }

    private void requireBucket() throws IOException {
        if (bucketSeen) {
            return;
        }
        call("check of bucket " + settings.bucket(), () -> client.listObjectsV2(b -> b.bucket(settings.bucket())
                .maxKeys(1)));
        bucketSeen = true;
    }

    @Override
    public List<ObjectInfo> list(String keyPrefix) throws IOException {
        String objectPrefix = keys.objectKey(keyPrefix);
        List<ObjectInfo> found = new ArrayList<>();
        String token = null;
        do {
            String page = token;
            ListObjectsV2Response response = call("listing of " + keys.url(keyPrefix),
                    () -> client.listObjectsV2(b -> b.bucket(settings.bucket()).prefix(objectPrefix)
                            .continuationToken(page)));
            for (S3Object o : response.contents()) {
                found.add(new ObjectInfo(keys.storageKey(o.key()), o.size(), o.lastModified()));
            }
            token = Boolean.TRUE.equals(response.isTruncated()) ? response.nextContinuationToken() : null;
        } while (token != null);
        bucketSeen = true;
        found.sort((a, b) -> a.key().compareTo(b.key()));
        return found;
    }

    /** One listing of at most one key: asked only when a segment was not found, never on the hot path. */
    @Override
    public boolean holdsDirectory(String directoryKey) throws IOException {
        String objectPrefix = keys.objectKey(directoryKey);
        ListObjectsV2Response response = call("listing of " + keys.url(directoryKey),
                () -> client.listObjectsV2(b -> b.bucket(settings.bucket()).prefix(objectPrefix).maxKeys(1)));
        bucketSeen = true;
        return !response.contents().isEmpty();
    }

    // ------------------------------------------------------------------------------------------- delete

    @Override
    public void delete(Collection<String> storageKeys) throws IOException {
        List<ObjectIdentifier> ids = storageKeys.stream()
                .map(k -> ObjectIdentifier.builder().key(keys.objectKey(k)).build()).toList();
        for (int from = 0; from < ids.size(); from += DELETE_BATCH) {
            List<ObjectIdentifier> batch = ids.subList(from, Math.min(ids.size(), from + DELETE_BATCH));
            Delete delete = Delete.builder().objects(batch).quiet(true).build();
            DeleteObjectsResponse response = call("deletion of " + batch.size() + " objects in bucket "
                    + settings.bucket(), () -> client.deleteObjects(b -> b.bucket(settings.bucket()).delete(delete)));
            List<software.amazon.awssdk.services.s3.model.S3Error> errors = response.errors().stream()
                    .filter(e -> !"NoSuchKey".equals(e.code())).toList();
            if (!errors.isEmpty()) {
                throw new StorageUnavailableException("S3 refused to delete " + errors.size() + " objects in bucket "
                        + settings.bucket() + ", e.g. s3://" + settings.bucket() + "/" + errors.get(0).key() + " ("
                        + errors.get(0).code() + ")");
            }
        }
    }

    @Override
    public String url(String key) {
        return keys.url(key);
    }

    @Override
    public void close() {
        partUploads.shutdownNow();
        client.close();
    }

    // ------------------------------------------------------------------------------------------- plumbing

    /** One SDK request. */
    @FunctionalInterface
    interface SdkCall<T> {
        T run();
    }

    /** Runs the request with retries, translating the SDK's exceptions. */
    <T> T call(String what, SdkCall<T> request) throws IOException {
        return retrier.run(what, () -> {
            try {
                return request.run();
            } catch (SdkException e) {
                throw failures.translate(what, e);
            }
        });
    }

    /**
     * As {@link #call}, for requests with a body. The JDK's HTTP client loses the server's answer when the server
     * refuses a request before reading its body (wrong credentials, no such bucket): all it reports is "Error writing
     * request body to server", which looks transient. So after such a failure one cheap request asks the server why,
     * and a definite answer (bad credentials, missing bucket) ends the retries with that message.
     */
    <T> T callUpload(String what, SdkCall<T> request) throws IOException {
        return retrier.run(what, () -> {
            try {
                return request.run();
            } catch (SdkException e) {
                IOException translated = failures.translate(what, e);
                throw translated instanceof TransientStorageException t && !(e instanceof S3Exception)
                        ? diagnosed(t) : translated;
            }
        });
    }

    private IOException diagnosed(TransientStorageException failure) {
        try {
            client.listObjectsV2(b -> b.bucket(settings.bucket()).maxKeys(1));
            bucketSeen = true;
            return failure;
        } catch (S3Exception e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            IOException answer = failures.translate("check of bucket " + settings.bucket(), e);
            // AccessDenied may only mean the key may write but not list: no conclusion
            boolean definite = !(answer instanceof TransientStorageException) && !"AccessDenied".equals(code);
            return definite ? answer : failure;
        } catch (SdkException e) {
            return failure;
        }
    }

    /** As {@link #call}, but "404, and not for a missing bucket" is {@link ObjectNotFoundException}. */
    <T> T callFindingObject(String key, String what, SdkCall<T> request) throws IOException {
        return retrier.run(what, () -> findingObject(key, what, request));
    }

    /** One request, its failure translated as {@link #callFindingObject}'s. */
    private <T> T findingObject(String key, String what, SdkCall<T> request) throws IOException {
        try {
            return request.run();
        } catch (S3Exception e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            if (e.statusCode() == 404 && !"NoSuchBucket".equals(code)) {
                throw new ObjectNotFoundException(key);
            }
            throw failures.translate(what, e);
        } catch (SdkException e) {
            throw failures.translate(what, e);
        }
    }

    S3Settings settings() {
        return settings;
    }

    S3Client client() {
        return client;
    }

    PartMemory memory() {
        return memory;
    }

    PartSizes partSizes() {
        return partSizes;
    }

    ExecutorService partUploads() {
        return partUploads;
    }

}
