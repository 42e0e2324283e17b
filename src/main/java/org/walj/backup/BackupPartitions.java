package org.walj.backup;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.walj.UserException;
import org.walj.layout.BackupLayout;
import org.walj.layout.BackupName;
import org.walj.logging.LogEvent;
import org.walj.logging.LoggerNames;
import org.walj.logging.WalELog;
import org.walj.pipeline.codecs.Compression;
import org.walj.storage.ObjectInfo;
import org.walj.storage.Storage;

/** A backup's tar partitions as stored, {@code tar_partitions/part_N.tar.<compression suffix>}: fetch and verify. */
final class BackupPartitions {
    private static final WalELog BASE_LOG = WalELog.get(LoggerNames.WORKER_BASE);
    private static final Pattern PARTITION = Pattern.compile("part_([0-9]+)\\.tar(\\.[a-z0-9]+)?");

    private BackupPartitions() {
    }

    /**
     * Every partition object, in listing order; anything else in {@code tar_partitions/} is logged as WAL-E does
     * and skipped. None at all is an error.
     */
    static List<ObjectInfo> list(Storage storage, BackupName backup) throws IOException {
        String prefix = BackupLayout.partitionsPrefix(backup);
        List<ObjectInfo> out = new ArrayList<>();
        for (ObjectInfo o : storage.list(prefix)) {
            String rest = o.key().substring(prefix.length());
            if (PARTITION.matcher(rest).matches() && Compression.forObjectName(rest).isPresent()) {
                out.add(o);
            } else {
                BASE_LOG.warning(LogEvent.msg("unexpected key found in tar volume directory")
                        .detail("The unexpected key is stored at \"" + storage.url(o.key()) + "\".")
                        .hint("This is expected when restoring a backup written by a newer tool; it is skipped."));
            }
        }
        if (out.isEmpty()) {
            throw new UserException("backup " + backup + " has no tar partitions",
                    "Nothing matching part_NNNNNNNN.tar.lzo is stored below "
                            + storage.url(prefix.substring(0, prefix.length() - 1)) + ".",
                    "The archive is damaged; restore another backup (backup-list).");
        }
        return out;
    }

    /**
     * The bytes fetch and verify will download, for their progress: the listed sizes' sum. Empty when a size is 0:
     * no partition is empty (its tar has headers and an end), so such a listing does not know sizes.
     */
    static OptionalLong storedBytes(List<ObjectInfo> partitions) {
        long sum = 0;
        for (ObjectInfo p : partitions) {
            if (p.size() == 0) {
                return OptionalLong.empty();
            }
            sum += p.size();
        }
        return OptionalLong.of(sum);
    }

    /** {@code part_00000003.tar.lzo}: the object's last name component. */
    static String fileName(ObjectInfo partition) {
        return partition.key().substring(partition.key().lastIndexOf('/') + 1);
    }

    /** The partition's number, from its name; -1 when it is too large to be one a manifest could record. */
    static int number(ObjectInfo partition) {
        Matcher m = PARTITION.matcher(fileName(partition));
        if (!m.matches()) {
            throw new IllegalArgumentException("not a partition: " + partition.key());
        }
        try {
            return Integer.parseInt(m.group(1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
