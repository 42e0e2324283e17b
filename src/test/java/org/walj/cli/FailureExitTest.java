package org.walj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.walj.UserException;

/** WALJ_FETCH_ERROR_EXIT_CODE through the table: an empty value is an error here, not "unset". */
class FailureExitTest {
    @Test
    void unsetIsTheDefaultAndAStatusFrom1To255IsTaken() {
        assertEquals(ExitStatus.FETCH_FAILED, FailureExit.from(AllSettings.read(Map.of())).status());
        assertEquals(7, FailureExit.from(AllSettings.read(Map.of(FailureExit.VARIABLE, " 7"))).status());
        assertEquals(255, FailureExit.from(AllSettings.read(Map.of(FailureExit.VARIABLE, "255"))).status());
    }

    @Test
    void anythingElseFailsWithTheDefaultStatusAndTheSameMessage() {
        for (String bad : new String[] {"", "0", "256", "-1", "abc"}) {
            FailureExit.Failed failed = assertThrows(FailureExit.Failed.class,
                    () -> FailureExit.from(AllSettings.read(Map.of(FailureExit.VARIABLE, bad))));
            assertEquals(ExitStatus.FETCH_FAILED, failed.status());
            UserException cause = (UserException) failed.getCause();
            assertEquals(FailureExit.VARIABLE + " must be a whole number from 1 to 255, not \"" + bad + "\"",
                    cause.getMessage());
            assertTrue(cause.hint().orElseThrow().startsWith("Unset it (the default is 200)"), bad);
        }
    }
}
