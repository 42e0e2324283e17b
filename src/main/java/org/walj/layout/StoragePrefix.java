package org.walj.layout;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import org.walj.UserException;

/**
 * A parsed WAL-E storage prefix such as {@code s3://bucket/path} or {@code file://localhost/var/backups/pg}.
 *
 * @param scheme     {@code file}, {@code s3}, {@code gs}, {@code wabs} or {@code swift}
 * @param bucket     the URL's host part: bucket or container (ignored by the file backend)
 * @param pathPrefix the path without its leading slash and with a trailing slash, or empty for the bucket root;
 *                   WAL-E prints it as {@code prefix=} in its structured log lines
 */
public record StoragePrefix(String scheme, String bucket, String pathPrefix) {
    private static final java.util.Set<String> SCHEMES = java.util.Set.of("file", "s3", "gs", "wabs", "swift");

    public StoragePrefix {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(pathPrefix, "pathPrefix");
        if (!pathPrefix.isEmpty() && (!pathPrefix.endsWith("/") || pathPrefix.startsWith("/"))) {
            throw new IllegalArgumentException("path prefix must be relative and end in '/': " + pathPrefix);
        }
    }

    public static StoragePrefix parse(String url) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw invalid(url, "it is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!SCHEMES.contains(scheme)) {
            throw new UserException(
                    "bad S3, Windows Azure Blob Storage, OpenStack Swift, Google Cloud Storage or File URL scheme passed",
                    "The scheme of the prefix " + quoted(url) + " is not one of s3, gs, wabs, swift, file.",
                    "Prefixes look like s3://bucket/path, gs://bucket/path or file://localhost/absolute/path.");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw invalid(url, "it has a query or fragment part");
        }
        String host = uri.getHost() == null ? "" : uri.getHost();
        if (!scheme.equals("file") && host.isEmpty()) {
            throw invalid(url, "it names no bucket");
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        // WAL-E strips the leading slash of the path and appends one trailing slash.
        String stripped = path.startsWith("/") ? path.substring(1) : path;
        if (!stripped.isEmpty() && !stripped.endsWith("/")) {
            stripped = stripped + "/";
        }
        if (scheme.equals("file") && stripped.isEmpty()) {
            throw invalid(url, "a file prefix needs an absolute directory, e.g. file://localhost/var/backups/pg");
        }
        return new StoragePrefix(scheme, host, stripped);
    }

    /** The prefix as WAL-E prints object addresses: scheme, bucket, then the path prefix. */
    public String urlOf(String key) {
        return scheme + "://" + bucket + "/" + pathPrefix + key;
    }

    /** For the file backend: the archive's root directory as an absolute path string. */
    public String fileRoot() {
        return "/" + pathPrefix;
    }

    private static UserException invalid(String url, String why) {
        return new UserException("invalid storage prefix " + quoted(url), "The prefix is unusable: " + why + ".",
                "Prefixes look like s3://bucket/path, gs://bucket/path or file://localhost/absolute/path.");
    }

    private static String quoted(String url) {
        return "\"" + url + "\"";
    }
}
