package org.walj.retention;

import java.util.ArrayList;
import java.util.List;

/**
 * The objects one {@code delete} removes, in the order it removes them: backup sentinels first (a backup stops
 * being listed before any of its data goes, so a delete that dies midway never leaves a listed backup with missing
 * partitions), then backup data, then WAL (only WAL no kept backup needs, so its order does not matter), and last
 * the leftovers of killed uploads ({@code delete everything} only: storage that no listing shows, see
 * {@link org.walj.storage.Storage#leftovers}), whose removal lets the emptied directories go too.
 */
public record DeletionPlan(List<Doomed> sentinels, List<Doomed> backupData, List<Doomed> wal,
                           List<Doomed> leftovers) {

    /** One object and WAL-E's words for what it is ({@code a base backup volume}, {@code a wal file}, ...). */
    public record Doomed(String key, String kind) {
    }

    public DeletionPlan {
        sentinels = List.copyOf(sentinels);
        backupData = List.copyOf(backupData);
        wal = List.copyOf(wal);
        leftovers = List.copyOf(leftovers);
    }

    public DeletionPlan(List<Doomed> sentinels, List<Doomed> backupData, List<Doomed> wal) {
        this(sentinels, backupData, wal, List.of());
    }

    public static DeletionPlan empty() {
        return new DeletionPlan(List.of(), List.of(), List.of());
    }

    /** Every object, in deletion order. */
    public List<Doomed> inOrder() {
        List<Doomed> all = new ArrayList<>(sentinels.size() + backupData.size() + wal.size() + leftovers.size());
        all.addAll(sentinels);
        all.addAll(backupData);
        all.addAll(wal);
        all.addAll(leftovers);
        return all;
    }
}
