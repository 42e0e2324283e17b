package org.walj.storage.swift;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.walj.CodePointOrder;
import org.walj.WorkerThreads;
import org.walj.logging.LogEvent;
import org.walj.logging.LoggerNames;
import org.walj.logging.WalELog;
import org.walj.storage.ObjectInfo;
import org.walj.storage.ObjectNotFoundException;
import org.walj.storage.ParallelParts;
import org.walj.storage.PartBuffers;
import org.walj.storage.ResumingStream;
import org.walj.storage.Retrier;
import org.walj.storage.RetryPolicy;
import org.walj.storage.Storage;
import org.walj.storage.StorageUnavailableException;
import org.walj.storage.TransientStorageException;

/**
 * A swift:// prefix on OpenStack Swift (docs/swift.md), object names WAL-E's: the URL path with its leading '/'
 * ({@code swift://c/pitr/wal_005/X.lzo} is object {@code /pitr/wal_005/X.lzo} of container {@code c}).
 *
 * <p>Objects smaller than a segment go up in one PUT from a buffer, its MD5 sent as ETag so that Swift refuses
 * bytes damaged on the way. Larger ones become static large objects: segments of the shared bounded
 * {@link PartBuffers}, uploaded in parallel under {@code <prefix>.walj-segments/<key>/<upload id>/}, then the
 * manifest under the object's name; the object appears whole or not at all, and a failed upload deletes the segments
 * it wrote. WAL-E's listings (of {@code wal_005/} and {@code basebackups_005/}) never see the segments, and neither
 * do {@link #list}'s. Replacing or deleting a large object deletes its segments too.
 *
 * <p>Reads stream one GET; a connection lost mid-way is resumed with a Range request for the same ETag, so a read
 * never mixes two versions. Every request goes through the shared {@link Retrier}.
 */
public final class SwiftStorage implements Storage {
    /**
     * Swift's answer to a PUT whose timestamp is older than the object its servers already hold under that name (two
     * writers of one key at once: the newer wins, as on S3): the name holds a whole object, written by the other
     * writer, so the PUT is done, not failed. Then this put replaced nothing: the segments of the object it saw before
     * writing may belong to the winner (a proxy whose clock is ahead), so they stay, and its own segments, which no
     * manifest names, go. Segments have names of their own per upload and never race.
     */
    private static final int ACCEPTED_BUT_NEWER_EXISTS = 202;

    static final String SEGMENTS = ".walj-segments/";
    /** Swift's default max_manifest_segments: a larger manifest is refused. */
    static final int MAX_SEGMENTS = 1_000;
    /** Keys per listing request; as S3's page, so that the storage contract's 1,234 keys take two. */
    private static final int LIST_PAGE = 1_000;
    /** Names per bulk-delete request: short requests, well under Swift's default limit of 10,000. */
    private static final int BULK_BATCH = 1_000;
    private static final String DEFAULT_TYPE = "application/octet-stream";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final WalELog LOG = WalELog.get(LoggerNames.BLOBSTORE_SWIFT);

    private final SwiftConnection connection;
    private final String pathPrefix;
    private final Retrier retrier;
    private final int segmentSize;
    private final PartBuffers buffers;
    private final ExecutorService segmentUploads;
    private final Set<SegmentedUpload> running = ConcurrentHashMap.newKeySet();
    private volatile boolean abandoned;
    private volatile Boolean bulkDelete;

    SwiftStorage(SwiftConnection connection, String pathPrefix, int segmentSize, int parallelSegments,
            RetryPolicy retry) {
        if (segmentSize < 1 || parallelSegments < 1) {
            throw new IllegalArgumentException("segment size and parallel segments must be positive");
        }
        this.connection = connection;
        this.pathPrefix = stripLeadingSlashes(pathPrefix);
        this.retrier = new Retrier(retry);
        this.segmentSize = segmentSize;
        this.buffers = PartBuffers.forSlots(parallelSegments + 1, segmentSize);
        this.segmentUploads = Executors.newFixedThreadPool(parallelSegments,
                WorkerThreads.numbered("swift-segment-upload-"));
    }

    private static String stripLeadingSlashes(String s) {
        int i = 0;
        while (i < s.length() && s.charAt(i) == '/') {
            i++;
        }
        return s.substring(i);
    }

    /** WAL-E's object name: the URL's path, leading '/' included. */
    String objectName(String key) {
        return "/" + pathPrefix + key;
    }

    private static String objectPath(String name) {
        return "/" + SwiftConnection.encodePath(name);
    }

    // ------------------------------------------------------------------------------------------- put

    @Override
    public void put(String key, InputStream content, String contentType) throws IOException {
        String what = "upload of " + url(key);
        String type = contentType == null ? DEFAULT_TYPE : contentType;
        checkNotAbandoned(what);
        List<String> replaced = segmentsOf(key);
        byte[] first = buffers.take(segmentSize);
        boolean segmented = false;
        boolean superseded = false;
        try {
            int n = ParallelParts.readFully(content, first);
            if (n < segmentSize) {
                superseded = putObject(what, objectName(key), first, n, type).superseded();
            } else {
                segmented = true; // the segmented upload owns the buffer from here on
            }
        } finally {
            if (!segmented) {
                buffers.give(first);
            }
        }
        if (segmented) {
            SegmentedUpload upload = new SegmentedUpload(what, key, type);
            running.add(upload);
            try {
                superseded = upload.run(content, first);
            } finally {
                running.remove(upload);
            }
        }
        if (superseded) {
            LOG.debug(LogEvent.msg("a newer write of the same name superseded this one (HTTP 202)")
                    .detail("The " + what + " replaced nothing: the segments of the object seen before it stay."));
        } else {
            deleteQuietly(replaced, "segments of the replaced " + url(key));
        }
    }

    private void checkNotAbandoned(String what) throws IOException {
        if (abandoned) {
            throw new StorageUnavailableException("the " + what + " was not started: wal-j is stopping");
        }
    }

    /** What a PUT did: stored its bytes under the name, or was superseded by a newer write of it (202). */
    private record Stored(String md5, boolean superseded) {
    }

    /** One PUT of a whole object or segment, retried; its MD5 as ETag, which Swift checks (422 when it differs). */
    private Stored putObject(String what, String name, byte[] buffer, int n, String type) throws IOException {
        String md5 = md5(buffer, n);
        return retrier.run(what, () -> {
            HttpResponse<Void> r = connection.send(what, objectPath(name), b -> b
                    .PUT(ArrayBody.of(buffer, 0, n))
                    .header("Content-Type", type).header("ETag", md5), HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() == 201 || r.statusCode() == ACCEPTED_BUT_NEWER_EXISTS) {
                return new Stored(md5, r.statusCode() == ACCEPTED_BUT_NEWER_EXISTS);
            }
            if (r.statusCode() == 422) {
                throw new TransientStorageException(connection.server() + " received damaged bytes (checksum "
                        + "mismatch, HTTP 422) in the " + what, null);
            }
            throw failure(what, r.statusCode());
        });
    }

    /** A status that is neither success nor an expected 404: a missing container is named as such. */
    private IOException failure(String what, int status) {
        if (status == 404) {
            return new StorageUnavailableException("container " + connection.container() + " does not exist at "
                    + connection.server() + " (HTTP 404 to the " + what + ")");
        }
        return SwiftFailures.status(connection.server(), what, status);
    }

    private static String md5(byte[] buffer, int n) {
        try {
            MessageDigest d = MessageDigest.getInstance("MD5");
            d.update(buffer, 0, n);
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no MD5", e);
        }
    }

    /** One put of at least a segment: segments uploaded in parallel as they are read, then the manifest. */
    private final class SegmentedUpload {
        private static final int RUNNING = 0;
        private static final int COMMITTING = 1;
        private static final int ABORTED = 2;

        private final String what;
        private final String key;
        private final String type;
        /** Names this upload's segments apart from a concurrent upload's to the same key. */
        private final String uploadId = ParallelParts.uploadId();
        private final AtomicInteger state = new AtomicInteger(RUNNING);
        private final ParallelParts<JsonNode> parts;
        private final List<String> written = new ArrayList<>(); // guarded by itself

        SegmentedUpload(String what, String key, String type) {
            this.what = what;
            this.key = key;
            this.type = type;
            this.parts = new ParallelParts<>(buffers, segmentUploads, segmentSize, MAX_SEGMENTS, what,
                    "WALJ_SWIFT_SEGMENT_SIZE_MIB");
        }

        /** Whether a newer write of the key superseded this one (its segments are then deleted: nothing names them). */
        boolean run(InputStream content, byte[] first) throws IOException {
            try {
                ArrayNode manifest = JSON.createArrayNode();
                manifest.addAll(parts.sendAll(content, first, this::sendSegment));
                if (!state.compareAndSet(RUNNING, COMMITTING)) {
                    throw new StorageUnavailableException("the " + what + " was abandoned: wal-j is stopping");
                }
                boolean superseded = putManifest(JSON.writeValueAsBytes(manifest));
                if (superseded) {
                    deleteWritten("segments of the superseded ");
                }
                return superseded;
            } catch (IOException | RuntimeException | Error e) {
                state.compareAndSet(RUNNING, ABORTED);
                deleteWritten("segments of the failed ");
                throw e;
            }
        }

        /** One segment: uploaded, remembered for a cleanup, described for the manifest. */
        private JsonNode sendSegment(int number, byte[] buffer, int n) throws IOException {
            String name = objectName(SEGMENTS + key + "/" + uploadId + "/" + String.format("%08d", number));
            String etag = putObject(what + " (segment " + number + ")", name, buffer, n, DEFAULT_TYPE).md5();
            synchronized (written) {
                written.add(name);
            }
            return JSON.createObjectNode().put("path", "/" + connection.container() + "/" + name).put("etag", etag)
                    .put("size_bytes", n);
        }

        private boolean putManifest(byte[] manifest) throws IOException {
            return retrier.run(what, () -> {
                HttpResponse<Void> r = connection.send(what, objectPath(objectName(key)) + "?multipart-manifest=put",
                        b -> b.PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)).header("Content-Type", type),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() != 201 && r.statusCode() != ACCEPTED_BUT_NEWER_EXISTS) {
                    throw failure(what, r.statusCode());
                }
                return r.statusCode() == ACCEPTED_BUT_NEWER_EXISTS;
            });
        }

        /** Called by {@link #abandonUploads}: stops an upload that is not committing and deletes its segments. */
        void abandon() {
            if (state.compareAndSet(RUNNING, ABORTED)) {
                parts.stop();
                deleteWritten("segments of the failed ");
            }
        }

        private void deleteWritten(String whose) {
            List<String> names;
            synchronized (written) {
                names = new ArrayList<>(written);
                written.clear();
            }
            deleteQuietly(names, whose + what);
        }
    }

    /**
     * The segments of the large object now stored under {@code key}, if it is one of ours: what a put replaces and a
     * delete removes. Only names under this key's segment directory count: a manifest written by another tool may
     * reference objects that are not its own to delete.
     */
    private List<String> segmentsOf(String key) throws IOException {
        String what = "lookup of " + url(key);
        String path = objectPath(objectName(key));
        boolean large = retrier.run(what, () -> {
            HttpResponse<Void> r = connection.send(what, path, b -> b.method("HEAD",
                    HttpRequest.BodyPublishers.noBody()), HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() == 404) {
                return false;
            }
            if (r.statusCode() / 100 != 2) {
                throw failure(what, r.statusCode());
            }
            return r.headers().firstValue("X-Static-Large-Object").map("true"::equalsIgnoreCase).orElse(false);
        });
        if (!large) {
            return List.of();
        }
        JsonNode manifest = retrier.run(what, () -> {
            HttpResponse<byte[]> r = connection.send(what, path + "?multipart-manifest=get", b -> b.GET(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() == 404) {
                return JSON.createArrayNode();
            }
            if (r.statusCode() != 200) {
                throw failure(what, r.statusCode());
            }
            return json(what, r.body());
        });
        String own = "/" + connection.container() + "/" + objectName(SEGMENTS + key + "/");
        List<String> names = new ArrayList<>();
        for (JsonNode segment : manifest) {
            String name = segment.path("name").asText("");
            if (name.startsWith(own)) {
                names.add(name.substring(connection.container().length() + 2));
            }
        }
        return names;
    }

    private JsonNode json(String what, byte[] body) throws IOException {
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new TransientStorageException(connection.server() + " answered the " + what
                    + " with a body that is not JSON", null);
        }
    }

    // ------------------------------------------------------------------------------------------- get, stat

    @Override
    public InputStream get(String key) throws IOException {
        String what = "download of " + url(key);
        String path = objectPath(objectName(key));
        return ResumingStream.open(url(key), (offset, version) -> {
            // the first request is retried here; a continuation once, the stream's own loop being its retry
            HttpResponse<InputStream> r = version.isEmpty()
                    ? retrier.run(what, () -> open(what, path, null, 0))
                    : open(what, path, version.get(), offset);
            if (r == null) {
                throw new ObjectNotFoundException(key);
            }
            long size = r.headers().firstValueAsLong("Content-Length").orElse(-1);
            Optional<String> etag = r.headers().firstValue("ETag");
            if (size < 0 || etag.isEmpty()) {
                SwiftConnection.discard(r);
                throw new StorageUnavailableException(connection.server() + " answered the " + what
                        + " without Content-Length or ETag");
            }
            return ResumingStream.Body.of(r.body(), size, etag);
        }, retrier.policy());
    }

    /**
     * GETs the object from {@code offset}; the whole object when {@code etag} is null (then a 404 is "not found",
     * returned as null), else the rest of that very version (a 404 or 412 means it was replaced or deleted).
     */
    private HttpResponse<InputStream> open(String what, String path, String etag, long offset) throws IOException {
        HttpResponse<InputStream> r = connection.send(what, path, b -> {
            b.GET();
            if (etag != null) {
                b.header("If-Match", etag).header("Range", "bytes=" + offset + "-");
            }
        }, HttpResponse.BodyHandlers.ofInputStream());
        int status = r.statusCode();
        if (status == (etag == null ? 200 : 206)) {
            return r;
        }
        SwiftConnection.discard(r);
        if (status == 404 && etag == null) {
            return null;
        }
        if (status == 404 || status == 412) {
            throw new StorageUnavailableException("the object of the " + what + " was replaced or deleted while it "
                    + "was being read (HTTP " + status + ")");
        }
        throw failure(what, status);
    }

    @Override
    public Optional<ObjectInfo> stat(String key) throws IOException {
        String what = "lookup of " + url(key);
        String path = objectPath(objectName(key));
        return retrier.run(what, () -> {
            HttpResponse<Void> r = connection.send(what, path, b -> b.method("HEAD",
                    HttpRequest.BodyPublishers.noBody()), HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() == 404) {
                return Optional.empty();
            }
            if (r.statusCode() / 100 != 2) {
                throw failure(what, r.statusCode());
            }
            long size = r.headers().firstValueAsLong("Content-Length").orElse(0);
            return Optional.of(new ObjectInfo(key, size, modified(r)));
        });
    }

    /** X-Timestamp (seconds since the epoch, to the microsecond, as listings show), else Last-Modified. */
    private static Instant modified(HttpResponse<?> r) {
        Optional<String> ts = r.headers().firstValue("X-Timestamp");
        if (ts.isPresent()) {
            try {
                double seconds = Double.parseDouble(ts.get());
                long micros = Math.round(seconds * 1_000_000);
                return Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1_000);
            } catch (NumberFormatException ignored) {
                // fall back to Last-Modified
            }
        }
        return r.headers().firstValue("Last-Modified").map(v -> {
            try {
                return ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            } catch (DateTimeParseException e) {
                return Instant.EPOCH;
            }
        }).orElse(Instant.EPOCH);
    }

    // ------------------------------------------------------------------------------------------- list, delete

    /** One object of a raw listing: its full name, size and time. */
    private record Listed(String name, long size, Instant lastModified) {
    }

    @Override
    public List<ObjectInfo> list(String keyPrefix) throws IOException {
        int strip = objectName("").length();
        List<ObjectInfo> out = new ArrayList<>();
        for (Listed l : listNames("listing of " + url(keyPrefix), objectName(keyPrefix), Integer.MAX_VALUE)) {
            String key = l.name().substring(strip);
            if (!key.startsWith(SEGMENTS)) {
                out.add(new ObjectInfo(key, l.size(), l.lastModified()));
            }
        }
        out.sort((a, b) -> CodePointOrder.INSTANCE.compare(a.key(), b.key()));
        return out;
    }

    @Override
    public boolean holdsDirectory(String directoryKey) throws IOException {
        return !listNames("listing of " + url(directoryKey), objectName(directoryKey), 1).isEmpty();
    }

    /** Every object whose name starts with {@code prefix} (at most {@code max}), page by page after a marker. */
    private List<Listed> listNames(String what, String prefix, int max) throws IOException {
        List<Listed> out = new ArrayList<>();
        String marker = null;
        while (out.size() < max) {
            int limit = Math.min(LIST_PAGE, max - out.size());
            String query = "?format=json&limit=" + limit + "&prefix=" + SwiftConnection.encodeQuery(prefix)
                    + (marker == null ? "" : "&marker=" + SwiftConnection.encodeQuery(marker));
            JsonNode page = retrier.run(what, () -> {
                HttpResponse<byte[]> r = connection.send(what, query, b -> b.GET().header("Accept",
                        "application/json"), HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() == 204) {
                    return JSON.createArrayNode();
                }
                if (r.statusCode() != 200) {
                    throw failure(what, r.statusCode());
                }
                return json(what, r.body());
            });
            for (JsonNode o : page) {
                marker = o.path("name").asText();
                if (!o.has("subdir")) {
                    out.add(new Listed(marker, o.path("bytes").asLong(), listedTime(o.path("last_modified").asText())));
                }
            }
            if (page.size() < limit) {
                break;
            }
        }
        return out;
    }

    /** A listing's time: UTC without a zone, to the microsecond ({@code 2026-12-07T06:27:25.205720}). */
    private static Instant listedTime(String text) {
        try {
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    /**
     * The objects, then the segments of those that were large objects (found with one listing of the segment
     * directory, so deleting many small objects costs no lookup per object). With Swift's bulk middleware (announced
     * in /info) up to {@link #BULK_BATCH} names go in one request; without it, one DELETE per object, as WAL-E does.
     */
    @Override
    public void delete(Collection<String> keys) throws IOException {
        if (keys.isEmpty()) {
            return;
        }
        Map<String, List<String>> segments = segmentsByKey();
        List<String> names = new ArrayList<>();
        List<String> orphans = new ArrayList<>();
        for (String key : keys) {
            names.add(objectName(key));
            orphans.addAll(segments.getOrDefault(key, List.of()));
        }
        names.addAll(orphans);
        if (bulkDelete()) {
            for (int i = 0; i < names.size(); i += BULK_BATCH) {
                deleteBatch(names.subList(i, Math.min(names.size(), i + BULK_BATCH)));
            }
        } else {
            for (String name : names) {
                deleteObject("deletion of swift://" + connection.container() + name, name);
            }
        }
    }

    /** Whether the cluster deletes in bulk: asked once per storage, "no" when /info does not say so. */
    private boolean bulkDelete() throws IOException {
        Boolean known = bulkDelete;
        if (known == null) {
            String what = "capabilities lookup at " + url("");
            JsonNode info = retrier.run(what, () -> {
                HttpResponse<byte[]> r = connection.info(what);
                if (r.statusCode() / 100 == 5) {
                    throw SwiftFailures.status(connection.server(), what, r.statusCode());
                }
                return r.statusCode() == 200 ? json(what, r.body()) : JSON.createObjectNode();
            });
            known = info.path("bulk_delete").path("max_deletes_per_request").asInt(0) >= BULK_BATCH;
            bulkDelete = known;
        }
        return known;
    }

    /** One bulk-delete request; missing names count as deleted. Swift answers 200 and says in the body what failed. */
    private void deleteBatch(List<String> names) throws IOException {
        String what = "deletion of " + names.size() + " objects under " + url("");
        StringBuilder body = new StringBuilder();
        for (String name : names) {
            body.append(SwiftConnection.encodePath("/" + connection.container() + "/" + name)).append('\n');
        }
        byte[] bytes = body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        retrier.run(what, () -> {
            HttpResponse<byte[]> r = connection.sendToAccount(what, "?bulk-delete", b -> b
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).header("Content-Type", "text/plain")
                    .header("Accept", "application/json"), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw failure(what, r.statusCode());
            }
            JsonNode result = json(what, r.body());
            JsonNode errors = result.path("Errors");
            String status = result.path("Response Status").asText("");
            if (errors.isEmpty() && status.startsWith("2")) {
                return null;
            }
            int code = errors.isEmpty() ? parseStatus(status) : parseStatus(errors.get(0).path(1).asText(""));
            String first = errors.isEmpty() ? "" : ", the first: " + errors.get(0).path(0).asText("");
            IOException e = SwiftFailures.status(connection.server(), what + " (" + errors.size() + " failed"
                    + first + ")", code);
            throw e;
        });
    }

    private static int parseStatus(String text) {
        try {
            return Integer.parseInt(text.trim().split(" ", 2)[0]);
        } catch (NumberFormatException e) {
            return 500;
        }
    }

    /** The segment objects under this prefix, by the key they belong to ({@code .walj-segments/KEY/ID/N}). */
    private Map<String, List<String>> segmentsByKey() throws IOException {
        String dir = objectName(SEGMENTS);
        Map<String, List<String>> byKey = new HashMap<>();
        for (Listed l : listNames("listing of " + url(SEGMENTS), dir, Integer.MAX_VALUE)) {
            String rest = l.name().substring(dir.length());
            int last = rest.lastIndexOf('/');
            int id = last <= 0 ? -1 : rest.lastIndexOf('/', last - 1);
            if (id > 0) {
                byKey.computeIfAbsent(rest.substring(0, id), k -> new ArrayList<>()).add(l.name());
            }
        }
        return byKey;
    }

    private void deleteObject(String what, String name) throws IOException {
        retrier.run(what, () -> {
            HttpResponse<Void> r = connection.send(what, objectPath(name), b -> b.DELETE(),
                    HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() / 100 != 2 && r.statusCode() != 404) {
                throw failure(what, r.statusCode());
            }
            return null;
        });
    }

    /** Deletes what a put no longer needs; a failure only leaves storage to be reclaimed, so it is a warning. */
    private void deleteQuietly(List<String> names, String what) {
        for (String name : names) {
            try {
                deleteObject("deletion of " + what, name);
            } catch (IOException e) {
                LOG.warning(LogEvent.msg("could not delete a segment of a Swift large object")
                        .detail("The deletion of " + what + " failed: " + e.getMessage() + ". The object "
                                + "swift://" + connection.container() + name + " is left behind.")
                        .hint("Delete it by hand; nothing references it."));
                return;
            }
        }
    }

    /** Stops the large-object uploads that have not started committing and deletes the segments they wrote. */
    @Override
    public void abandonUploads() {
        abandoned = true;
        for (SegmentedUpload upload : running) {
            upload.abandon();
        }
    }

    @Override
    public String url(String key) {
        return "swift://" + connection.container() + "/" + pathPrefix + key;
    }

    @Override
    public void close() {
        segmentUploads.shutdownNow();
    }
}
