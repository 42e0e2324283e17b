package org.walj.backup;

import java.io.IOException;
import java.io.UncheckedIOException;
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
 *
 * <p>The rule only looks at the partition being filled, so it runs on a stream ({@link #streaming}): backup-push cuts
 * partitions while it walks the cluster and holds at most one unfinished partition.
 */
public final class Partitioning implements ClusterListing.MemberSink {
    public static final long MAX_BYTES = 1_610_612_736L;
    public static final long TARGET_BYTES = 256L * 1024 * 1024;
    public static final int MAX_MEMBERS = 6144;

    /** Told each partition as soon as it is complete, in order. */
    @FunctionalInterface
    public interface PartitionSink {
        void accept(Partition partition) throws IOException;
    }

    private final long targetBytes;
    private final long maxBytes;
    private final int maxMembers;
    private final PartitionSink sink;
    private List<ClusterMember> current = new ArrayList<>();
    private long bytes;
    private int count;

    private Partitioning(long targetBytes, long maxBytes, int maxMembers, PartitionSink sink) {
        this.targetBytes = targetBytes;
        this.maxBytes = maxBytes;
        this.maxMembers = maxMembers;
        this.sink = sink;
    }

    /** The rule with wal-j's sizes, fed one member at a time; call {@link #finish} after the last. */
    public static Partitioning streaming(PartitionSink sink) {
        return new Partitioning(TARGET_BYTES, MAX_BYTES, MAX_MEMBERS, sink);
    }

    public static List<Partition> split(List<ClusterMember> members) {
        return split(members, TARGET_BYTES, MAX_BYTES, MAX_MEMBERS);
    }

    static List<Partition> split(List<ClusterMember> members, long maxBytes, int maxMembers) {
        return split(members, maxBytes, maxBytes, maxMembers);
    }

    static List<Partition> split(List<ClusterMember> members, long targetBytes, long maxBytes, int maxMembers) {
        List<Partition> partitions = new ArrayList<>();
        Partitioning p = new Partitioning(targetBytes, maxBytes, maxMembers, partitions::add);
        try {
            for (ClusterMember m : members) {
                p.accept(m);
            }
            p.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a list never fails to add
        }
        return partitions;
    }

    @Override
    public void accept(ClusterMember m) throws IOException {
        if (m.size() >= maxBytes) {
            throw new UserException("file too big to archive: " + m.source(),
                    "The file is " + m.size() + " bytes; a tar partition holds at most " + maxBytes + ".", null);
        }
        if (!current.isEmpty() && (bytes + m.size() >= targetBytes || current.size() >= maxMembers)) {
            emit();
        }
        current.add(m);
        bytes += m.size();
    }

    /** Hands on the last partition, if it has members. */
    public void finish() throws IOException {
        if (!current.isEmpty()) {
            emit();
        }
    }

    /** The number of partitions handed on so far. */
    public int count() {
        return count;
    }

    private void emit() throws IOException {
        Partition done = new Partition(count, current);
        current = new ArrayList<>();
        bytes = 0;
        count++;
        sink.accept(done);
    }
}
