package org.walj.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.walj.UserException;

class PartitioningTest {

    @Test
    void newPartitionWhenTheNextMemberWouldReachTheByteCap() {
        List<ClusterMember> members = List.of(file("a", 40), file("b", 59), file("c", 1), file("d", 100 - 1));
        List<Partition> parts = Partitioning.split(members, 100, 6144);
        // a+b = 99 < 100; +c = 100 >= 100 → c starts partition 1; c+d = 100 → d starts partition 2
        assertEquals(List.of(List.of("a", "b"), List.of("c"), List.of("d")), names(parts));
        assertEquals(List.of(0, 1, 2), parts.stream().map(Partition::number).toList());
        assertEquals(99, parts.get(0).memberBytes());
    }

    @Test
    void newPartitionAfter6144Members() {
        List<ClusterMember> members = new ArrayList<>();
        for (int i = 0; i < 6144 * 2 + 1; i++) {
            members.add(file("f" + i, 0));
        }
        List<Partition> parts = Partitioning.split(members);
        assertEquals(List.of(6144, 6144, 1), parts.stream().map(p -> p.members().size()).toList());
    }

    @Test
    void aFileOverTheTargetGetsAPartitionOfItsOwnBelowTheHardCap() {
        List<ClusterMember> members = List.of(file("a", 10), file("big", 150), file("b", 10), file("c", 10));
        List<Partition> parts = Partitioning.split(members, 100, 200, 6144);
        assertEquals(List.of(List.of("a"), List.of("big"), List.of("b", "c")), names(parts));
        assertThrows(UserException.class, () -> Partitioning.split(List.of(file("huge", 200)), 100, 200, 6144));
        long gib = 1L << 30;
        assertEquals(List.of(List.of("seg1"), List.of("seg2")), names(Partitioning.split(
                List.of(file("seg1", gib), file("seg2", gib)))), "1 GiB relation segments, one partition each");
    }

    @Test
    void aFileAsLargeAsAPartitionIsAnError() {
        assertThrows(UserException.class, () -> Partitioning.split(List.of(file("huge", Partitioning.MAX_BYTES))));
        assertEquals(List.of(), Partitioning.split(List.of()));
    }

    static ClusterMember file(String name, long size) {
        return new ClusterMember(Path.of("/nonexistent", name), name, ClusterMember.Type.FILE, size, 0600, 0, 0, 0,
                "root", "root", null);
    }

    private static List<List<String>> names(List<Partition> parts) {
        return parts.stream().map(p -> p.members().stream().map(ClusterMember::name).toList()).toList();
    }
}
