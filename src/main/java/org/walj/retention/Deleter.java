package org.walj.retention;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.walj.archive.Archive;
import org.walj.logging.LogEvent;
import org.walj.logging.LoggerNames;
import org.walj.logging.WalELog;
import org.walj.storage.Storage;

/**
 * Carries out a {@link DeletionPlan}, or only reports it: one {@code deleting <kind>} record per object, as WAL-E
 * logs them, with WAL-E's dry-run hint when nothing is deleted. Real deletes go in batches of at most 1000 keys (S3's
 * multi-object limit), sentinels first.
 */
public final class Deleter {
    static final int BATCH = 1000;
    private static final WalELog LOG = WalELog.get(LoggerNames.WORKER_BASE);

    private final Storage storage;
    private final boolean dryRun;

    public Deleter(Archive archive, boolean dryRun) {
        this.storage = archive.storage();
        this.dryRun = dryRun;
    }

    /** Returns how many objects were deleted (or, in a dry run, would have been). */
    public int execute(DeletionPlan plan) throws IOException {
        // each group is deleted completely before the next starts: no data goes while its sentinel still exists
        for (List<DeletionPlan.Doomed> group : List.of(plan.sentinels(), plan.backupData(), plan.wal())) {
            List<String> batch = new ArrayList<>(BATCH);
            for (DeletionPlan.Doomed d : group) {
                LogEvent event = LogEvent.msg("deleting " + d.kind())
                        .detail("The key being deleted is " + storage.url(d.key()) + ".");
                LOG.info(dryRun ? event.hint("This is only a dry run -- no actual data is being deleted") : event);
                if (!dryRun) {
                    batch.add(d.key());
                    if (batch.size() == BATCH) {
                        storage.delete(batch);
                        batch.clear();
                    }
                }
            }
            if (!batch.isEmpty()) {
                storage.delete(batch);
            }
        }
        for (DeletionPlan.Doomed d : plan.leftovers()) {
            LogEvent event = LogEvent.msg("deleting " + d.kind())
                    .detail("The file being deleted is \"" + d.key() + "\" below the archive's root.");
            LOG.info(dryRun ? event.hint("This is only a dry run -- no actual data is being deleted") : event);
        }
        if (!dryRun && !plan.leftovers().isEmpty()) {
            storage.deleteLeftovers(plan.leftovers().stream().map(DeletionPlan.Doomed::key).toList());
        }
        return plan.inOrder().size();
    }
}
