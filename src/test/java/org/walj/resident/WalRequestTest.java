package org.walj.resident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The argument forms the daemon reads itself, and the ones it leaves to picocli in the client's own process: every
 * refusal here is a command the client then runs in-process, exactly as without a daemon.
 */
class WalRequestTest {

    @Test
    void walPushWithItsDefaultAndEverySpellingOfPoolSize() throws Exception {
        assertEquals(new WalRequest.Push(Path.of("pg_wal/000000010000000000000003"), 32),
                parse("wal-push", "pg_wal/000000010000000000000003"));
        for (List<String> spelling : List.of(List.of("-p", "4", "seg"), List.of("--pool-size", "4", "seg"),
                List.of("seg", "--pool-size=4"), List.of("seg", "-p", "4"))) {
            assertEquals(new WalRequest.Push(Path.of("seg"), 4), parse("wal-push", spelling), spelling.toString());
        }
        assertEquals(new WalRequest.Push(Path.of("/abs/seg"), 1), parse("wal-push", "--pool-size", "1", "/abs/seg"));
    }

    @Test
    void walFetchWithItsDefaultAndEverySpellingOfPrefetch() throws Exception {
        assertEquals(new WalRequest.Fetch("000000010000000000000003", Path.of("pg_wal/RECOVERYXLOG"), 8),
                parse("wal-fetch", "000000010000000000000003", "pg_wal/RECOVERYXLOG"));
        assertEquals(new WalRequest.Fetch("s", Path.of("d"), 0), parse("wal-fetch", "--prefetch", "0", "s", "d"));
        assertEquals(new WalRequest.Fetch("s", Path.of("d"), 3), parse("wal-fetch", "s", "-p", "3", "d"));
        assertEquals(new WalRequest.Fetch("s", Path.of("d"), 12), parse("wal-fetch", "s", "d", "--prefetch=12"));
        // a name wal-fetch itself rejects (one error record, the failure status) is still wal-fetch's to reject
        assertEquals(new WalRequest.Fetch("../x", Path.of("d"), 8), parse("wal-fetch", "../x", "d"));
    }

    @Test
    void refusesWhatPicocliReadsOtherwiseOrRejects() {
        List<List<String>> refused = List.of(
                List.of("wal-push"),                                   // missing WAL_SEGMENT
                List.of("wal-push", "a", "b"),                         // one too many
                List.of("wal-push", "-p"),                             // option without its value
                List.of("wal-push", "-p", "0", "seg"),                 // --pool-size must be at least 1
                List.of("wal-push", "-p", "4", "-p", "4", "seg"),      // given twice
                List.of("wal-push", "-p4", "seg"),                     // attached short value: left to picocli
                List.of("wal-push", "-p=4", "seg"),
                List.of("wal-push", "-p", "+4", "seg"),                // a sign
                List.of("wal-push", "-p", "-1", "seg"),
                List.of("wal-push", "-p", "0x10", "seg"),
                List.of("wal-push", "-p", "9999999999", "seg"),        // beyond int
                List.of("wal-push", "--pool-size=", "seg"),
                List.of("wal-push", "--prefetch", "4", "seg"),         // wal-fetch's option
                List.of("wal-push", "--", "seg"),                      // end of options
                List.of("wal-push", "@args"),                          // picocli's argument file
                List.of("wal-push", "-"),
                List.of("wal-push", "seg\0"),                          // not a path
                List.of("wal-fetch", "s"),
                List.of("wal-fetch", "s", "d", "e"),
                List.of("wal-fetch", "-h"),                            // help: printed by picocli
                List.of("wal-fetch", "--help", "s", "d"),
                List.of("wal-fetch", "--pool-size", "4", "s", "d"),    // wal-push's option
                List.of("wal-fetch", "--terse", "s", "d"),             // a global option after the subcommand
                List.of("wal-prefetch", "base", "000000010000000000000003"),
                List.of("backup-push", "/data"),
                List.of());
        for (List<String> args : refused) {
            WalRequest.Unsupported e = assertThrows(WalRequest.Unsupported.class, () -> WalRequest.parse(args),
                    args + " must be refused");
            assertTrue(e.getMessage().startsWith("the daemon "), e.getMessage());
        }
    }

    @Test
    void aRefusalNamesTheFormsNeverTheValues() {
        WalRequest.Unsupported e = assertThrows(WalRequest.Unsupported.class,
                () -> parse("wal-push", "--pool-size", "secret-ish", "seg"));
        assertEquals("the daemon takes only wal-push WAL_SEGMENT [-p N | --pool-size N | --pool-size=N], N in digits",
                e.getMessage());
        e = assertThrows(WalRequest.Unsupported.class, () -> parse("wal-fetch", "-x", "s", "d"));
        assertEquals("the daemon takes only wal-fetch WAL_SEGMENT WAL_DESTINATION [-p N | --prefetch N | "
                + "--prefetch=N], N in digits", e.getMessage());
        e = assertThrows(WalRequest.Unsupported.class, () -> parse("backup-list"));
        assertEquals("the daemon serves wal-push and wal-fetch only", e.getMessage());
    }

    private static WalRequest parse(String... args) throws WalRequest.Unsupported {
        return WalRequest.parse(List.of(args));
    }

    private static WalRequest parse(String subcommand, List<String> args) throws WalRequest.Unsupported {
        List<String> all = new java.util.ArrayList<>();
        all.add(subcommand);
        all.addAll(args);
        return WalRequest.parse(all);
    }
}
