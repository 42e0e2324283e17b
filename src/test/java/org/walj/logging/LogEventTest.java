package org.walj.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class LogEventTest {

    private static final Instant T = Instant.parse("2017-11-05T10:20:30.123456789Z");

    @Test
    void messageOnlyStillHasTheStructuredLine() {
        assertEquals("MSG: hello\nSTRUCTURED: time=2017-11-05T10:20:30.123456-00 pid=4242",
                LogEvent.msg("hello").render(T, 4242));
    }

    @Test
    void walPushCompletionLineFromTheSpec() {
        String url = "gs://bucket/pitr-wale-v1/wal_005/00000006000096F30000006A.lzo";
        LogEvent e = LogEvent.msg("completed archiving to a file")
                .detail("Archiving to \"" + url + "\" complete at 10986.4KiB/s.")
                .kv("action", "push-wal").kv("key", url).kv("prefix", "pitr-wale-v1/").kv("rate", "10986.4")
                .kv("seg", "00000006000096F30000006A").kv("state", "complete");
        assertEquals("MSG: completed archiving to a file\n"
                + "DETAIL: Archiving to \"gs://bucket/pitr-wale-v1/wal_005/00000006000096F30000006A.lzo\" complete at"
                + " 10986.4KiB/s.\n"
                + "STRUCTURED: time=2017-11-05T10:20:30.123456-00 pid=4242 action=push-wal"
                + " key=gs://bucket/pitr-wale-v1/wal_005/00000006000096F30000006A.lzo prefix=pitr-wale-v1/"
                + " rate=10986.4 seg=00000006000096F30000006A state=complete", e.render(T, 4242));
    }

    @Test
    void detailAndHintLinesInOrder() {
        assertEquals("MSG: m\nDETAIL: d\nHINT: h\nSTRUCTURED: time=2017-11-05T10:20:30.123456-00 pid=1",
                LogEvent.msg("m").hint("h").detail("d").render(T, 1));
        assertEquals("MSG: m\nHINT: h\nSTRUCTURED: time=2017-11-05T10:20:30.123456-00 pid=1",
                LogEvent.msg("m").hint("h").render(T, 1));
        assertEquals("MSG: m\nSTRUCTURED: time=2017-11-05T10:20:30.123456-00 pid=1",
                LogEvent.msg("m").detail("d").detail(null).render(T, 1));
    }

    @Test
    void pairsAreSortedByTheRenderedTextNotByKey() {
        // by key "a" < "a-b"; by rendered text "a-b=1" < "a=2" because '-' sorts before '='
        LogEvent e = LogEvent.msg("m").kv("a", 2).kv("a-b", 1).kv("Z", "upper").kv("state", "begin")
                .kv("action", "push-wal");
        assertEquals("MSG: m\nSTRUCTURED: time=2017-11-05T10:20:30.123456-00 pid=7 Z=upper a-b=1 a=2 action=push-wal"
                + " state=begin", e.render(T, 7));
    }

    @Test
    void sortingIsByCodePointLikePython() {
        LogEvent e = LogEvent.msg("m").kv("k", "\uffe0").kv("k", "\ud83d\ude00").kv("j", "\uffe0")
                .kv("i", "\ud83d\ude00");
        assertEquals("MSG: m\nSTRUCTURED: time=2017-11-05T10:20:30.123456-00 pid=7 i=\ud83d\ude00 j=\uffe0 k=\ud83d\ude00",
                e.render(T, 7));
        assertEquals(-1, Integer.signum(org.walj.CodePointOrder.INSTANCE.compare("x=\uffe0", "x=\ud83d\ude00")));
    }

    @Test
    void valuesArePrintedAsPythonStrWouldAndNeverQuoted() {
        LogEvent e = LogEvent.msg("m").kv("none", null).kv("t", true).kv("f", false).kv("n", 42L)
                .kv("space", "a b").kv("eq", "x=y");
        assertEquals("MSG: m\nSTRUCTURED: time=2017-11-05T10:20:30.123456-00 pid=7 eq=x=y f=False n=42 none=None"
                + " space=a b t=True", e.render(T, 7));
    }

    @Test
    void aRepeatedKeyKeepsTheLastValue() {
        LogEvent e = LogEvent.msg("m").kv("state", "begin").kv("state", "complete");
        assertEquals(Map.of("state", "complete"), e.structured());
        assertEquals("MSG: m\nSTRUCTURED: time=2017-11-05T10:20:30.123456-00 pid=7 state=complete", e.render(T, 7));
    }

    @Test
    void eventsAreImmutable() {
        LogEvent base = LogEvent.msg("m").kv("action", "push-wal");
        LogEvent begin = base.kv("state", "begin").detail("d");
        assertEquals(Map.of("action", "push-wal"), base.structured());
        assertEquals(Optional.empty(), base.detail());
        assertEquals(Map.of("action", "push-wal", "state", "begin"), begin.structured());
        assertThrows(UnsupportedOperationException.class, () -> begin.structured().put("x", "y"));
        assertEquals(LogEvent.msg("m").kv("action", "push-wal"), base);
        assertEquals("m", begin.msg());
        assertEquals(Optional.of("d"), begin.detail());
        assertEquals(Optional.empty(), begin.hint());
    }

    @Test
    void timeIsUtcMicrosecondsTruncated() {
        assertEquals("MSG: m\nSTRUCTURED: time=2024-02-29T23:59:59.999999-00 pid=1",
                LogEvent.msg("m").render(Instant.parse("2024-02-29T23:59:59.999999999Z"), 1));
        assertEquals("MSG: m\nSTRUCTURED: time=2001-01-02T03:04:05.000000-00 pid=1",
                LogEvent.msg("m").render(Instant.parse("2001-01-02T03:04:05Z"), 1));
        assertEquals("MSG: m\nSTRUCTURED: time=0999-01-01T00:00:00.000001-00 pid=1",
                LogEvent.msg("m").render(Instant.parse("0999-01-01T00:00:00.000001Z"), 1));
    }

    @Test
    void multiLineTextIsKeptForTheLayoutToIndent() {
        assertEquals("MSG: m\nDETAIL: line one\nline two\nSTRUCTURED: time=2017-11-05T10:20:30.123456-00 pid=1",
                LogEvent.msg("m").detail("line one\nline two").render(T, 1));
    }

    @Test
    void nullsAreRejectedWhereWalEWouldFail() {
        assertThrows(NullPointerException.class, () -> LogEvent.msg(null));
        assertThrows(NullPointerException.class, () -> LogEvent.msg("m").kv(null, "v"));
    }
}
