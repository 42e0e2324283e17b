package org.walj.backup;

import java.util.ArrayList;
import java.util.List;
import org.walj.UserException;

/**
 * WAL-E's partition rule ({@code tar_partition.py: _segmentation_guts}): members in listing order; a new partition
 * starts when adding the next member would bring the partition's member bytes to 1.5 GiB or more, or when it already
 * holds 6,144 members. Partitions are numbered from 0.
 */
public final class Partitioning {
    public static final long MAX_BYTES = 1_610_612_736L;
    public static final int MAX_MEMBERS = 6144;

    private Partitioning() {
    }

    public static List<Partition> split(List<ClusterMember> members) {
        return split(members, MAX_BYTES, MAX_MEMBERS);
    }

    static List<Partition> split(List<ClusterMember> members, long maxBytes, int maxMembers) {
        List<Partition> partitions = new ArrayList<>();
        List<ClusterMember> current = new ArrayList<>();
        long bytes = 0;
        for (ClusterMember m : members) {
            if (m.size() >= maxBytes) {
                throw new UserException("file too big to archive: " + m.source(),
                        "The file is " + m.size() + " bytes; a tar partition holds at most " + maxBytes + ".", null);
            }
            if (!current.isEmpty() && (bytes + m.size() >= maxBytes || current.size() >= maxMembers)) {
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
