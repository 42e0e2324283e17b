package org.walj.recovery;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.walj.UserException;
import org.walj.layout.BackupName;
import org.walj.postgres.SegmentName;
import org.walj.postgres.WalCoverage;
import org.walj.postgres.WalSegmentSize;

/**
 * Which backup a point-in-time restore starts from and whether the archived WAL can take it to the target. Pure: it
 * is given the backups, the WAL index and, for a time target, when segments were stored. See
 * docs/restore-runbook.md for the rules and why a time beyond the archive is judged by storage times.
 */
public final class RestorePlanner {
    /** When a WAL segment's object was stored; empty when the archive does not have it. */
    @FunctionalInterface
    public interface SegmentTimes {
        Optional<Instant> storedAt(SegmentName segment) throws IOException;
    }

    /** The backup picked, and why, in words for the log. */
    public record Choice(BackupEnd backup, String why) {
    }

    /**
     * What the WAL check found: the WAL from the backup's start is archived without a gap {@code from} through
     * {@code through}; {@code notes} are things PostgreSQL may still refuse (a gap after a target the archive cannot
     * locate, a missing history file).
     */
    public record WalCheck(SegmentName from, SegmentName through, Optional<Instant> throughStoredAt,
                           List<String> notes) {
        public WalCheck {
            notes = List.copyOf(notes);
        }

        public String describe() {
            return "WAL from " + from + " through " + through + " is archived without a gap"
                    + throughStoredAt.map(t -> " (" + through + " stored at " + t + ")").orElse("");
        }
    }

    private RestorePlanner() {
    }

    /**
     * The newest backup that ended before the target; for {@code latest}, a restore point or a transaction id (which
     * no sentinel can place) the newest backup; {@code pinned} (--backup) when given, if it ended before the target.
     */
    public static Choice choose(List<BackupEnd> backups, RecoveryTarget target, Optional<BackupName> pinned) {
        if (backups.isEmpty()) {
            throw new UserException("there is no complete backup in the archive to restore", null,
                    "Run backup-list to see what this prefix holds; backup-push makes one.");
        }
        Comparator<BackupEnd> byFinish = Comparator.comparing(BackupEnd::finishedAt)
                .thenComparing(BackupEnd::name);
        Comparator<BackupEnd> byStop = Comparator.comparingLong((BackupEnd b) -> b.stopLsn().value())
                .thenComparing(byFinish);
        if (pinned.isPresent()) {
            BackupEnd b = backups.stream().filter(e -> e.name().equals(pinned.get())).findFirst()
                    .orElseThrow(() -> new UserException("there is no complete backup named " + pinned.get(), null,
                            "Run backup-list to see the backups this prefix holds."));
            if (!endsBy(b, target)) {
                throw new UserException("backup " + b.name() + " ends after the target " + target.describe(),
                        "It " + ends(b, target) + "; recovery cannot stop before a backup's end.",
                        "Pin an older backup, or leave out --backup to let wal-j choose.");
            }
            return new Choice(b, "chosen with --backup; it " + ends(b, target));
        }
        return switch (target.kind()) {
            case TIME, LSN -> {
                Comparator<BackupEnd> order = target.kind() == RecoveryTarget.Kind.TIME ? byFinish : byStop;
                List<BackupEnd> before = backups.stream().filter(b -> endsBy(b, target)).toList();
                if (before.isEmpty()) {
                    BackupEnd oldest = backups.stream().min(order).orElseThrow();
                    throw new UserException("the target " + target.describe() + " is before the end of the oldest "
                            + "backup, " + oldest.name(),
                            "It " + ends(oldest, target) + "; recovery cannot stop before a backup's end. Nothing "
                                    + "was written.",
                            "Choose a later target; backup-list shows the backups.");
                }
                BackupEnd newest = before.stream().max(order).orElseThrow();
                yield new Choice(newest, "the newest of " + before.size() + " backup(s) that ended before the target"
                        + " (of " + backups.size() + "); it " + ends(newest, target));
            }
            case LATEST -> {
                BackupEnd newest = backups.stream().max(byFinish).orElseThrow();
                yield new Choice(newest, "the newest backup; it finished at " + newest.finishedAt());
            }
            case NAME, XID -> {
                BackupEnd newest = backups.stream().max(byFinish).orElseThrow();
                yield new Choice(newest, "the newest backup: a " + (target.kind() == RecoveryTarget.Kind.NAME
                        ? "restore point" : "transaction id") + " cannot be placed from the backups' sentinels; it"
                        + " finished at " + newest.finishedAt() + " (stop LSN " + newest.stopLsn() + "). If the target"
                        + " lies before that, pin an older backup with --backup NAME");
            }
        };
    }

    /**
     * Checks that the WAL from the backup's start is archived without a gap through its own end and on to the
     * target (through the newest archived segment for {@code latest}); refuses otherwise.
     */
    public static WalCheck checkWal(BackupEnd backup, RecoveryTarget target, TargetTimeline timeline,
                                    WalCoverage index, SegmentTimes times) throws IOException {
        WalCoverage.Span span = span(backup, timeline, index);
        List<String> notes = new ArrayList<>(span.problems());
        if (!span.reaches(backup.stopSegment())) {
            throw new UserException("the WAL backup " + backup.name() + " needs is not all archived",
                    "Recovery needs every segment from " + backup.startSegment() + " through "
                            + backup.stopSegment() + "; " + firstMissing(span) + ". Nothing was written.",
                    "Pin another backup with --backup NAME (backup-list --detail shows each one's wal_coverage).");
        }
        SegmentName through = span.replayableUntil().orElseThrow();
        WalSegmentSize size = index.segmentSize();
        Optional<Instant> storedAt = Optional.empty();
        switch (target.kind()) {
            case LSN -> {
                SegmentName needed = target.lsn().orElseThrow().segment(through.timeline(), size);
                if (size.number(needed) > size.number(through)) {
                    throw beyond(target, backup, through, span, "the segment holding it, " + needed + ", is not");
                }
            }
            case TIME -> {
                storedAt = times.storedAt(through);
                Instant t = target.time().orElseThrow();
                if (storedAt.isEmpty() || storedAt.get().isBefore(t)) {
                    throw beyond(target, backup, through, span, storedAt.map(s -> "the last segment reachable "
                            + "without a gap was stored at " + s + ", before it, so no commit after the target is")
                            .orElse("the last segment reachable without a gap can no longer be found, so it is"));
                }
            }
            case LATEST -> {
                if (!span.complete()) {
                    throw new UserException("the archived WAL has a gap after backup " + backup.name()
                            + ": recovery to the end of the archive would stop at it",
                            "WAL is archived without a gap through " + through + "; " + firstMissing(span)
                                    + ". Nothing was written.",
                            "Restore to a target before the gap (--target-time or --target-lsn), or find the missing "
                                    + "segments (wal-verify lists the gaps).");
                }
            }
            case NAME, XID -> {
                if (!span.complete()) {
                    notes.add("WAL is archived without a gap only through " + through + " (" + firstMissing(span)
                            + "): if the " + target.describe() + " lies beyond it, PostgreSQL will stop with "
                            + "\"recovery ended before configured recovery target was reached\"");
                }
            }
            default -> throw new IllegalStateException(target.kind().toString());
        }
        return new WalCheck(span.from(), through, storedAt, notes);
    }

    /**
     * The WAL recovery reads from the backup's start: along the timeline with the newest segment for {@code latest}
     * (as PostgreSQL follows the newest timeline), else along the named one.
     */
    private static WalCoverage.Span span(BackupEnd backup, TargetTimeline timeline, WalCoverage index) {
        SegmentName start = backup.startSegment();
        if (timeline.equals(TargetTimeline.LATEST)) {
            return index.coverage(start);
        }
        long tli = timeline.number().orElse(start.timeline());
        if (tli < start.timeline()) {
            throw new UserException("backup " + backup.name() + " is on timeline " + start.timeline()
                    + ", after the target timeline " + tli, null,
                    "Give a backup taken on timeline " + tli + " or one of its ancestors (--backup), or another "
                            + "--target-timeline.");
        }
        WalSegmentSize size = index.segmentSize();
        long to = size.number(backup.stopSegment());
        List<SegmentName> own = index.segmentsByTimeline().getOrDefault(tli, List.of());
        if (!own.isEmpty()) {
            to = Math.max(to, size.number(own.get(own.size() - 1)));
        }
        return index.range(start, size.name(tli, to));
    }

    private static UserException beyond(RecoveryTarget target, BackupEnd backup, SegmentName through,
                                        WalCoverage.Span span, String why) {
        String gap = span.complete() ? "it is the newest archived segment" : firstMissing(span);
        return new UserException("the target " + target.describe() + " is beyond the archived WAL",
                "From backup " + backup.name() + " the WAL is archived without a gap through " + through + " ("
                        + gap + "); " + why + " in the archive. Nothing was written.",
                "Archive the missing WAL first (on a live server: SELECT pg_switch_wal()), choose an earlier target, "
                        + "or restore everything archived with --target latest.");
    }

    private static String firstMissing(WalCoverage.Span span) {
        if (span.gaps().isEmpty()) {
            return "no segment is missing";
        }
        WalCoverage.Gap g = span.gaps().get(0);
        return g.segments() == 1 ? "segment " + g.first() + " is missing"
                : "segments " + g.first() + " through " + g.last() + " are missing";
    }

    private static boolean endsBy(BackupEnd b, RecoveryTarget target) {
        return switch (target.kind()) {
            case TIME -> !b.finishedAt().isAfter(target.time().orElseThrow());
            case LSN -> Long.compareUnsigned(b.stopLsn().value(), target.lsn().orElseThrow().value()) <= 0;
            default -> true;
        };
    }

    private static String ends(BackupEnd b, RecoveryTarget target) {
        return target.kind() == RecoveryTarget.Kind.LSN ? "stopped at LSN " + b.stopLsn()
                + " (finished " + b.finishedAt() + ")" : "finished at " + b.finishedAt() + " (stop LSN " + b.stopLsn() + ")";
    }
}
