package org.walj.storage.s3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLConnection;
import java.time.Duration;

import software.amazon.awssdk.http.urlconnection.UrlConnectionFactory;

/**
 * Opens the SDK's connections as the JDK opens any URL, with WAL-E's timeouts. The SDK's own factory builds a TLS
 * context (reading the whole CA certificate store) when the client is built, before it knows whether the endpoint
 * is {@code https}: a third of a cold {@code wal-push}'s time against an {@code http://} store (MinIO, Ceph, S3Proxy
 * on a private network). The JDK's default TLS context, which {@code https} connections use here, is made at the
 * first TLS connection, from the same trust store and {@code javax.net.ssl.*} properties; proxies come from the
 * JDK's proxy selector, as with the SDK's factory when no proxy is configured.
 */
record Connections(Duration connectTimeout, Duration readTimeout) implements UrlConnectionFactory {

    @Override
    public HttpURLConnection createConnection(URI uri) {
        try {
            URLConnection c = uri.toURL().openConnection();
            if (!(c instanceof HttpURLConnection http)) {
                throw new IllegalArgumentException("not an HTTP endpoint: " + uri.getScheme());
            }
            http.setConnectTimeout(millis(connectTimeout));
            http.setReadTimeout(millis(readTimeout));
            return http;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, d.toMillis());
    }
}
