package org.walj.storage.gcs;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;
import org.walj.storage.EndpointText;

/**
 * Where the GCS JSON API is served when it is not Google's: an emulator or a private endpoint, given as
 * {@code http(s)://host[:port]} (a bare {@code host:port} means http, as the Python and Go clients read
 * STORAGE_EMULATOR_HOST). The client appends {@code /storage/v1/...} and {@code /upload/...} to it.
 */
public record GcsEndpoint(URI uri) {
    public GcsEndpoint {
        Objects.requireNonNull(uri, "uri");
    }

    /** @throws IllegalArgumentException with a one-line reason */
    public static GcsEndpoint parse(String text) {
        String shown = EndpointText.redacted(text); // never echo user info or a query: they may hold secrets
        String value = text.trim();
        if (!value.contains("://")) {
            value = "http://" + value;
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("\"" + shown + "\" is not a URL");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("the endpoint must not carry user credentials");
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException("\"" + shown + "\" must start with http:// or https://");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("\"" + shown + "\" names no host");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (!(path.isEmpty() || path.equals("/")) || uri.getRawQuery() != null) {
            throw new IllegalArgumentException("\"" + shown + "\" must be only scheme, host and port");
        }
        return new GcsEndpoint(URI.create(uri.getScheme() + "://" + uri.getRawAuthority()));
    }

    /** What the client's host setting takes: {@code scheme://host:port}, no trailing slash. */
    public String host() {
        return uri.toString();
    }
}
