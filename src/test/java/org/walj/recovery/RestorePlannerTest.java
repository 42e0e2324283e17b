package org.walj.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.walj.UserException;
import org.walj.layout.BackupName;
import org.walj.layout.BackupSentinel;
import org.walj.layout.RestoreSpec;
import org.walj.postgres.SegmentName;
import org.walj.postgres.WalCoverage;
import org.walj.postgres.WalSegmentSize;

/**
 * The plan of wal-j restore: which backup, and when it refuses. Three backups on timeline 1 (16 MiB segments):
 * B1 starts in segment 2 and stops in 3 (finished 10:00), B2 6-7 (11:00), B3 A-B (12:00); segment n was stored at
 * 10:00 + 5 n minutes... except where a test says otherwise.
 */
class RestorePlannerTest {
    private static final WalSegmentSize SIZE = WalSegmentSize.DEFAULT;
    private static final Instant TEN = Instant.parse("2026-11-22T10:00:00Z");
    private static final BackupEnd B1 = backup("000000010000000000000002", "000000010000000000000003", TEN);
    private static final BackupEnd B2 = backup("000000010000000000000006", "000000010000000000000007",
            TEN.plus(Duration.ofHours(1)));
    private static final BackupEnd B3 = backup("00000001000000000000000A", "00000001000000000000000B",
            TEN.plus(Duration.ofHours(2)));
    private static final List<BackupEnd> ALL = List.of(B2, B3, B1);
    private static final RestorePlanner.SegmentTimes STORED =
            s -> Optional.of(TEN.plus(Duration.ofMinutes(5 * SIZE.number(s))));

    private static BackupEnd backup(String start, String stop, Instant finished) {
        BackupSentinel sentinel = new BackupSentinel(SegmentName.parse(stop).orElseThrow(), "00000312", 1,
                new RestoreSpec("", List.of()));
        return BackupEnd.of(BackupName.parse("base_" + start + "_00000040").orElseThrow(), finished, sentinel, SIZE);
    }

    /** Timeline 1, segments 2 to 0x20 except {@code missing}. */
    private static WalCoverage wal(Integer... missing) {
        List<SegmentName> segments = new ArrayList<>();
        for (int n = 2; n <= 0x20; n++) {
            if (!Set.of(missing).contains(n)) {
                segments.add(SIZE.name(1, n));
            }
        }
        return WalCoverage.of(segments, Map.of(), SIZE);
    }

    private static RestorePlanner.Choice choose(RecoveryTarget target) {
        return RestorePlanner.choose(ALL, target, Optional.empty());
    }

    @Test
    void theStopPositionIsTheSentinelsDecimalOffset() {
        assertEquals("0/7000138", B2.stopLsn().toString());
    }

    @Test
    void aTimeTargetTakesTheNewestBackupThatFinishedByThen() {
        assertEquals(B2, choose(RecoveryTarget.time("2026-11-22 11:30:00+00")).backup());
        assertEquals(B1, choose(RecoveryTarget.time("2026-11-22T10:59:59Z")).backup());
        assertEquals(B3, choose(RecoveryTarget.time("2026-11-22 13:00:00+01")).backup(), "12:00 UTC, finished then");
        RestorePlanner.Choice c = choose(RecoveryTarget.time("2026-11-22 11:30:00+00"));
        assertTrue(c.why().startsWith("the newest of 2 backup(s) that ended before the target (of 3)"), c.why());
    }

    @Test
    void anLsnTargetTakesTheNewestBackupThatStoppedAtOrBeforeIt() {
        assertEquals(B2, choose(RecoveryTarget.lsn("0/7000138")).backup());
        assertEquals(B1, choose(RecoveryTarget.lsn("0/7000137")).backup());
        assertEquals(B3, choose(RecoveryTarget.lsn("1/0")).backup());
    }

    @Test
    void latestAndTargetsNoSentinelCanPlaceTakeTheNewestAndSaySo() {
        assertEquals(B3, choose(RecoveryTarget.latest()).backup());
        RestorePlanner.Choice name = choose(RecoveryTarget.name("before-upgrade"));
        assertEquals(B3, name.backup());
        assertTrue(name.why().contains("a restore point cannot be placed from the backups' sentinels")
                && name.why().contains("--backup NAME"), name.why());
        assertTrue(choose(RecoveryTarget.xid("4711")).why().contains("a transaction id cannot be placed"));
    }

    @Test
    void aTargetBeforeTheOldestBackupsEndIsRefused() {
        UserException early = assertThrows(UserException.class,
                () -> choose(RecoveryTarget.time("2026-11-22 09:59:59+00")));
        assertEquals("the target time 2026-11-22 09:59:59.000000+00 is before the end of the oldest backup, "
                + B1.name(), early.getMessage());
        assertTrue(early.detail().orElseThrow().contains("Nothing was written"));
        UserException lsn = assertThrows(UserException.class, () -> choose(RecoveryTarget.lsn("0/3000137")));
        assertTrue(lsn.getMessage().contains("before the end of the oldest backup, " + B1.name()), lsn.getMessage());
        assertThrows(UserException.class, () -> RestorePlanner.choose(List.of(), RecoveryTarget.latest(),
                Optional.empty()));
    }

    @Test
    void aPinnedBackupIsUsedOnlyIfItEndedBeforeTheTarget() {
        RecoveryTarget t = RecoveryTarget.time("2026-11-22 11:30:00+00");
        RestorePlanner.Choice pinned = RestorePlanner.choose(ALL, t, Optional.of(B1.name()));
        assertEquals(B1, pinned.backup());
        assertTrue(pinned.why().startsWith("chosen with --backup"));
        UserException late = assertThrows(UserException.class,
                () -> RestorePlanner.choose(ALL, t, Optional.of(B3.name())));
        assertTrue(late.getMessage().startsWith("backup " + B3.name() + " ends after the target"), late.getMessage());
        assertThrows(UserException.class, () -> RestorePlanner.choose(ALL, t,
                BackupName.parse("base_000000010000000000000004_00000040")));
        assertEquals(B1, RestorePlanner.choose(ALL, RecoveryTarget.name("x"), Optional.of(B1.name())).backup());
    }

    @Test
    void theWalCheckSaysHowFarTheArchiveReaches() throws IOException {
        RestorePlanner.WalCheck check = RestorePlanner.checkWal(B2, RecoveryTarget.time("2026-11-22 11:30:00+00"),
                TargetTimeline.LATEST, wal(), STORED);
        assertEquals("WAL from 000000010000000000000006 through 000000010000000000000020 is archived without a gap"
                + " (000000010000000000000020 stored at 2026-11-22T12:40:00Z)", check.describe());
        assertEquals(List.of(), check.notes());
        RestorePlanner.checkWal(B3, RecoveryTarget.lsn("0/20FFFFFF"), TargetTimeline.LATEST, wal(), STORED);
        RestorePlanner.checkWal(B3, RecoveryTarget.latest(), TargetTimeline.CURRENT, wal(), STORED);
    }

    @Test
    void aTargetBeyondTheArchivedWalIsRefused() {
        UserException lsn = assertThrows(UserException.class, () -> RestorePlanner.checkWal(B3,
                RecoveryTarget.lsn("0/21000000"), TargetTimeline.LATEST, wal(), STORED));
        assertEquals("the target LSN 0/21000000 is beyond the archived WAL", lsn.getMessage());
        assertTrue(lsn.detail().orElseThrow().contains("through 000000010000000000000020 (it is the newest archived"
                + " segment); the segment holding it, 000000010000000000000021, is not in the archive"),
                lsn.detail().orElseThrow());
        // the newest segment was stored at 12:40: no commit after 12:41 can be in the archive
        UserException time = assertThrows(UserException.class, () -> RestorePlanner.checkWal(B3,
                RecoveryTarget.time("2026-11-22 12:41:00+00"), TargetTimeline.LATEST, wal(), STORED));
        assertTrue(time.getMessage().endsWith("is beyond the archived WAL"), time.getMessage());
        assertTrue(time.detail().orElseThrow().contains("was stored at 2026-11-22T12:40:00Z, before it"),
                time.detail().orElseThrow());
    }

    @Test
    void aGapBetweenTheBackupAndTheTargetIsRefused() {
        // segment 8 missing: from B2 the WAL reaches 7, stored at 10:35, before an 11:30 target
        UserException e = assertThrows(UserException.class, () -> RestorePlanner.checkWal(B2,
                RecoveryTarget.time("2026-11-22 11:30:00+00"), TargetTimeline.LATEST, wal(8), STORED));
        assertTrue(e.detail().orElseThrow().contains("through 000000010000000000000007 (segment "
                + "000000010000000000000008 is missing)"), e.detail().orElseThrow());
        UserException latest = assertThrows(UserException.class, () -> RestorePlanner.checkWal(B3,
                RecoveryTarget.latest(), TargetTimeline.LATEST, wal(0x10, 0x11), STORED));
        assertTrue(latest.getMessage().startsWith("the archived WAL has a gap after backup " + B3.name()));
        assertTrue(latest.detail().orElseThrow().contains("segments 000000010000000000000010 through "
                + "000000010000000000000011 are missing"), latest.detail().orElseThrow());
        UserException own = assertThrows(UserException.class, () -> RestorePlanner.checkWal(B1,
                RecoveryTarget.latest(), TargetTimeline.LATEST, wal(3), STORED));
        assertEquals("the WAL backup " + B1.name() + " needs is not all archived", own.getMessage());
    }

    @Test
    void aGapAfterARestorePointIsAWarningNotARefusal() throws IOException {
        RestorePlanner.WalCheck check = RestorePlanner.checkWal(B3, RecoveryTarget.name("p"), TargetTimeline.LATEST,
                wal(0x10), STORED);
        assertEquals(1, check.notes().size());
        assertTrue(check.notes().get(0).contains("recovery ended before configured recovery target was reached"));
    }

    @Test
    void theWalCheckFollowsTheTargetTimeline() throws IOException {
        // an earlier point-in-time restore left timeline 1 in segment 0x10; timeline 2 goes on to 0x18, while
        // timeline 1's abandoned WAL goes to 0x12
        List<SegmentName> segments = new ArrayList<>();
        for (int n = 2; n <= 0x12; n++) {
            segments.add(SIZE.name(1, n));
        }
        for (int n = 0x10; n <= 0x18; n++) {
            segments.add(SIZE.name(2, n));
        }
        WalCoverage index = WalCoverage.of(segments, Map.of(2L, "1\t0/10000000\tno recovery target specified\n"),
                SIZE);
        RecoveryTarget lsn = RecoveryTarget.lsn("0/17000000");
        RestorePlanner.WalCheck latest = RestorePlanner.checkWal(B3, lsn, TargetTimeline.LATEST, index, STORED);
        assertEquals("000000020000000000000018", latest.through().toString());
        assertEquals("000000010000000000000012", RestorePlanner.checkWal(B3, RecoveryTarget.lsn("0/12000000"),
                TargetTimeline.CURRENT, index, STORED).through().toString());
        UserException onOne = assertThrows(UserException.class,
                () -> RestorePlanner.checkWal(B3, lsn, TargetTimeline.parse("1"), index, STORED));
        assertTrue(onOne.getMessage().endsWith("is beyond the archived WAL"), onOne.getMessage());
        assertEquals("000000020000000000000018", RestorePlanner.checkWal(B3, lsn, TargetTimeline.parse("2"), index,
                STORED).through().toString());
    }

    @Test
    void aTimelineOlderThanTheBackupsIsRefused() {
        BackupEnd onTwo = backup("000000020000000000000012", "000000020000000000000013", TEN);
        assertThrows(UserException.class, () -> RestorePlanner.checkWal(onTwo, RecoveryTarget.latest(),
                TargetTimeline.parse("1"), wal(), STORED));
    }
}
