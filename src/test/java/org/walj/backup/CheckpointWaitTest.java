package org.walj.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.walj.postgres.PgSession.CheckpointPacing;

/** The figure backup-push's waiting line gives for a spread checkpoint. */
class CheckpointWaitTest {
    @Test
    void theSpreadIsTimeoutTimesTarget() {
        assertEquals(270, new CheckpointPacing(300, 0.9).spreadSeconds(), "PostgreSQL's defaults: 4.5 min");
        assertEquals(3240, new CheckpointPacing(3600, 0.9).spreadSeconds());
        assertEquals(3, new CheckpointPacing(30, 0.1).spreadSeconds(), "the ITs' short checkpoints");
        assertThrows(IllegalArgumentException.class, () -> new CheckpointPacing(0, 0.9));
        assertThrows(IllegalArgumentException.class, () -> new CheckpointPacing(300, 1.5));
        assertThrows(IllegalArgumentException.class, () -> new CheckpointPacing(300, Double.NaN));
    }

    @Test
    void secondsUnderAMinuteAndAHalfThenMinutes() {
        assertEquals("3 s", BackupPusher.minutes(3));
        assertEquals("89 s", BackupPusher.minutes(89));
        assertEquals("1.5 min", BackupPusher.minutes(90));
        assertEquals("4.5 min", BackupPusher.minutes(270));
        assertEquals("54 min", BackupPusher.minutes(3240));
        assertEquals("1440 min", BackupPusher.minutes(86_400));
    }
}
