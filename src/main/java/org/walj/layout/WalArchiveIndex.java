package org.walj.layout;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.walj.pipeline.ObjectCodec;
import org.walj.pipeline.codecs.Compression;
import org.walj.postgres.SegmentName;
import org.walj.postgres.WalCoverage;
import org.walj.postgres.WalSegmentSize;
import org.walj.storage.ObjectInfo;
import org.walj.storage.Storage;

/**
 * Reads what an archive's {@code wal_005/} holds into a {@link WalCoverage}, the engine that knows how recovery
 * walks timelines: the segment objects, and the text of every timeline history object. Every object kind is accepted
 * with either compression suffix ({@code .lzo}, {@code .lz4}).
 */
public final class WalArchiveIndex {
    private static final Pattern OBJECT = Pattern.compile("(.+)" + Compression.table().suffixGroup());
    /** A history file has one short line per ancestor timeline; anything this large is not one. */
    private static final int MAX_HISTORY_BYTES = 1 << 20;

    /** One recognised object of {@code wal_005/}: its key and what its name says. */
    public record WalObject(String key, WalFileName.Known file) {
        public WalObject {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(file, "file");
        }

        /** Parses a key relative to the prefix ({@code wal_005/...}); empty for anything not of a known kind. */
        public static Optional<WalObject> parse(String key) {
            if (!key.startsWith(ArchiveLayout.WAL_DIRECTORY)) {
                return Optional.empty();
            }
            Matcher m = OBJECT.matcher(key.substring(ArchiveLayout.WAL_DIRECTORY.length()));
            if (!m.matches() || !WalFileName.isSafe(m.group(1))) {
                return Optional.empty();
            }
            return new WalFileName(m.group(1)).known().map(file -> new WalObject(key, file));
        }

        public WalFileName.Kind kind() {
            return file.kind();
        }

        /** The segment the name is about; for a timeline history file, timeline {@code T}, log and segment 0. */
        public SegmentName segment() {
            return file.segment();
        }
    }

    /** Reads the decoded text of a timeline history object (they are compressed, maybe encrypted). */
    @FunctionalInterface
    public interface HistoryReader {
        String read(String key) throws IOException;
    }

    private WalArchiveIndex() {
    }

    /** Reads history objects through {@code codec}, as text. */
    public static HistoryReader historyReader(Storage storage, ObjectCodec codec) {
        return key -> {
            try (InputStream in = codec.decoder(key, storage.get(key))) {
                return new String(BoundedRead.bytes(in, MAX_HISTORY_BYTES,
                        storage.url(key) + ": larger than 1 MiB, not a timeline history"), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IOException("cannot read " + storage.url(key) + ": " + e.getMessage(), e);
            }
        };
    }

    /** Lists {@code wal_005/} and reads every timeline history file through {@code reader}. */
    public static WalCoverage load(Storage storage, HistoryReader reader, WalSegmentSize segmentSize)
            throws IOException {
        List<ObjectInfo> listing = storage.list(ArchiveLayout.WAL_DIRECTORY);
        Map<Long, String> historyTexts = new HashMap<>();
        for (ObjectInfo o : listing) {
            Optional<WalObject> w = WalObject.parse(o.key());
            if (w.isPresent() && w.get().kind() == WalFileName.Kind.TIMELINE_HISTORY) {
                // .lzo and .lz4 copies of one history hold the same text; the first read wins
                if (!historyTexts.containsKey(w.get().segment().timeline())) {
                    historyTexts.put(w.get().segment().timeline(), reader.read(o.key()));
                }
            }
        }
        return of(listing.stream().map(ObjectInfo::key).toList(), historyTexts, segmentSize);
    }

    /** From keys already listed and the decoded texts of the timeline history files, by timeline. */
    public static WalCoverage of(Collection<String> keys, Map<Long, String> historyTexts,
                                 WalSegmentSize segmentSize) {
        List<SegmentName> segments = keys.stream().map(WalObject::parse).flatMap(Optional::stream)
                .filter(w -> w.kind() == WalFileName.Kind.SEGMENT).map(WalObject::segment).toList();
        return WalCoverage.of(segments, historyTexts, segmentSize);
    }
}
