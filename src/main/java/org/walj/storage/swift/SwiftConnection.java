package org.walj.storage.swift;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

import org.walj.storage.StorageUnavailableException;

/**
 * One container of one Swift account over the JDK's HTTP client: authenticates on first use, sends every request
 * with the token, and on a 401 (the token expired or was revoked) authenticates once more and repeats the request.
 * Shared by the threads of one {@link SwiftStorage}.
 */
final class SwiftConnection {
    private final HttpClient http;
    private final SwiftCredentials credentials;
    private final String container;
    private final Duration timeout;
    private SwiftSession session; // guarded by this

    SwiftConnection(HttpClient http, SwiftCredentials credentials, String container, Duration timeout) {
        this.http = Objects.requireNonNull(http, "http");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.container = Objects.requireNonNull(container, "container");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    static SwiftConnection create(SwiftCredentials credentials, String container, Duration timeout) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
        return new SwiftConnection(http, credentials, container, timeout);
    }

    String container() {
        return container;
    }

    /** "Swift at scheme://host:port" once authenticated, for messages. */
    String server() {
        synchronized (this) {
            return session == null ? "Swift (auth URL " + org.walj.storage.EndpointText.redacted(
                    credentials.authUrl().toString()) + ")" : session.server();
        }
    }

    private synchronized SwiftSession session() throws IOException {
        if (session == null) {
            session = SwiftAuthenticator.authenticate(http, credentials, timeout);
        }
        return session;
    }

    private synchronized SwiftSession renew(SwiftSession stale) throws IOException {
        if (session == stale) {
            session = null;
        }
        return session();
    }

    /**
     * Sends one request to the container.
     *
     * @param pathAndQuery after the container's URL: "" or "/" + an encoded object name, then an optional query
     * @param customize    sets the method, body and headers
     */
    <T> HttpResponse<T> send(String what, String pathAndQuery, Consumer<HttpRequest.Builder> customize,
            HttpResponse.BodyHandler<T> handler) throws IOException {
        return send(what, s -> URI.create(s.storageUrl() + "/" + encodePath(container) + pathAndQuery), customize,
                handler);
    }

    /** Sends one request to the account's URL followed by {@code query} (bulk delete). */
    <T> HttpResponse<T> sendToAccount(String what, String query, Consumer<HttpRequest.Builder> customize,
            HttpResponse.BodyHandler<T> handler) throws IOException {
        return send(what, s -> URI.create(s.storageUrl() + query), customize, handler);
    }

    /** GETs the cluster's capabilities, {@code /info} on the storage URL's host: which middlewares it runs. */
    HttpResponse<byte[]> info(String what) throws IOException {
        return send(what, s -> URI.create(s.storageUrl().getScheme() + "://" + s.storageUrl().getRawAuthority()
                + "/info"), HttpRequest.Builder::GET, HttpResponse.BodyHandlers.ofByteArray());
    }

    private <T> HttpResponse<T> send(String what, Function<SwiftSession, URI> target,
            Consumer<HttpRequest.Builder> customize, HttpResponse.BodyHandler<T> handler) throws IOException {
        SwiftSession s = session();
        HttpResponse<T> r = sendOnce(s, what, target, customize, handler);
        if (r.statusCode() != 401) {
            return r;
        }
        discard(r);
        SwiftSession renewed = renew(s);
        r = sendOnce(renewed, what, target, customize, handler);
        if (r.statusCode() == 401) {
            discard(r);
            throw new StorageUnavailableException(renewed.server() + " refused a fresh token of user "
                    + credentials.who() + " (HTTP 401) for the " + what);
        }
        return r;
    }

    private <T> HttpResponse<T> sendOnce(SwiftSession s, String what, Function<SwiftSession, URI> target,
            Consumer<HttpRequest.Builder> customize, HttpResponse.BodyHandler<T> handler) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(target.apply(s)).timeout(timeout)
                .header("X-Auth-Token", s.token());
        customize.accept(b);
        try {
            return http.send(b.build(), handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted during the " + what);
        } catch (IOException e) {
            throw SwiftFailures.network(s.server(), what, e);
        }
    }

    static void discard(HttpResponse<?> r) {
        if (r.body() instanceof InputStream in) {
            try {
                in.close();
            } catch (IOException ignored) {
                // the connection is dropped instead of reused
            }
        }
    }

    /** Percent-encodes a name for a URL path, keeping '/' (Swift object names are paths, WAL-E's start with one). */
    static String encodePath(String name) {
        return encode(name, true);
    }

    /** Percent-encodes a query parameter value. */
    static String encodeQuery(String value) {
        return encode(value, false);
    }

    private static String encode(String s, boolean keepSlash) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                    || c == '_' || c == '~' || keepSlash && c == '/') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
