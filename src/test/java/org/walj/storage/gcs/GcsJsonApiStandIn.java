package org.walj.storage.gcs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;
import java.util.zip.GZIPInputStream;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A <b>stand-in</b> for Google Cloud Storage: a loopback HTTP server speaking the subset of the GCS JSON API that the
 * Java client uses for wal-j's operations, so that the real client's HTTP path (multipart and resumable uploads,
 * ranged media downloads, paginated listings, deletes, bearer tokens, per-request timeouts) runs over real HTTP.
 * Used because no GCS emulator runs here without Docker or Go (docs/gcs.md). What it implements, as GCS documents
 * it:
 * <ul>
 * <li>{@code POST /upload/storage/v1/b/B/o?uploadType=multipart|media|resumable}; a resumable session is a
 * {@code PUT} to the {@code Location} it answers, with {@code Content-Range: bytes a-b/total|*} or
 * {@code bytes *}{@code /total|*} (a status query), answered 308 with {@code Range} until the total is known; the
 * object appears only when the session is finalized;</li>
 * <li>{@code GET /storage/v1/b/B/o/NAME} (metadata, or content with {@code alt=media}, also under
 * {@code /download/}) with {@code generation} and {@code Range}; {@code DELETE} of the same path;</li>
 * <li>{@code GET /storage/v1/b/B/o?prefix=&pageToken=&maxResults=} with at most 1,000 items a page, ordered by name;
 * a missing bucket answers 404;</li>
 * <li>{@code POST /token}: the OAuth2 token endpoint for service-account keys (JWT bearer grant), checking the
 * assertion's RS256 signature against the registered key; with {@link #requireAuthorization} every request needs a
 * token it issued (or a self-signed JWT of a registered key), else 401.</li>
 * </ul>
 * Object names are kept exactly as sent (a leading '/' stays), which is what real GCS does and what WAL-E relies on.
 * Not implemented: preconditions, versioning, ACLs, compose/copy, batch requests (wal-j uses none).
 */
public final class GcsJsonApiStandIn implements AutoCloseable {
    private static final int PAGE = 1_000;

    record StoredObject(String name, byte[] content, String contentType, long generation, Instant updated) {
    }

    private record Session(String bucket, String name, String contentType, ByteArrayOutputStream received) {
    }

    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(16, r -> {
        Thread t = new Thread(r, "gcs-stand-in");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, NavigableMap<String, StoredObject>> buckets = new ConcurrentHashMap<>();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, PublicKey> serviceAccounts = new ConcurrentHashMap<>();
    private final Set<String> issuedTokens = ConcurrentHashMap.newKeySet();
    private final AtomicLong generations = new AtomicLong(System.currentTimeMillis() * 1000);
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong gzippedRequests = new AtomicLong();
    private volatile boolean requireAuthorization;

    public GcsJsonApiStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    /** {@code http://127.0.0.1:PORT}, for {@code WALJ_GS_ENDPOINT} or the client's host setting. */
    public String endpoint() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public void createBucket(String bucket) {
        buckets.computeIfAbsent(bucket, b -> new ConcurrentSkipListMap<>());
    }

    /** Accepts OAuth2 assertions signed by this key for this service account, and self-signed JWTs of it. */
    public void registerServiceAccount(String clientEmail, PublicKey key) {
        serviceAccounts.put(clientEmail, key);
    }

    public void requireAuthorization(boolean required) {
        requireAuthorization = required;
    }

    /** Object names in the bucket, in order, exactly as stored (leading slash included). */
    public List<String> names(String bucket) {
        return new ArrayList<>(buckets.getOrDefault(bucket, new ConcurrentSkipListMap<>()).keySet());
    }

    public byte[] content(String bucket, String name) {
        StoredObject o = buckets.getOrDefault(bucket, new ConcurrentSkipListMap<>()).get(name);
        return o == null ? null : o.content();
    }

    /** Resumable sessions opened and never finalized. */
    public int openSessions() {
        return sessions.size();
    }

    public long requestCount() {
        return requests.get();
    }

    /** Requests whose body the client gzipped (wasted work for lzo data). */
    public long gzippedRequests() {
        return gzippedRequests.get();
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    // ------------------------------------------------------------------------------------------- dispatch

    private void handle(HttpExchange x) throws IOException {
        requests.incrementAndGet();
        try (x) {
            String path = x.getRequestURI().getRawPath();
            Map<String, String> query = query(x.getRequestURI().getRawQuery());
            String method = x.getRequestMethod();
            if (path.equals("/token") && method.equals("POST")) {
                token(x);
                return;
            }
            if (!authorized(x)) {
                error(x, 401, "Invalid Credentials");
                return;
            }
            if (path.startsWith("/upload/storage/v1/b/") && path.endsWith("/o")) {
                String bucket = decode(path.substring("/upload/storage/v1/b/".length(), path.length() - 2));
                if (method.equals("PUT") && query.containsKey("upload_id")) {
                    resumablePut(x, query.get("upload_id"));
                } else if (method.equals("POST")) {
                    upload(x, bucket, query);
                } else {
                    error(x, 405, "method " + method);
                }
                return;
            }
            String objects = path.startsWith("/download/") ? path.substring("/download".length()) : path;
            if (objects.startsWith("/storage/v1/b/")) {
                String rest = objects.substring("/storage/v1/b/".length());
                int o = rest.indexOf("/o");
                if (o > 0 && rest.length() == o + 2 && method.equals("GET")) {
                    list(x, decode(rest.substring(0, o)), query);
                    return;
                }
                if (o > 0 && rest.startsWith("/o/", o)) {
                    String bucket = decode(rest.substring(0, o));
                    String name = decode(rest.substring(o + 3));
                    switch (method) {
                        case "GET" -> getObject(x, bucket, name, query);
                        case "DELETE" -> deleteObject(x, bucket, name);
                        default -> error(x, 405, "method " + method);
                    }
                    return;
                }
            }
            error(x, 400, "the stand-in does not implement " + method + " " + path);
        } catch (RuntimeException e) {
            error(x, 500, "stand-in failure: " + e);
        }
    }

    // ------------------------------------------------------------------------------------------- objects

    private void upload(HttpExchange x, String bucket, Map<String, String> query) throws IOException {
        if (!buckets.containsKey(bucket)) {
            x.getRequestBody().transferTo(OutputStream.nullOutputStream());
            error(x, 404, "The specified bucket does not exist.");
            return;
        }
        String type = query.getOrDefault("uploadType", "");
        byte[] body = body(x);
        switch (type) {
            case "resumable" -> {
                JsonObject meta = body.length == 0 ? new JsonObject()
                        : JsonParser.parseString(new String(body, StandardCharsets.UTF_8)).getAsJsonObject();
                String name = meta.has("name") ? meta.get("name").getAsString() : query.get("name");
                String id = UUID.randomUUID().toString();
                sessions.put(id, new Session(bucket, name, contentType(meta), new ByteArrayOutputStream()));
                String host = x.getRequestHeaders().getFirst("Host");
                x.getResponseHeaders().add("Location", "http://" + host + "/upload/storage/v1/b/"
                        + encode(bucket) + "/o?uploadType=resumable&upload_id=" + id);
                send(x, 200, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
            }
            case "media" -> {
                StoredObject stored = store(bucket, query.get("name"), body,
                        x.getRequestHeaders().getFirst("Content-Type"));
                json(x, 200, metadata(bucket, stored));
            }
            case "multipart" -> multipart(x, bucket, body);
            default -> error(x, 400, "uploadType " + type);
        }
    }

    /** multipart/related: a JSON metadata part, then the media part. */
    private void multipart(HttpExchange x, String bucket, byte[] body) throws IOException {
        String contentType = x.getRequestHeaders().getFirst("Content-Type");
        int b = contentType.indexOf("boundary=");
        String boundary = contentType.substring(b + "boundary=".length()).replace("\"", "").split(";")[0].trim();
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        List<byte[]> parts = new ArrayList<>();
        int start = indexOf(body, delimiter, 0);
        while (start >= 0) {
            int partStart = start + delimiter.length;
            if (partStart + 1 < body.length && body[partStart] == '-' && body[partStart + 1] == '-') {
                break;
            }
            partStart += 2; // CRLF after the delimiter
            int next = indexOf(body, delimiter, partStart);
            if (next < 0) {
                break;
            }
            parts.add(java.util.Arrays.copyOfRange(body, partStart, next - 2)); // CRLF before the delimiter
            start = next;
        }
        if (parts.size() != 2) {

            error(x, 400, "multipart upload needs 2 parts, got " + parts.size());
            return;
        }
        JsonObject meta = JsonParser.parseString(new String(partBody(parts.get(0)), StandardCharsets.UTF_8))
                .getAsJsonObject();
        byte[] media = partBody(parts.get(1));
        StoredObject stored = store(bucket, meta.get("name").getAsString(), media, contentType(meta));
        json(x, 200, metadata(bucket, stored));
    }

    private static byte[] partBody(byte[] part) {
        int end = indexOf(part, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0);
        return java.util.Arrays.copyOfRange(part, end + 4, part.length);
    }

    private void resumablePut(HttpExchange x, String id) throws IOException {
        Session s = sessions.get(id);
        byte[] body = body(x);
        if (s == null) {
            error(x, 404, "No such upload session");
            return;
        }
        // Content-Range: bytes FIRST-LAST/TOTAL, bytes FIRST-LAST/*, bytes */TOTAL, bytes */*
        String range = x.getRequestHeaders().getFirst("Content-Range");
        String spec = range == null ? "*/*" : range.replace("bytes", "").trim();
        String span = spec.substring(0, spec.indexOf('/'));
        String total = spec.substring(spec.indexOf('/') + 1);
        synchronized (s) {
            if (!span.equals("*")) {
                long first = Long.parseLong(span.substring(0, span.indexOf('-')));
                if (first != s.received().size()) {
                    // the client resends from what we confirmed; anything else is a client bug worth seeing
                    if (first > s.received().size()) {
                        error(x, 400, "chunk at " + first + " but " + s.received().size() + " bytes received");
                        return;
                    }
                    s.received().write(body, (int) (s.received().size() - first),
                            (int) (body.length - (s.received().size() - first)));
                } else {
                    s.received().write(body);
                }
            }
            if (!total.equals("*") && Long.parseLong(total) == s.received().size()) {
                sessions.remove(id);
                StoredObject stored = store(s.bucket(), s.name(), s.received().toByteArray(), s.contentType());
                json(x, 200, metadata(s.bucket(), stored));
                return;
            }
            if (s.received().size() > 0) {
                x.getResponseHeaders().add("Range", "bytes=0-" + (s.received().size() - 1));
            }
            x.getResponseHeaders().add("X-Http-Status-Code-Override", "308");
            send(x, 308, "text/plain", new byte[0]);
        }
    }

    private StoredObject store(String bucket, String name, byte[] content, String contentType) {
        StoredObject o = new StoredObject(name, content, contentType == null ? "application/octet-stream" : contentType,
                generations.incrementAndGet(), Instant.now());
        buckets.get(bucket).put(name, o);
        return o;
    }

    private void getObject(HttpExchange x, String bucket, String name, Map<String, String> query) throws IOException {
        NavigableMap<String, StoredObject> objects = buckets.get(bucket);
        if (objects == null) {
            error(x, 404, "The specified bucket does not exist.");
            return;
        }
        StoredObject o = objects.get(name);
        if (o == null || (query.containsKey("generation")
                && Long.parseLong(query.get("generation")) != o.generation())) {
            error(x, 404, "No such object: " + bucket + "/" + name);
            return;
        }
        if (!"media".equals(query.get("alt"))) {
            json(x, 200, metadata(bucket, o));
            return;
        }
        byte[] c = o.content();
        String range = x.getRequestHeaders().getFirst("Range");
        x.getResponseHeaders().add("X-Goog-Generation", Long.toString(o.generation()));
        x.getResponseHeaders().add("X-Goog-Hash", "crc32c=" + crc32c(c) + ",md5=" + md5(c));
        if (range == null || c.length == 0) {
            send(x, 200, o.contentType(), c);
            return;
        }
        String[] ends = range.replace("bytes=", "").trim().split("-", -1);
        long first = Long.parseLong(ends[0]);
        long last = ends[1].isEmpty() ? c.length - 1 : Math.min(Long.parseLong(ends[1]), c.length - 1);
        if (first >= c.length) {
            x.getResponseHeaders().add("Content-Range", "bytes */" + c.length);
            error(x, 416, "The requested range cannot be satisfied.");
            return;
        }
        x.getResponseHeaders().add("Content-Range", "bytes " + first + "-" + last + "/" + c.length);
        send(x, 206, o.contentType(), java.util.Arrays.copyOfRange(c, (int) first, (int) last + 1));
    }

    private void deleteObject(HttpExchange x, String bucket, String name) throws IOException {
        NavigableMap<String, StoredObject> objects = buckets.get(bucket);
        if (objects == null || objects.remove(name) == null) {
            error(x, 404, "No such object: " + bucket + "/" + name);
            return;
        }
        send(x, 204, null, new byte[0]);
    }

    private void list(HttpExchange x, String bucket, Map<String, String> query) throws IOException {
        NavigableMap<String, StoredObject> objects = buckets.get(bucket);
        if (objects == null) {
            error(x, 404, "The specified bucket does not exist.");
            return;
        }
        String prefix = query.getOrDefault("prefix", "");
        int max = Math.min(PAGE, Integer.parseInt(query.getOrDefault("maxResults", Integer.toString(PAGE))));
        NavigableMap<String, StoredObject> from = objects;
        if (query.containsKey("pageToken")) {
            String after = new String(Base64.getUrlDecoder().decode(query.get("pageToken")), StandardCharsets.UTF_8);
            from = objects.tailMap(after, false);
        } else if (!prefix.isEmpty()) {
            from = objects.tailMap(prefix, true);
        }
        StringBuilder items = new StringBuilder();
        int n = 0;
        String last = null;
        boolean more = false;
        for (StoredObject o : from.values()) {
            if (!o.name().startsWith(prefix)) {
                if (o.name().compareTo(prefix) > 0) {
                    break;
                }
                continue;
            }
            if (n == max) {
                more = true;
                break;
            }
            items.append(n == 0 ? "" : ",").append(metadata(bucket, o));
            last = o.name();
            n++;
        }
        StringBuilder answer = new StringBuilder("{\"kind\":\"storage#objects\"");
        if (more) {
            answer.append(",\"nextPageToken\":\"").append(Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(last.getBytes(StandardCharsets.UTF_8))).append('"');
        }
        if (n > 0) {
            answer.append(",\"items\":[").append(items).append(']');
        }
        json(x, 200, answer.append('}').toString());
    }

    private static String metadata(String bucket, StoredObject o) {
        String time = DateTimeFormatter.ISO_INSTANT.format(o.updated());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", "storage#object");
        m.put("id", bucket + "/" + o.name() + "/" + o.generation());
        m.put("name", o.name());
        m.put("bucket", bucket);
        m.put("generation", Long.toString(o.generation()));
        m.put("metageneration", "1");
        m.put("contentType", o.contentType());
        m.put("size", Long.toString(o.content().length));
        m.put("md5Hash", md5(o.content()));
        m.put("crc32c", crc32c(o.content()));
        m.put("timeCreated", time);
        m.put("updated", time);
        m.put("storageClass", "STANDARD");
        return new com.google.gson.Gson().toJson(m);
    }

    private static String contentType(JsonObject meta) {
        return meta.has("contentType") ? meta.get("contentType").getAsString() : null;
    }

    // ------------------------------------------------------------------------------------------- credentials

    /** The OAuth2 JWT-bearer grant: the assertion must be signed by a registered service account's key. */
    private void token(HttpExchange x) throws IOException {
        Map<String, String> form = query(new String(body(x), StandardCharsets.UTF_8));
        String assertion = form.getOrDefault("assertion", "");
        if (!validJwt(assertion)) {
            send(x, 400, "application/json",
                    "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid JWT Signature.\"}"
                            .getBytes(StandardCharsets.UTF_8));
            return;
        }
        String token = "stand-in-" + UUID.randomUUID();
        issuedTokens.add(token);
        json(x, 200, "{\"access_token\":\"" + token + "\",\"expires_in\":3600,\"token_type\":\"Bearer\"}");
    }

    private boolean authorized(HttpExchange x) {
        if (!requireAuthorization) {
            return true;
        }
        String header = x.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.startsWith("Bearer ")) {
            return false;
        }
        String token = header.substring("Bearer ".length());
        return issuedTokens.contains(token) || validJwt(token);
    }

    private boolean validJwt(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            return false;
        }
        try {
            JsonObject claims = JsonParser.parseString(new String(Base64.getUrlDecoder().decode(parts[1]),
                    StandardCharsets.UTF_8)).getAsJsonObject();
            PublicKey key = serviceAccounts.get(claims.get("iss").getAsString());
            if (key == null) {
                return false;
            }
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(key);
            rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            return rs256.verify(Base64.getUrlDecoder().decode(parts[2]));
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    // ------------------------------------------------------------------------------------------- HTTP helpers

    /** The request body, gunzipped when the client compressed it (it does unless told not to). */
    private byte[] body(HttpExchange x) throws IOException {
        String encoding = x.getRequestHeaders().getFirst("Content-Encoding");
        if (encoding != null && encoding.equalsIgnoreCase("gzip")) {
            gzippedRequests.incrementAndGet();
            try (InputStream in = new GZIPInputStream(x.getRequestBody())) {
                return in.readAllBytes();
            }
        }
        return x.getRequestBody().readAllBytes();
    }

    private static void json(HttpExchange x, int status, String body) throws IOException {
        send(x, status, "application/json; charset=UTF-8", body.getBytes(StandardCharsets.UTF_8));
    }

    private static void error(HttpExchange x, int status, String message) throws IOException {
        String m = message.replace("\\", "\\\\").replace("\"", "\\\"");
        json(x, status, "{\"error\":{\"code\":" + status + ",\"message\":\"" + m + "\",\"errors\":[{\"message\":\""
                + m + "\",\"domain\":\"global\",\"reason\":\"" + reason(status) + "\"}]}}");
    }

    private static String reason(int status) {
        return switch (status) {
            case 401 -> "required";
            case 404 -> "notFound";
            case 416 -> "requestedRangeNotSatisfiable";
            default -> "invalid";
        };
    }

    private static void send(HttpExchange x, int status, String contentType, byte[] body) throws IOException {
        if (contentType != null) {
            x.getResponseHeaders().add("Content-Type", contentType);
        }
        boolean empty = body.length == 0 || status == 204 || status == 308;
        x.sendResponseHeaders(status, empty ? -1 : body.length);
        if (!empty) {
            try (OutputStream out = x.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            q.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
        return q;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static String crc32c(byte[] c) {
        CRC32C crc = new CRC32C();
        crc.update(c);
        long v = crc.getValue();
        return Base64.getEncoder().encodeToString(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8),
                (byte) v});
    }

    private static String md5(byte[] c) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(c));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
