package org.walj.postgres;

import java.util.ArrayList;
import java.util.List;

/**
 * The timelines recovery towards a timeline passes through, oldest ancestor first and ending with the timeline itself,
 * each with the segment number ({@link WalSegmentSize#number}) from which recovery reads it (PostgreSQL's
 * {@code tl.begin}).
 */
public record TimelineHistory(List<Step> steps) {
    /** A timeline and the segment number from which recovery reads it. */
    public record Step(long timeline, long beginSegment) {
    }

    public TimelineHistory {
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a timeline history has at least its own timeline");
        }
        steps = List.copyOf(steps);
    }

    /** Timeline 1, and any timeline read without a history: itself from segment 0. */
    public static TimelineHistory root(long timeline) {
        return new TimelineHistory(List.of(new Step(timeline, 0)));
    }

    /**
     * PostgreSQL's history format: one line per ancestor, {@code parentTLI <tab> X/Y <tab> reason}, oldest first;
     * {@code #} comments and blank lines are skipped, as {@code readTimeLineHistory} does.
     *
     * @throws IllegalArgumentException naming the first line that is not in that format
     */
    public static TimelineHistory parse(long timeline, String text, WalSegmentSize size) {
        List<Step> steps = new ArrayList<>();
        long begin = 0;
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s+");
            try {
                long parent = Long.parseLong(f[0]);
                Lsn switchPoint = Lsn.parse(f[1]);
                steps.add(new Step(parent, begin));
                begin = size.numberAt(switchPoint.value());
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(String.format("timeline history file %08X.history has a line "
                        + "that is not \"parent<TAB>X/Y<TAB>reason\": %s", timeline, line), e);
            }
        }
        steps.add(new Step(timeline, begin));
        return new TimelineHistory(steps);
    }

    /** The timeline this history leads to. */
    public long timeline() {
        return steps.get(steps.size() - 1).timeline();
    }

    /** The timeline recovery reads segment {@code number} from: the newest one that had begun by then. */
    public long timelineAt(long number) {
        long tli = steps.get(0).timeline();
        for (Step step : steps) {
            if (step.beginSegment() <= number) {
                tli = step.timeline();
            }
        }
        return tli;
    }

    /** Whether {@code timeline} is an ancestor left in or after segment {@code number} (a start in the switch segment). */
    public boolean passesThrough(long timeline, long number) {
        for (int i = 0; i < steps.size() - 1; i++) {
            if (steps.get(i).timeline() == timeline) {
                return steps.get(i).beginSegment() <= number && number <= steps.get(i + 1).beginSegment();
            }
        }
        return false;
    }
}
