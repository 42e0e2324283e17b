package org.walj.backup;

import java.util.List;

/** One {@code part_NNNNNNNN.tar} of a backup: its number and members, in the order they go into the tar. */
public record Partition(int number, List<ClusterMember> members) {
    public Partition {
        members = List.copyOf(members);
    }

    /** Sum of the members' listed sizes (headers not counted), as WAL-E's {@code total_member_size}. */
    public long memberBytes() {
        return members.stream().mapToLong(ClusterMember::size).sum();
    }
}
