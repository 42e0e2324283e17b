package org.walj.storage.s3;

import java.util.Objects;

/**
 * WAL-E's S3 key names: path prefix + key, never a leading '/', runs of '/' collapsed to one (boto collapses them in
 * request paths, so {@code s3://b/a//b} stores under {@code a/b/...}).
 */
record S3Keys(String bucket, String pathPrefix) {
    S3Keys {
        Objects.requireNonNull(bucket, "bucket");
        pathPrefix = normalize(Objects.requireNonNull(pathPrefix, "pathPrefix"));
    }

    /** The S3 key of a storage key (also used for list prefixes, which may end anywhere). */
    String objectKey(String key) {
        return normalize(pathPrefix + key);
    }

    /** The storage key of an S3 key found under the prefix. */
    String storageKey(String objectKey) {
        return objectKey.substring(pathPrefix.length());
    }

    String url(String key) {
        return "s3://" + bucket + "/" + objectKey(key);
    }

    private static String normalize(String name) {
        String collapsed = name.replaceAll("/{2,}", "/");
        return collapsed.startsWith("/") ? collapsed.substring(1) : collapsed;
    }
}
