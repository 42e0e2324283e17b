package org.walj.layout;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.walj.pipeline.codecs.Compression;
import org.walj.postgres.SegmentName;
import org.walj.postgres.WalCoverage;
import org.walj.postgres.WalSegmentSize;

/**
 * The objects of an archive's {@code wal_005/} by name, and what they make of its WAL: a {@link WalCoverage}, the
 * engine that knows how recovery walks timelines, given the segment objects and the text of every timeline history
 * object. Every object kind is accepted with either compression suffix ({@code .lzo}, {@code .lz4}).
 */
public final class WalArchiveIndex {
    private static final Pattern OBJECT = Pattern.compile("(.+)" + Compression.table().suffixGroup());

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

    private WalArchiveIndex() {
    }

    /** From keys already listed and the decoded texts of the timeline history files, by timeline. */
    public static WalCoverage of(Collection<String> keys, Map<Long, String> historyTexts,
                                 WalSegmentSize segmentSize) {
        List<SegmentName> segments = keys.stream().map(WalObject::parse).flatMap(Optional::stream)
                .filter(w -> w.kind() == WalFileName.Kind.SEGMENT).map(WalObject::segment).toList();
        return WalCoverage.of(segments, historyTexts, segmentSize);
    }
}
