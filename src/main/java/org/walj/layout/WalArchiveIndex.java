package org.walj.layout;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.walj.pipeline.codecs.Compression;
import org.walj.postgres.SegmentName;
import org.walj.postgres.WalNames;
import org.walj.postgres.WalSegmentSize;
import org.walj.storage.ObjectInfo;
import org.walj.storage.Storage;

/**
 * What WAL an archive's {@code wal_005/} holds and where it has gaps, timeline by timeline: the one place that knows
 * how PostgreSQL walks timelines during recovery.
 *
 * <p>Recovery towards a timeline T reads each segment number from the newest timeline of T's history that had begun
 * by then (PostgreSQL's {@code XLogFileReadAnyTLI}): {@code 0000000T.history} lists T's ancestors and the position
 * at which each one was left. So a backup taken on timeline 1 and recovered onto timeline 2 needs timeline 1's
 * segments up to the one before the switch and timeline 2's from the switch segment on; timeline 1's segment that
 * holds the switch point is not read. Every object kind is accepted with either compression suffix ({@code .lzo},
 * {@code .lz4}).
 *
 * <p>The WAL segment size is in no archived object that can be read without decoding a backup, so it is a
 * parameter; {@link WalSegmentSize#DEFAULT} (16 MiB, PostgreSQL's default) is what WAL-E assumed.
 */
public final class WalArchiveIndex {
    private static final Pattern OBJECT = Pattern.compile(
            "(" + WalNames.SEGMENT + ")(" + WalNames.SEGMENT_SUFFIXES + ")?" + Compression.table().suffixGroup()
                    + "|(" + WalNames.TIMELINE + ")\\" + WalNames.HISTORY_SUFFIX + Compression.table().suffixGroup());

    /** What a name directly inside {@code wal_005/} is. */
    public enum Kind { SEGMENT, PARTIAL_SEGMENT, BACKUP_HISTORY, TIMELINE_HISTORY }

    /**
     * One recognised object of {@code wal_005/}.
     *
     * @param segment the segment the name is about; for a timeline history file, timeline {@code T}, log and segment 0
     */
    public record WalObject(String key, Kind kind, SegmentName segment) {
        /** Parses a key relative to the prefix ({@code wal_005/...}); empty for anything not of a known kind. */
        public static Optional<WalObject> parse(String key) {
            if (!key.startsWith(ArchiveLayout.WAL_DIRECTORY)) {
                return Optional.empty();
            }
            Matcher m = OBJECT.matcher(key.substring(ArchiveLayout.WAL_DIRECTORY.length()));
            if (!m.matches()) {
                return Optional.empty();
            }
            if (m.group(4) != null) {
                return Optional.of(new WalObject(key, Kind.TIMELINE_HISTORY,
                        new SegmentName(Long.parseLong(m.group(4), 16), 0, 0)));
            }
            Kind kind = m.group(2) == null ? Kind.SEGMENT
                    : m.group(2).equals(WalNames.PARTIAL_SUFFIX) ? Kind.PARTIAL_SEGMENT : Kind.BACKUP_HISTORY;
            return Optional.of(new WalObject(key, kind, SegmentName.parse(m.group(1)).orElseThrow()));
        }
    }

    /** Reads the decoded text of a timeline history object (they are compressed, maybe encrypted). */
    @FunctionalInterface
    public interface HistoryReader {
        String read(String key) throws IOException;
    }

    /** A timeline and the segment number from which recovery reads it (PostgreSQL's {@code tl.begin}). */
    public record TimelineStep(long timeline, long beginSegment) {
    }

    /** Missing segments {@code first..last} (inclusive, on the timelines recovery reads them from). */
    public record Gap(SegmentName first, SegmentName last, long segments) {
    }

    /**
     * WAL continuity from {@code from} to {@code to} along the history of {@code timeline}.
     *
     * @param replayableUntil the last segment recovery can reach without a gap; empty when {@code from} is missing
     * @param problems        things that make the answer less certain (a missing history file, an odd size)
     */
    public record Coverage(long timeline, SegmentName from, SegmentName to, List<Gap> gaps,
                           Optional<SegmentName> replayableUntil, List<String> problems) {
        public boolean complete() {
            return gaps.isEmpty();
        }

        /** True when no gap lies between {@code from} and {@code through} (e.g. a backup's stop segment). */
        public boolean reaches(SegmentName through) {
            return replayableUntil.isPresent() && replayableUntil.get().placeInWal() >= through.placeInWal();
        }
    }

    private final WalSegmentSize segmentSize;
    /** timeline → segment numbers (WalSegmentSize.number) archived on it */
    private final Map<Long, NavigableSet<Long>> segments = new HashMap<>();
    /** timeline → its history, oldest ancestor first, ending with itself; only timelines with a history file */
    private final Map<Long, List<TimelineStep>> histories = new HashMap<>();
    private final List<String> problems = new ArrayList<>();

    private WalArchiveIndex(long segmentSize) {
        this.segmentSize = new WalSegmentSize(segmentSize);
    }

    /** Lists {@code wal_005/} and reads every timeline history file through {@code reader}. */
    public static WalArchiveIndex load(Storage storage, HistoryReader reader, long segmentSize) throws IOException {
        List<ObjectInfo> listing = storage.list(ArchiveLayout.WAL_DIRECTORY);
        Map<Long, String> historyTexts = new HashMap<>();
        for (ObjectInfo o : listing) {
            Optional<WalObject> w = WalObject.parse(o.key());
            if (w.isPresent() && w.get().kind() == Kind.TIMELINE_HISTORY) {
                // .lzo and .lz4 copies of one history hold the same text; the first read wins
                if (!historyTexts.containsKey(w.get().segment().timeline())) {
                    historyTexts.put(w.get().segment().timeline(), reader.read(o.key()));
                }
            }
        }
        return of(listing.stream().map(ObjectInfo::key).toList(), historyTexts, segmentSize);
    }

    /** From keys already listed and the decoded texts of the timeline history files, by timeline. */
    public static WalArchiveIndex of(Collection<String> keys, Map<Long, String> historyTexts, long segmentSize) {
        WalArchiveIndex index = new WalArchiveIndex(segmentSize);
        for (String key : keys) {
            WalObject.parse(key).filter(w -> w.kind() == Kind.SEGMENT).ifPresent(w -> index.addSegment(w.segment()));
        }
        historyTexts.forEach(index::addHistory);
        return index;
    }

    public long segmentSize() {
        return segmentSize.bytes();
    }

    /** The archived segment with the greatest position, on the highest timeline among equals. */
    public Optional<SegmentName> newest() {
        SegmentName best = null;
        long bestNumber = -1;
        for (Map.Entry<Long, NavigableSet<Long>> e : segments.entrySet()) {
            long n = e.getValue().last();
            if (n > bestNumber || (n == bestNumber && e.getKey() > best.timeline())) {
                bestNumber = n;
                best = name(e.getKey(), n);
            }
        }
        return Optional.ofNullable(best);
    }

    public boolean contains(SegmentName s) {
        NavigableSet<Long> set = segments.get(s.timeline());
        return set != null && set.contains(number(s));
    }

    /** The timelines recovery towards {@code timeline} passes through, as its history file says. */
    public List<TimelineStep> history(long timeline) {
        List<TimelineStep> h = histories.get(timeline);
        if (h != null) {
            return h;
        }
        if (timeline == 1) {
            return List.of(new TimelineStep(1, 0));
        }
        // no history file: assume the highest lower timeline with segments was left where this one's first
        // archived segment is, and say so (the caller reports it)
        NavigableSet<Long> own = segments.get(timeline);
        long begin = own == null ? 0 : own.first();
        Long parent = segments.keySet().stream().filter(t -> t < timeline).max(Long::compare).orElse(null);
        List<TimelineStep> out = new ArrayList<>();
        if (parent != null) {
            for (TimelineStep step : history(parent)) {
                if (step.beginSegment() <= begin) {
                    out.add(step);
                }
            }
        }
        out.add(new TimelineStep(timeline, begin));
        return out;
    }

    /**
     * Continuity from {@code start} (a backup's start segment, or any segment) to the newest segment recovery can
     * reach on the best timeline: the timeline whose history contains {@code start} and that holds the newest
     * segment among those. The segments are counted in the index's segment size.
     */
    public Coverage coverage(SegmentName start) {
        long target = targetTimeline(start);
        List<TimelineStep> path = history(target);
        List<String> notes = new ArrayList<>(problems);
        if (target != 1 && !histories.containsKey(target)) {
            notes.add(String.format("timeline history file %08X.history is missing; assumed timeline %d continues "
                    + "the highest lower timeline from its first archived segment", target, target));
        }
        long from = number(start);
        NavigableSet<Long> onTarget = segments.get(target);
        long to = onTarget == null ? from : Math.max(from, onTarget.last());
        List<Gap> gaps = new ArrayList<>();
        long gapStart = -1;
        Long lastGood = null;
        for (long n = from; n <= to; n++) {
            long tli = timelineAt(path, n);
            NavigableSet<Long> set = segments.get(tli);
            boolean present = set != null && set.contains(n);
            if (!present && gapStart < 0) {
                gapStart = n;
            } else if (present && gapStart >= 0) {
                gaps.add(gap(path, gapStart, n - 1));
                gapStart = -1;
            }
            if (present && gaps.isEmpty() && gapStart < 0) {
                lastGood = n;
            }
        }
        if (gapStart >= 0) {
            gaps.add(gap(path, gapStart, to));
        }
        Optional<SegmentName> until = lastGood == null ? Optional.empty()
                : Optional.of(name(timelineAt(path, lastGood), lastGood));
        return new Coverage(target, name(timelineAt(path, from), from), name(timelineAt(path, to), to), gaps, until,
                List.copyOf(notes));
    }

    /** The oldest archived segment recovery towards {@code timeline} would read (the timeline's own newest if none). */
    public SegmentName oldestOnHistoryOf(long timeline) {
        List<TimelineStep> path = history(timeline);
        for (int i = 0; i < path.size(); i++) {
            NavigableSet<Long> set = segments.get(path.get(i).timeline());
            if (set == null) {
                continue;
            }
            Long first = set.ceiling(path.get(i).beginSegment());
            long end = i + 1 < path.size() ? path.get(i + 1).beginSegment() : Long.MAX_VALUE;
            if (first != null && first < end) {
                return name(path.get(i).timeline(), first);
            }
        }
        NavigableSet<Long> own = segments.get(timeline);
        return name(timeline, own == null ? 0 : own.first());
    }

    /** Among the timelines whose history passes through {@code start}, the one holding the newest segment. */
    private long targetTimeline(SegmentName start) {
        long from = number(start);
        long best = start.timeline();
        long bestNewest = newestOn(best);
        TreeSet<Long> all = new TreeSet<>(segments.keySet());
        all.addAll(histories.keySet());
        for (long t : all) {
            List<TimelineStep> path = history(t);
            if (timelineAt(path, from) != start.timeline() && !passesThrough(path, start.timeline(), from)) {
                continue;
            }
            long n = newestOn(t);
            if (n > bestNewest || (n == bestNewest && t > best)) {
                best = t;
                bestNewest = n;
            }
        }
        return best;
    }

    /** A backup starting in the segment where its timeline was left is still on the child's history. */
    private static boolean passesThrough(List<TimelineStep> path, long timeline, long number) {
        for (int i = 0; i < path.size() - 1; i++) {
            if (path.get(i).timeline() == timeline) {
                return path.get(i).beginSegment() <= number && number <= path.get(i + 1).beginSegment();
            }
        }
        return false;
    }

    private long newestOn(long timeline) {
        NavigableSet<Long> set = segments.get(timeline);
        return set == null ? -1 : set.last();
    }

    private static long timelineAt(List<TimelineStep> path, long number) {
        long tli = path.get(0).timeline();
        for (TimelineStep step : path) {
            if (step.beginSegment() <= number) {
                tli = step.timeline();
            }
        }
        return tli;
    }

    private Gap gap(List<TimelineStep> path, long first, long last) {
        return new Gap(name(timelineAt(path, first), first), name(timelineAt(path, last), last), last - first + 1);
    }

    private void addSegment(SegmentName s) {
        if (!segmentSize.fits(s)) {
            problems.add("segment " + s + " cannot exist with " + (segmentSize.bytes() >> 20)
                    + " MiB segments: the archive's segments are smaller; give the right size");
            return;
        }
        segments.computeIfAbsent(s.timeline(), t -> new TreeSet<>()).add(number(s));
    }

    /**
     * PostgreSQL's history format: one line per ancestor, {@code parentTLI <tab> X/Y <tab> reason}, oldest first;
     * {@code #} comments and blank lines are skipped, as {@code readTimeLineHistory} does.
     */
    private void addHistory(long timeline, String text) {
        List<TimelineStep> steps = new ArrayList<>();
        long begin = 0;
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s+");
            try {
                long parent = Long.parseLong(f[0]);
                String[] lsn = f[1].split("/");
                long switchPoint = (Long.parseLong(lsn[0], 16) << 32) | Long.parseLong(lsn[1], 16);
                steps.add(new TimelineStep(parent, begin));
                begin = segmentSize.numberAt(switchPoint);
            } catch (RuntimeException e) {
                problems.add(String.format("timeline history file %08X.history has a line that is not "
                        + "\"parent<TAB>X/Y<TAB>reason\": %s", timeline, line));
                return;
            }
        }
        steps.add(new TimelineStep(timeline, begin));
        histories.put(timeline, List.copyOf(steps));
    }

    private long number(SegmentName s) {
        return segmentSize.number(s);
    }

    private SegmentName name(long timeline, long number) {
        return segmentSize.name(timeline, number);
    }

    /** For tests and reports: segments per timeline, ascending. */
    public Map<Long, List<SegmentName>> segmentsByTimeline() {
        Map<Long, List<SegmentName>> out = new TreeMap<>();
        segments.forEach((t, set) -> out.put(t, set.stream().map(n -> name(t, n)).toList()));
        return out;
    }
}
