package org.walj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * An Error (OutOfMemoryError, StackOverflowError) is not an Exception: it passes picocli and the error reporter, and
 * the JVM would end with 1, which PostgreSQL reads from restore_command as "not in the archive" and then promotes.
 */
class UnexpectedFailureTest {

    @Test
    void anErrorEscapingWalFetchEndsWithTheFatalStatus() {
        // the test JVM has no WALJ_FETCH_ERROR_EXIT_CODE (surefire passes the caller's environment: checked here)
        int expected = System.getenv(FailureExit.VARIABLE) == null ? ExitStatus.FETCH_FAILED
                : FailureExit.from(AllSettings.ofProcess()).status();
        assertEquals(expected, Main.unexpected(new String[] {"wal-fetch", "000000010000000000000001", "/tmp/x"},
                new OutOfMemoryError("Java heap space")));
        assertEquals(expected, Main.unexpected(new String[] {"--terse", "wal-fetch", "a", "b"}, new StackOverflowError()));
    }

    @Test
    void anErrorElsewhereIsAnInternalError() {
        assertEquals(ExitStatus.USAGE, Main.unexpected(new String[] {"wal-push", "/x"}, new OutOfMemoryError()));
    }

    @Test
    void anErrorCaughtInsideWalFetchKeepsItsStatusThroughTheReporter() {
        assertEquals(200, ErrorReporter.exitStatus(new FailureExit.Failed(200, new OutOfMemoryError())));
        assertEquals(7, ErrorReporter.exitStatus(new FailureExit.Failed(7, new StackOverflowError())));
    }
}
