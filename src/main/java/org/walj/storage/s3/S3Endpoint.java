package org.walj.storage.s3;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

import org.walj.UserException;
import org.walj.storage.EndpointText;

/**
 * WAL-E's {@code WALE_S3_ENDPOINT}: {@code <protocol>+<style>://host[:port]} with protocol {@code http} or
 * {@code https} and style {@code path} (host/bucket/key), {@code subdomain} (bucket.host/key) or {@code virtualhost}
 * (the bucket name itself is the host name, as boto's VHostCallingFormat: CNAME buckets). No user info, path, query.
 *
 * @param port -1 for the protocol's default
 */
public record S3Endpoint(boolean https, Style style, String host, int port) {

    public enum Style { PATH, SUBDOMAIN, VIRTUALHOST }

    public S3Endpoint {
        Objects.requireNonNull(style, "style");
        Objects.requireNonNull(host, "host");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("empty host");
        }
    }

    public static S3Endpoint parse(String value) {
        URI uri;
        try {
            uri = new URI(value.trim());
        } catch (URISyntaxException e) {
            throw invalid(value, "it is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        int plus = scheme.indexOf('+');
        if (plus < 0) {
            throw invalid(value, "the scheme must be protocol+style, e.g. https+path");
        }
        String protocol = scheme.substring(0, plus);
        String styleName = scheme.substring(plus + 1);
        if (!protocol.equals("http") && !protocol.equals("https")) {
            throw invalid(value, "the protocol must be http or https, not \"" + protocol + "\"");
        }
        Style style = switch (styleName) {
            case "path" -> Style.PATH;
            case "subdomain" -> Style.SUBDOMAIN;
            case "virtualhost" -> Style.VIRTUALHOST;
            default -> throw invalid(value, "the style must be path, subdomain or virtualhost, not \"" + styleName
                    + "\"");
        };
        if (uri.getRawUserInfo() != null) {
            throw invalid(value, "it must not contain a user name or password");
        }
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) {
            throw invalid(value, "it must not contain a path");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw invalid(value, "it must not contain a query or fragment");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw invalid(value, "it names no host");
        }
        return new S3Endpoint(protocol.equals("https"), style, uri.getHost(), uri.getPort());
    }

    /** The base URL requests go to for {@code bucket} (before the SDK adds any path-style bucket segment). */
    public URI baseUri(String bucket) {
        String protocol = https ? "https" : "http";
        String h = switch (style) {
            case PATH -> host;
            case SUBDOMAIN -> bucket + "." + host;
            case VIRTUALHOST -> bucket;
        };
        return URI.create(protocol + "://" + (h.contains(":") ? "[" + h + "]" : h) + (port < 0 ? "" : ":" + port));
    }

    private static UserException invalid(String value, String why) {
        // no cause attached: a URISyntaxException's message quotes the whole value
        return new UserException("invalid WALE_S3_ENDPOINT \"" + EndpointText.redacted(value) + "\"",
                "The endpoint is unusable: " + why + ".",
                "Endpoints look like https+path://minio.example.com:9000 or http+path://127.0.0.1:9000.");
    }
}
