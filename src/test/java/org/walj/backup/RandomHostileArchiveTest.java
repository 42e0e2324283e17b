package org.walj.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walj.UserException;
import org.walj.layout.Tablespace;

/**
 * Random member sequences over two or three partitions, extracted at once by backup-fetch: whatever the order and
 * timing, nothing outside the target changes, a failed fetch leaves no {@code global/pg_control} and says why in one
 * line, and an archive with a forbidden name or type or two members at one path never restores. A bounded number of
 * cases per run; the seed changes every run and is printed on failure ({@code -Dwalj.hostile.seed=N} replays it,
 * {@code -Dwalj.hostile.cases=N} runs more).
 */
class RandomHostileArchiveTest {
    /** Names where members meet: parents of each other, PostgreSQL's special paths, the tablespace's. */
    private static final String[] TRICKY = {"a", "b", "a/b", "a/c", "d", "d/x", "d/x/y", "base", "base/1",
        "global/pg_control", "backup_label", "tablespace_map", "pg_wal", "pg_wal/000000010000000000000001",
        "pg_tblspc", "pg_tblspc/16385", "pg_tblspc/16385/PG_15", "pg_tblspc/16385/PG_15/1"};
    /** Names no restore accepts. */
    private static final String[] HOSTILE = {"../escape", "a/../../escape", "tablespace_map.walj-incomplete",
        "pg_tblspc/16385/x.walj-incomplete"};

    @TempDir
    Path tmp;

    private enum Type { FILE, DIR, SYMLINK, HARD_LINK, FIFO }

    private record Member(Type type, String name, String target) {
        @Override
        public String toString() {
            return type + " " + name + (target == null ? "" : " -> " + target);
        }
    }

    @Test
    void randomMemberSequencesNeverEscapeTheTarget() throws IOException {
        long seed = Long.getLong("walj.hostile.seed", System.nanoTime());
        int cases = Integer.getInteger("walj.hostile.cases", 200);
        boolean root = HostileSandbox.runningAsRoot();
        int restored = 0;
        for (int i = 0; i < cases; i++) {
            Random random = new Random(seed + i);
            HostileSandbox s = new HostileSandbox(tmp.resolve("case-" + i));
            List<List<Member>> partitions = generate(random, s);
            String replay = "seed " + seed + ", case " + i + " (-Dwalj.hostile.seed=" + (seed + i)
                    + " -Dwalj.hostile.cases=1): " + partitions;
            // half the cases restore tablespace 16385 (declared by the sentinel, created by --restore-spec SOURCE)
            boolean tablespace = random.nextBoolean();
            replay += tablespace ? " with tablespace 16385" : "";
            try {
                s.sentinel(tablespace ? List.of(new Tablespace("16385", s.tablespace("ts1") + "/", "pg_tblspc/16385"))
                        : List.of());
                for (int p = 0; p < partitions.size(); p++) {
                    s.partition(p, tar(partitions.get(p)));
                }
                Exception failure = s.fetch(tablespace ? BackupFetch.RestoreSpecOption.SOURCE
                        : BackupFetch.RestoreSpecOption.NONE, root);
                check(s, partitions, failure, tablespace);
                restored += failure == null ? 1 : 0;
            } catch (AssertionError | IOException | RuntimeException e) {
                throw new AssertionError(replay + ": " + e.getMessage(), e);
            }
            Files.walk(s.root).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        System.out.println("random hostile archives, seed " + seed + ": " + restored + " of " + cases + " restored");
        // the generator must produce both outcomes, or one half of the invariants is never exercised
        assertTrue(restored > 0 && restored < cases, "seed " + seed + ": " + restored + " of " + cases + " restored");
    }

    private static void check(HostileSandbox s, List<List<Member>> partitions, Exception failure, boolean tablespace)
            throws IOException {
        s.assertOutsideUntouched();
        String mustFail = mustFail(partitions, tablespace);
        if (failure != null) {
            assertNotNull(failure.getMessage());
            assertFalse(failure.getMessage().contains("\n"), failure.getMessage());
            assertTrue(failure instanceof IOException || failure instanceof UserException, failure.toString());
            s.assertNoPgControl();
            return;
        }
        assertEquals(null, mustFail, "the fetch succeeded");
        assertTrue(Files.isRegularFile(s.data.resolve("global/pg_control"), LinkOption.NOFOLLOW_LINKS));
        if (tablespace) {
            assertEquals(s.tablespace("ts1"), Files.readSymbolicLink(s.data.resolve("pg_tblspc/16385")));
            if (Files.exists(s.data.resolve("tablespace_map"), LinkOption.NOFOLLOW_LINKS)) {
                assertEquals("16385 " + s.tablespace("ts1").toRealPath() + "\n",
                        Files.readString(s.data.resolve("tablespace_map")));
            }
        }
        try (Stream<Path> w = Files.walk(s.data)) {
            for (Path p : w.toList()) {
                assertFalse(p.getFileName().toString().endsWith(".walj-incomplete"), p.toString());
                if (Files.isSymbolicLink(p)) {
                    // every directory above a restored link is real
                    for (Path up = p.getParent(); !up.equals(s.data); up = up.getParent()) {
                        assertFalse(Files.isSymbolicLink(up), up.toString());
                    }
                }
            }
        }
    }

    /** Why the archive can never restore, or null when it might. */
    private static String mustFail(List<List<Member>> partitions, boolean tablespace) {
        Map<String, Type> claimed = new HashMap<>();
        boolean pgControl = false;
        for (List<Member> members : partitions) {
            for (Member m : members) {
                String n = normalize(m.name());
                if (m.name().contains("..") || n.endsWith(".walj-incomplete")) {
                    return "forbidden name " + m.name();
                }
                if (m.type() == Type.FIFO) {
                    return "FIFO " + m.name();
                }
                if (n.equals("pg_tblspc/16385") && (m.type() == Type.SYMLINK
                        || tablespace && m.type() == Type.DIR)) {
                    continue; // the fetch makes that link itself; with the tablespace it is the tablespace's directory
                }
                Type earlier = claimed.put(n, m.type());
                if (earlier != null && !(earlier == Type.DIR && m.type() == Type.DIR)) {
                    return "two members at " + n;
                }
                pgControl |= n.equals("global/pg_control") && m.type() == Type.FILE;
            }
        }
        return pgControl ? null : "no pg_control";
    }

    private static String normalize(String name) {
        String n = name.startsWith("./") ? name.substring(2) : name;
        return n.endsWith("/") ? n.substring(0, n.length() - 1) : n;
    }

    private static List<List<Member>> generate(Random random, HostileSandbox s) {
        String[] linkTargets = {s.decoy.toString(), s.decoyDir.toString(), "../../outside/decoy", "../../outside",
            "a", "/", "d"};
        List<String> named = new ArrayList<>();
        int count = 2 + random.nextInt(2);
        List<List<Member>> partitions = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            List<Member> members = new ArrayList<>();
            if (p == 0 && random.nextInt(10) < 8) {
                members.add(new Member(Type.FILE, "global/pg_control", null));
            }
            int n = 1 + random.nextInt(6);
            for (int i = 0; i < n; i++) {
                String name = name(random);
                int r = random.nextInt(100);
                Type type = r < 50 ? Type.FILE : r < 70 ? Type.DIR : r < 87 ? Type.SYMLINK : r < 98 ? Type.HARD_LINK
                        : Type.FIFO;
                String target = switch (type) {
                    case SYMLINK -> linkTargets[random.nextInt(linkTargets.length)];
                    case HARD_LINK -> !named.isEmpty() && random.nextInt(10) < 7
                            ? named.get(random.nextInt(named.size())) : random.nextBoolean() ? name(random)
                            : linkTargets[random.nextInt(linkTargets.length)];
                    default -> null;
                };
                members.add(new Member(type, name, target));
                named.add(name);
            }
            partitions.add(members);
        }
        return partitions;
    }

    /** Mostly distinct ordinary names, often names where members meet, sometimes forbidden ones. */
    private static String name(Random random) {
        int r = random.nextInt(100);
        if (r < 55) {
            return "base/" + (1 + random.nextInt(3)) + "/" + (16384 + random.nextInt(40));
        }
        if (r < 85) {
            return TRICKY[random.nextInt(TRICKY.length)];
        }
        if (r < 95) {
            return "./" + TRICKY[random.nextInt(TRICKY.length)];
        }
        return HOSTILE[random.nextInt(HOSTILE.length)];
    }

    private static byte[] tar(List<Member> members) throws IOException {
        Tars t = new Tars();
        for (Member m : members) {
            switch (m.type()) {
                case FILE -> t.file(m.name(), "content of " + m.name(), 0640, 1_500_000_000_000L);
                case DIR -> t.dir(m.name(), 0750);
                case SYMLINK -> t.symlink(m.name(), m.target());
                case HARD_LINK -> t.hardLink(m.name(), m.target());
                case FIFO -> t.special(m.name(), TarConstants.LF_FIFO);
                default -> throw new IllegalStateException();
            }
        }
        return t.bytes();
    }
}
