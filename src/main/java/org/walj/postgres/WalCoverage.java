package org.walj.postgres;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which WAL segments an archive holds and where it has gaps, timeline by timeline: the one place that knows how
 * PostgreSQL walks timelines during recovery. Pure: it is given the archived segment names and the text of the
 * timeline history files, and reads nothing.
 *
 * <p>Recovery towards a timeline T reads each segment number from the newest timeline of T's history that had begun
 * by then (PostgreSQL's {@code XLogFileReadAnyTLI}): {@code 0000000T.history} lists T's ancestors and the position
 * at which each one was left. So a backup taken on timeline 1 and recovered onto timeline 2 needs timeline 1's
 * segments up to the one before the switch and timeline 2's from the switch segment on; timeline 1's segment that
 * holds the switch point is not read.
 *
 * <p>The WAL segment size is in no archived object that can be read without decoding a backup, so it is a
 * parameter; {@link WalSegmentSize#DEFAULT} (16 MiB, PostgreSQL's default) is what WAL-E assumed.
 */
public final class WalCoverage {
    /** Missing segments {@code first..last} (inclusive, on the timelines recovery reads them from). */
    public record Gap(SegmentName first, SegmentName last, long segments) {
    }

    /**
     * WAL continuity from {@code from} to {@code to} along the history of {@code timeline}.
     *
     * @param replayableUntil the last segment recovery can reach without a gap; empty when {@code from} is missing
     * @param problems        things that make the answer less certain (a missing history file, an odd size)
     */
    public record Span(long timeline, SegmentName from, SegmentName to, List<Gap> gaps,
                       Optional<SegmentName> replayableUntil, List<String> problems) {
        public Span {
            gaps = List.copyOf(gaps);
            problems = List.copyOf(problems);
        }

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
    /** timeline → its history; only timelines with a (readable) history file */
    private final Map<Long, TimelineHistory> histories = new HashMap<>();
    private final List<String> problems = new ArrayList<>();

    private WalCoverage(WalSegmentSize segmentSize) {
        this.segmentSize = segmentSize;
    }

    /**
     * @param archived     the segments the archive holds, on any timeline
     * @param historyTexts the text of each timeline history file the archive holds, by timeline
     */
    public static WalCoverage of(Collection<SegmentName> archived, Map<Long, String> historyTexts,
                                 WalSegmentSize segmentSize) {
        WalCoverage coverage = new WalCoverage(segmentSize);
        archived.forEach(coverage::addSegment);
        historyTexts.forEach(coverage::addHistory);
        return coverage;
    }

    public WalSegmentSize segmentSize() {
        return segmentSize;
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
    public TimelineHistory history(long timeline) {
        TimelineHistory h = histories.get(timeline);
        if (h != null) {
            return h;
        }
        if (timeline == 1) {
            return TimelineHistory.root(1);
        }
        // no history file: assume the highest lower timeline with segments was left where this one's first
        // archived segment is, and say so (the caller reports it)
        NavigableSet<Long> own = segments.get(timeline);
        long begin = own == null ? 0 : own.first();
        Long parent = segments.keySet().stream().filter(t -> t < timeline).max(Long::compare).orElse(null);
        List<TimelineHistory.Step> out = new ArrayList<>();
        if (parent != null) {
            for (TimelineHistory.Step step : history(parent).steps()) {
                if (step.beginSegment() <= begin) {
                    out.add(step);
                }
            }
        }
        out.add(new TimelineHistory.Step(timeline, begin));
        return new TimelineHistory(out);
    }

    /**
     * Continuity from {@code start} (a backup's start segment, or any segment) to the newest segment recovery can
     * reach on the best timeline: the timeline whose history contains {@code start} and that holds the newest
     * segment among those.
     */
    public Span coverage(SegmentName start) {
        long target = targetTimeline(start);
        long from = number(start);
        NavigableSet<Long> onTarget = segments.get(target);
        long to = onTarget == null ? from : Math.max(from, onTarget.last());
        List<String> notes = new ArrayList<>(problems);
        missingHistory(target).ifPresent(notes::add);
        return span(target, history(target), from, to, 0, notes);
    }

    /**
     * What a base backup needs to become consistent: every segment from its {@code start} to its {@code stop}, read
     * along the history of the stop's timeline (a standby promoted during the backup switched timelines), and never
     * from a timeline older than the start's (recovery begins on the start's timeline).
     *
     * @throws IllegalArgumentException when {@code stop} lies before {@code start}
     */
    public Span range(SegmentName start, SegmentName stop) {
        long from = number(start);
        long to = number(stop);
        if (to < from) {
            throw new IllegalArgumentException("the backup stops (" + stop + ") before it starts (" + start + ")");
        }
        // only a range that crosses timelines depends on the history; the archive's other oddities are wal-verify's
        List<String> notes = start.timeline() < stop.timeline()
                ? missingHistory(stop.timeline()).stream().toList() : List.of();
        return span(stop.timeline(), history(stop.timeline()), from, to, start.timeline(), notes);
    }

    /** The segments of a gap, on the timelines recovery reads them from, in order. */
    public List<SegmentName> segmentsOf(Span span, Gap gap) {
        TimelineHistory path = history(span.timeline());
        long oldest = gap.first().timeline();
        List<SegmentName> out = new ArrayList<>();
        for (long n = number(gap.first()); n <= number(gap.last()); n++) {
            out.add(name(Math.max(oldest, path.timelineAt(n)), n));
        }
        return out;
    }

    /** The oldest archived segment recovery towards {@code timeline} would read (the timeline's own newest if none). */
    public SegmentName oldestOnHistoryOf(long timeline) {
        List<TimelineHistory.Step> path = history(timeline).steps();
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

    /** For tests and reports: segments per timeline, ascending. */
    public Map<Long, List<SegmentName>> segmentsByTimeline() {
        Map<Long, List<SegmentName>> out = new TreeMap<>();
        segments.forEach((t, set) -> out.put(t, set.stream().map(n -> name(t, n)).toList()));
        return out;
    }

    /**
     * Gaps from segment {@code from} to {@code to} along {@code path}, each segment read from its timeline on the
     * path but from none older than {@code oldest}.
     */
    private Span span(long target, TimelineHistory path, long from, long to, long oldest, List<String> notes) {
        List<Gap> gaps = new ArrayList<>();
        long gapStart = -1;
        Long lastGood = null;
        for (long n = from; n <= to; n++) {
            NavigableSet<Long> set = segments.get(timelineAt(path, n, oldest));
            boolean present = set != null && set.contains(n);
            if (!present && gapStart < 0) {
                gapStart = n;
            } else if (present && gapStart >= 0) {
                gaps.add(gap(path, gapStart, n - 1, oldest));
                gapStart = -1;
            }
            if (present && gaps.isEmpty() && gapStart < 0) {
                lastGood = n;
            }
        }
        if (gapStart >= 0) {
            gaps.add(gap(path, gapStart, to, oldest));
        }
        Optional<SegmentName> until = lastGood == null ? Optional.empty()
                : Optional.of(name(timelineAt(path, lastGood, oldest), lastGood));
        return new Span(target, name(timelineAt(path, from, oldest), from), name(timelineAt(path, to, oldest), to),
                gaps, until, notes);
    }

    private Optional<String> missingHistory(long timeline) {
        if (timeline == 1 || histories.containsKey(timeline)) {
            return Optional.empty();
        }
        return Optional.of(String.format("timeline history file %08X.history is missing; assumed timeline %d "
                + "continues the highest lower timeline from its first archived segment", timeline, timeline));
    }

    /** Among the timelines whose history passes through {@code start}, the one holding the newest segment. */
    private long targetTimeline(SegmentName start) {
        long from = number(start);
        long best = start.timeline();
        long bestNewest = newestOn(best);
        TreeSet<Long> all = new TreeSet<>(segments.keySet());
        all.addAll(histories.keySet());
        for (long t : all) {
            TimelineHistory path = history(t);
            if (path.timelineAt(from) != start.timeline() && !path.passesThrough(start.timeline(), from)) {
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

    private long newestOn(long timeline) {
        NavigableSet<Long> set = segments.get(timeline);
        return set == null ? -1 : set.last();
    }

    private static long timelineAt(TimelineHistory path, long number, long oldest) {
        return Math.max(oldest, path.timelineAt(number));
    }

    private Gap gap(TimelineHistory path, long first, long last, long oldest) {
        return new Gap(name(timelineAt(path, first, oldest), first), name(timelineAt(path, last, oldest), last),
                last - first + 1);
    }

    private void addSegment(SegmentName s) {
        if (!segmentSize.fits(s)) {
            problems.add("segment " + s + " cannot exist with " + (segmentSize.bytes() >> 20)
                    + " MiB segments: the archive's segments are smaller; give the right size");
            return;
        }
        segments.computeIfAbsent(s.timeline(), t -> new TreeSet<>()).add(number(s));
    }

    private void addHistory(long timeline, String text) {
        try {
            histories.put(timeline, TimelineHistory.parse(timeline, text, segmentSize));
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
    }

    private long number(SegmentName s) {
        return segmentSize.number(s);
    }

    private SegmentName name(long timeline, long number) {
        return segmentSize.name(timeline, number);
    }
}
