package org.walj.backup;

import java.util.ArrayList;
import java.util.List;
import org.walj.UserException;

/**
 * WAL-E's partition rule ({@code tar_partition.py: _segmentation_guts}) with a smaller size target: members in listing
 * order; a new partition starts when adding the next member would bring the partition's member bytes to
 * {@link #TARGET_BYTES} or more, or when it already holds 6,144 members. Partitions are numbered from 0.
 *
 * <p>WAL-E fills partitions to 1.5 GiB ({@code PARTITION_MAX_SZ}), so a cluster under 1.5 GiB is one partition and
 * restores on one thread. Its reader does not depend on the size (it lists {@code tar_partitions/} and extracts
 * whatever is there, in parallel), so wal-j cuts at 256 MiB: a restore gets a partition per core. A file larger than
 * the target (a 1 GiB relation segment) gets a partition of its own; only a file of 1.5 GiB or more, which
 * WAL-E could not have stored either, fails the backup.
 */
public final class Partitioning {
    public static final long MAX_BYTES = 1_610_612_736L;
    public static final long TARGET_BYTES = 256L * 1024 * 1024;
    public static final int MAX_MEMBERS = 6144;

    private Partitioning() {
    }

    public static List<Partition> split(List<ClusterMember> members) {
        return split(members, TARGET_BYTES, MAX_BYTES, MAX_MEMBERS);
    }

    static List<Partition> split(List<ClusterMember> members, long maxBytes, int maxMembers) {
        return split(members, maxBytes, maxBytes, maxMembers);
    }

    static List<Partition> split(List<ClusterMember> members, long targetBytes, long maxBytes, int maxMembers) {
        List<Partition> partitions = new ArrayList<>();
        List<ClusterMember> current = new ArrayList<>();
        long bytes = 0;
        for (ClusterMember m : members) {
            if (m.size() >= maxBytes) {
                throw new UserException("file too big to archive: " + m.source(),
                        "The file is " + m.size() + " bytes; a tar partition holds at most " + maxBytes + ".", null);
            }
            if (!current.isEmpty() && (bytes + m.size() >= targetBytes || current.size() >= maxMembers)) {
                partitions.add(new Partition(partitions.size(), current));
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(m);
            bytes += m.size();
        }
        if (!current.isEmpty()) {
            partitions.add(new Partition(partitions.size(), current));
        }
        return partitions;
    }
}
