package org.walj.retention;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.walj.layout.BackupLayout;
import org.walj.layout.BackupName;
import org.walj.postgres.SegmentName;
import org.walj.postgres.WalNames;
import org.walj.storage.ObjectInfo;

/**
 * Every object under a {@code basebackups_00N/} directory, grouped by backup: its sentinel (if the backup completed)
 * and everything under its directory (whatever the name, so objects other tools add there go with the backup).
 * Keys of no known shape are kept aside, never deleted by {@code before}/{@code retain}.
 */
record ArchiveBackups(List<Backup> backups, List<String> unexpected, List<SegmentName> walGStarts) {
    /** WAL-G's sentinel: no offset in the name. Such backups are not WAL-E's, but they need their WAL too. */
    private static final Pattern WAL_G_SENTINEL = Pattern.compile(
            "base_(" + WalNames.SEGMENT + ")_backup_stop_sentinel\\.json");

    /** One backup's objects. The sentinel is what makes it complete (listed, restorable). */
    record Backup(BackupName name, Optional<ObjectInfo> sentinel, List<ObjectInfo> data) {
        boolean complete() {
            return sentinel.isPresent();
        }

        /** When anything of it was last written: for a backup without sentinel, a sign of a push still running. */
        Instant lastWritten() {
            Instant t = sentinel.map(ObjectInfo::lastModified).orElse(Instant.EPOCH);
            for (ObjectInfo o : data) {
                t = o.lastModified().isAfter(t) ? o.lastModified() : t;
            }
            return t;
        }
    }

    /**
     * Newest first by start position: log and segment numbers (timeline left out: it restarts at 1 after
     * pg_upgrade while positions keep growing), then offset; the timeline only breaks ties.
     */
    static final Comparator<Backup> NEWEST_FIRST = Comparator
            .comparingLong((Backup b) -> b.name().startSegment().placeInWal())
            .thenComparing(b -> b.name().startOffset())
            .thenComparingLong(b -> b.name().startSegment().timeline())
            .reversed();

    static ArchiveBackups classify(String directory, List<ObjectInfo> listing) {
        Map<BackupName, Optional<ObjectInfo>> sentinels = new TreeMap<>();
        Map<BackupName, List<ObjectInfo>> data = new TreeMap<>();
        List<String> unexpected = new ArrayList<>();
        List<SegmentName> walG = new ArrayList<>();
        for (ObjectInfo o : listing) {
            String rest = o.key().substring(directory.length());
            int slash = rest.indexOf('/');
            if (slash < 0) {
                Optional<BackupName> name = rest.endsWith(BackupLayout.SENTINEL_SUFFIX)
                        ? BackupName.parse(rest.substring(0, rest.length() - BackupLayout.SENTINEL_SUFFIX.length()))
                        : Optional.empty();
                if (name.isPresent()) {
                    sentinels.put(name.get(), Optional.of(o));
                    data.computeIfAbsent(name.get(), n -> new ArrayList<>());
                } else {
                    unexpected.add(o.key());
                    Matcher m = WAL_G_SENTINEL.matcher(rest);
                    if (m.matches()) {
                        SegmentName.parse(m.group(1)).ifPresent(walG::add);
                    }
                }
            } else {
                Optional<BackupName> name = BackupName.parse(rest.substring(0, slash));
                if (name.isPresent()) {
                    data.computeIfAbsent(name.get(), n -> new ArrayList<>()).add(o);
                } else {
                    unexpected.add(o.key());
                }
            }
        }
        List<Backup> backups = new ArrayList<>();
        data.forEach((name, objects) -> backups.add(
                new Backup(name, sentinels.getOrDefault(name, Optional.empty()), List.copyOf(objects))));
        return new ArchiveBackups(List.copyOf(backups), List.copyOf(unexpected), List.copyOf(walG));
    }

    /** WAL-E's words for a backup object in its delete log lines. */
    static String kind(BackupName name, String key) {
        String dir = BackupLayout.directory(name);
        if (key.equals(BackupLayout.extendedVersionKey(name))) {
            return "a extended version metadata file";
        }
        if (key.startsWith(BackupLayout.partitionsPrefix(name)) && key.indexOf('/', dir.length() + 15) < 0) {
            return "a base backup volume";
        }
        return "part of a base backup";
    }
}
