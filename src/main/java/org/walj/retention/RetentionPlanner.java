package org.walj.retention;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.walj.UserException;
import org.walj.archive.Archive;
import org.walj.layout.ArchiveLayout;
import org.walj.layout.WalArchiveIndex.WalObject;
import org.walj.logging.LogEvent;
import org.walj.logging.LoggerNames;
import org.walj.logging.WalELog;
import org.walj.postgres.SegmentName;
import org.walj.storage.ObjectInfo;
import org.walj.storage.Storage;

/**
 * Decides what {@code delete} removes. {@code before} and {@code retain} follow WAL-E's rule: a horizon segment H
 * (the named one, or the start of the N-th newest complete backup by position); backups that start before H and WAL
 * before H go, on every timeline, and timeline history files never do. Because every kept backup starts at or after
 * H and replays forward from its own start, no WAL a kept backup needs lies before H. Where WAL-E was unsafe wal-j
 * refuses or keeps more (docs/retention.md):
 * <ul>
 * <li>a backup that position order would delete but that is newer, by its sentinel's time, than every kept backup
 *     (a recovery to an earlier point that branched a new timeline, a re-initialised cluster): refused;</li>
 * <li>a backup without sentinel that was written to after the oldest kept backup completed may be a push still
 *     running: kept, and so is the WAL from its start on;</li>
 * <li>sentinels are deleted before the data they vouch for.</li>
 * </ul>
 * Only objects present in one listing are ever deleted, so a concurrent wal-push's new segments are never touched.
 */
public final class RetentionPlanner {
    private static final WalELog LOG = WalELog.get(LoggerNames.WORKER_BASE);
    private static final String WEIRD_KEY_HINT = "This means an unexpected key was found in a WAL-E prefix.  It can be "
            + "harmless, or the result a bug or misconfiguration.";
    private static final List<String> OBSOLETE_VERSIONS = List.of("000", "001", "002", "003", "004");

    private final Storage storage;

    public RetentionPlanner(Archive archive) {
        this.storage = archive.storage();
    }

    public DeletionPlan plan(DeleteRequest request) throws IOException {
        if (request instanceof DeleteRequest.Before b) {
            return before(b.horizon());
        }
        if (request instanceof DeleteRequest.Retain r) {
            return retain(r.count());
        }
        if (request instanceof DeleteRequest.Everything) {
            return everything("005");
        }
        return oldVersions();
    }

    private DeletionPlan retain(int count) throws IOException {
        List<ArchiveBackups.Backup> complete = listBackups().backups().stream()
                .filter(ArchiveBackups.Backup::complete).sorted(ArchiveBackups.NEWEST_FIRST).toList();
        if (complete.isEmpty()) {
            LOG.info(LogEvent.msg("Not deleting any data.").detail("No existing base backups."));
            return DeletionPlan.empty();
        }
        ArchiveBackups.Backup lastRetained;
        LogEvent summary;
        if (complete.size() <= count) {
            lastRetained = complete.get(complete.size() - 1);
            summary = LogEvent.msg(complete.size() == 1 ? "Retaining existing base backup."
                    : "Retaining all " + complete.size() + " base backups.");
        } else {
            lastRetained = complete.get(count - 1);
            summary = LogEvent.msg("Deleting " + (complete.size() - count) + " oldest base backups.")
                    .detail("Found " + complete.size() + " total base backups.");
        }
        LOG.info(summary.hint("Deleting keys older than " + storage.url(lastRetained.sentinel().get().key()) + "."));
        return before(lastRetained.name().startSegment());
    }

    private DeletionPlan before(SegmentName horizon) throws IOException {
        ArchiveBackups all = listBackups();
        warnUnexpected(all.unexpected(), "it appears to be at an unexpected depth or not to match the base-backup "
                + "pattern");
        List<ArchiveBackups.Backup> doomed = new ArrayList<>();
        List<ArchiveBackups.Backup> kept = new ArrayList<>();
        for (ArchiveBackups.Backup b : all.backups()) {
            if (b.complete()) {
                (isBefore(b.name().startSegment(), horizon) ? doomed : kept).add(b);
            }
        }
        refuseIfNewerThanKept(doomed, kept);

        // a push in progress has no sentinel yet; if anything of it was written after the oldest kept backup
        // completed it may still be running, and then needs its WAL from its start on
        Optional<Instant> reference = kept.stream().map(b -> b.sentinel().get().lastModified())
                .min(Comparator.naturalOrder())
                .or(() -> doomed.stream().map(b -> b.sentinel().get().lastModified()).max(Comparator.naturalOrder()));
        SegmentName walHorizon = horizon;
        for (ArchiveBackups.Backup b : all.backups()) {
            if (b.complete() || !isBefore(b.name().startSegment(), horizon)) {
                continue;
            }
            if (reference.isPresent() && b.lastWritten().isAfter(reference.get())) {
                LOG.warning(LogEvent.msg("keeping a base backup that may still be in progress")
                        .detail("The backup " + b.name() + " has no sentinel yet, and objects of it were written at "
                                + b.lastWritten() + ", after the oldest kept backup completed.")
                        .hint("Its WAL is kept as well. If that push died, run delete again once a newer backup "
                                + "exists."));
                walHorizon = isBefore(b.name().startSegment(), walHorizon) ? b.name().startSegment() : walHorizon;
            } else {
                doomed.add(b);
            }
        }

        for (SegmentName walG : all.walGStarts()) {
            if (isBefore(walG, walHorizon)) {
                LOG.warning(LogEvent.msg("keeping the WAL of a WAL-G backup")
                        .detail("basebackups_005/ holds a WAL-G backup starting in segment " + walG
                                + "; WAL from there on is kept. wal-j never deletes WAL-G's backups.")
                        .hint("Prune WAL-G's backups with WAL-G."));
                walHorizon = walG;
            }
        }

        List<DeletionPlan.Doomed> sentinels = new ArrayList<>();
        List<DeletionPlan.Doomed> data = new ArrayList<>();
        for (ArchiveBackups.Backup b : doomed) {
            b.sentinel().ifPresent(s -> sentinels.add(new DeletionPlan.Doomed(s.key(), "a base backup sentinel file")));
            for (ObjectInfo o : b.data()) {
                data.add(new DeletionPlan.Doomed(o.key(), ArchiveBackups.kind(b.name(), o.key())));
            }
        }
        return new DeletionPlan(sentinels, data, walBefore(walHorizon));
    }

    /** The danger WAL-G met: position (or name) order calling the newest backups old. */
    private void refuseIfNewerThanKept(List<ArchiveBackups.Backup> doomed, List<ArchiveBackups.Backup> kept) {
        Optional<ArchiveBackups.Backup> newestKept = kept.stream()
                .max(Comparator.comparing(b -> b.sentinel().get().lastModified()));
        if (newestKept.isEmpty()) {
            return;
        }
        Instant keptTime = newestKept.get().sentinel().get().lastModified();
        for (ArchiveBackups.Backup d : doomed) {
            Instant t = d.sentinel().get().lastModified();
            if (t.isAfter(keptTime)) {
                throw new UserException("refusing to delete: backup " + d.name() + " starts at an earlier WAL position "
                        + "than the backups to keep but completed later than all of them",
                        d.name() + " completed at " + t + "; the newest backup kept, " + newestKept.get().name()
                                + ", at " + keptTime + ". Positions and times disagree after a recovery to an earlier "
                                + "point that continued on a new timeline, or a re-initialised cluster archiving into "
                                + "the same prefix.",
                        "Nothing was deleted. Check backup-list and wal-verify; prune such an archive by hand, or "
                                + "wait until a newer backup than " + d.name() + " exists.");
            }
        }
    }

    private List<DeletionPlan.Doomed> walBefore(SegmentName horizon) throws IOException {
        List<DeletionPlan.Doomed> out = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        for (ObjectInfo o : storage.list(ArchiveLayout.WAL_DIRECTORY)) {
            Optional<WalObject> w = WalObject.parse(o.key());
            if (w.isEmpty()) {
                unexpected.add(o.key());
                continue;
            }
            String kind = switch (w.get().kind()) {
                case TIMELINE_HISTORY -> null; // carry no position; PostgreSQL needs them to choose a timeline
                case SEGMENT -> "a wal file";
                case BACKUP_HISTORY -> "a backup history file";
                case PARTIAL_SEGMENT -> "a partial wal file";
            };
            if (kind != null && isBefore(w.get().segment(), horizon)) {
                out.add(new DeletionPlan.Doomed(o.key(), kind));
            }
        }
        warnUnexpected(unexpected, "it appears not to match the WAL file naming pattern");
        return out;
    }

    private DeletionPlan everything(String version) throws IOException {
        String backups = "basebackups_" + version + "/";
        List<DeletionPlan.Doomed> sentinels = new ArrayList<>();
        List<DeletionPlan.Doomed> data = new ArrayList<>();
        for (ObjectInfo o : storage.list(backups)) {
            String rest = o.key().substring(backups.length());
            boolean sentinel = rest.indexOf('/') < 0 && rest.endsWith("_backup_stop_sentinel.json");
            (sentinel ? sentinels : data).add(new DeletionPlan.Doomed(o.key(), "part of a base backup"));
        }
        List<DeletionPlan.Doomed> wal = storage.list("wal_" + version + "/").stream()
                .map(o -> new DeletionPlan.Doomed(o.key(), "part of wal logs")).toList();
        // a killed push or wal-push leaves what no listing shows; "everything" means the prefix ends up empty
        List<DeletionPlan.Doomed> leftovers = new ArrayList<>();
        for (String prefix : List.of(backups, "wal_" + version + "/")) {
            for (String name : storage.leftovers(prefix)) {
                leftovers.add(new DeletionPlan.Doomed(name, "the leftover of an interrupted upload"));
            }
        }
        return new DeletionPlan(sentinels, data, wal, leftovers);
    }

    /** What WAL-E's {@code old-versions} meant to do (its code calls a function with the wrong arguments). */
    private DeletionPlan oldVersions() throws IOException {
        List<DeletionPlan.Doomed> sentinels = new ArrayList<>();
        List<DeletionPlan.Doomed> data = new ArrayList<>();
        List<DeletionPlan.Doomed> wal = new ArrayList<>();
        List<DeletionPlan.Doomed> leftovers = new ArrayList<>();
        for (String v : OBSOLETE_VERSIONS) {
            DeletionPlan p = everything(v);
            sentinels.addAll(p.sentinels());
            data.addAll(p.backupData());
            wal.addAll(p.wal());
            leftovers.addAll(p.leftovers());
        }
        return new DeletionPlan(sentinels, data, wal, leftovers);
    }

    private ArchiveBackups listBackups() throws IOException {
        return ArchiveBackups.classify(ArchiveLayout.BASEBACKUP_DIRECTORY,
                storage.list(ArchiveLayout.BASEBACKUP_DIRECTORY));
    }

    private void warnUnexpected(List<String> keys, String why) {
        for (String key : keys) {
            LOG.warning(LogEvent.msg("skipping non-qualifying key in 'delete before'")
                    .detail("The unexpected key is \"" + storage.url(key) + "\", and " + why + ".")
                    .hint(WEIRD_KEY_HINT));
        }
    }

    /** WAL-E's comparison: log and segment only, timeline ignored (positions grow across timelines). */
    static boolean isBefore(SegmentName s, SegmentName horizon) {
        return s.placeInWal() < horizon.placeInWal();
    }
}
