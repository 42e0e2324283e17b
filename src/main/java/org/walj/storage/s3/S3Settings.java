package org.walj.storage.s3;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import org.walj.storage.RetryPolicy;

/**
 * Everything the S3 backend needs, already validated by the CLI.
 *
 * @param bucket        the bucket name
 * @param pathPrefix    WAL-E's path prefix: empty or relative, ending in '/'
 * @param region        AWS_REGION; when empty and no endpoint is set the bucket's region is detected
 * @param endpoint      WALE_S3_ENDPOINT, for S3-compatible stores
 * @param storageClass  x-amz-storage-class (WAL-E: WALE_S3_STORAGE_CLASS, default STANDARD)
 * @param partSize      the first part's size and the byte budget of all part buffers (later parts: {@link PartSizes})
 * @param parallelParts parts uploaded at once per object
 * @param requestTimeout idle socket timeout of one HTTP request: a stalled connection fails after this long
 */
public record S3Settings(String bucket, String pathPrefix, Optional<String> region, Optional<S3Endpoint> endpoint,
                         Credentials credentials, Encryption encryption, String storageClass, int partSize,
                         int parallelParts, Duration requestTimeout, RetryPolicy retry) {

    /** S3's smallest part (except the last). */
    public static final int MIN_PART_SIZE = 5 * 1024 * 1024;
    /** Large enough that a 16 MiB WAL segment, even incompressible plus lzop's framing, is one PUT as with WAL-E. */
    public static final int DEFAULT_PART_SIZE = 20 * 1024 * 1024;
    public static final int DEFAULT_PARALLEL_PARTS = 3;

    public S3Settings {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(pathPrefix, "pathPrefix");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(encryption, "encryption");
        Objects.requireNonNull(storageClass, "storageClass");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(retry, "retry");
        if (bucket.isEmpty()) {
            throw new IllegalArgumentException("empty bucket name");
        }
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("part size must be at least " + MIN_PART_SIZE + " bytes, not " + partSize);
        }
        if (parallelParts < 1) {
            throw new IllegalArgumentException("parallel parts must be at least 1, not " + parallelParts);
        }
    }
}
