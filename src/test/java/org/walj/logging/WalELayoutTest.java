package org.walj.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.slf4j.MarkerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;

class WalELayoutTest {

    private final LoggerContext context = new LoggerContext();
    private final WalELayout layout = new WalELayout();

    @Test
    void columnsArePaddedTo12And8AndContinuationLinesIndentedBy8() {
        assertEquals("wal_e.main   INFO     MSG: starting\n"
                        + "        STRUCTURED: time=2017-11-05T10:20:30.123456-00 pid=4242\n",
                layout.doLayout(event("wal_e.main", Level.INFO,
                        "MSG: starting\nSTRUCTURED: time=2017-11-05T10:20:30.123456-00 pid=4242")));
    }

    @Test
    void specExampleRendersExactly() {
        String body = "MSG: completed archiving to a file\n"
                + "DETAIL: Archiving to \"gs://bucket/pitr-wale-v1/wal_005/00000006000096F30000006A.lzo\" complete at"
                + " 10986.4KiB/s.\n"
                + "STRUCTURED: time=2017-11-05T10:20:30.123456-00 pid=4242 action=push-wal"
                + " key=gs://bucket/pitr-wale-v1/wal_005/00000006000096F30000006A.lzo prefix=pitr-wale-v1/"
                + " rate=10986.4 seg=00000006000096F30000006A state=complete";
        assertEquals("wal_e.worker.upload INFO     MSG: completed archiving to a file\n"
                + "        DETAIL: Archiving to \"gs://bucket/pitr-wale-v1/wal_005/00000006000096F30000006A.lzo\""
                + " complete at 10986.4KiB/s.\n"
                + "        STRUCTURED: time=2017-11-05T10:20:30.123456-00 pid=4242 action=push-wal"
                + " key=gs://bucket/pitr-wale-v1/wal_005/00000006000096F30000006A.lzo prefix=pitr-wale-v1/"
                + " rate=10986.4 seg=00000006000096F30000006A state=complete\n",
                layout.doLayout(event("wal_e.worker.upload", Level.INFO, body)));
    }

    @Test
    void levelNamesAreWalEs() {
        assertEquals("wal_e.main   WARNING  MSG: w\n", layout.doLayout(event("wal_e.main", Level.WARN, "MSG: w")));
        assertEquals("wal_e.main   ERROR    MSG: e\n", layout.doLayout(event("wal_e.main", Level.ERROR, "MSG: e")));
        assertEquals("wal_e.main   DEBUG    MSG: d\n", layout.doLayout(event("wal_e.main", Level.DEBUG, "MSG: d")));
        assertEquals("wal_e.main   DEBUG    MSG: t\n", layout.doLayout(event("wal_e.main", Level.TRACE, "MSG: t")));
        LoggingEvent critical = event("wal_e.main", Level.ERROR, "MSG: c");
        critical.addMarker(WalELog.CRITICAL);
        assertEquals("wal_e.main   CRITICAL MSG: c\n", layout.doLayout(critical));
    }

    @Test
    void criticalMarkerIsRecognisedByName() {
        LoggingEvent byName = event("x", Level.ERROR, "m");
        byName.addMarker(MarkerFactory.getDetachedMarker("CRITICAL"));
        assertEquals("x            CRITICAL m\n", layout.doLayout(byName));

        LoggingEvent warnWithMarker = event("x", Level.WARN, "m");
        warnWithMarker.addMarker(WalELog.CRITICAL);
        assertEquals("x            WARNING  m\n", layout.doLayout(warnWithMarker), "CRITICAL needs ERROR");

        LoggingEvent other = event("x", Level.ERROR, "m");
        other.addMarker(MarkerFactory.getDetachedMarker("OTHER"));
        assertEquals("x            ERROR    m\n", layout.doLayout(other));
    }

    @Test
    void longLoggerNamesAreNotTruncated() {
        assertEquals("wal_e.blobstore.s3.s3_util INFO     m\n",
                layout.doLayout(event("wal_e.blobstore.s3.s3_util", Level.INFO, "m")));
        assertEquals("wal_e.retries WARNING  m\n", layout.doLayout(event("wal_e.retries", Level.WARN, "m")));
        assertEquals("abcdefghijkl INFO     m\n", layout.doLayout(event("abcdefghijkl", Level.INFO, "m")));
    }

    @Test
    void everyNewlineIsFollowedByEightSpaces() {
        assertEquals("n            INFO     a\n        \n        b\n        \n",
                layout.doLayout(event("n", Level.INFO, "a\n\nb\n")));
        assertEquals("n            INFO     a\r\n        b\n", layout.doLayout(event("n", Level.INFO, "a\r\nb")));
    }

    @Test
    void plainRecordsOfOtherLibrariesStayPlainAndArgumentsAreFormatted() {
        LoggingEvent e = new LoggingEvent(Logger.class.getName(), context.getLogger("software.amazon.awssdk.x"),
                Level.WARN, "retrying {} of {}", null, new Object[] {1, 3});
        assertEquals("software.amazon.awssdk.x WARNING  retrying 1 of 3\n", layout.doLayout(e));
    }

    @Test
    void anAttachedThrowableIsAppendedAndIndented() {
        LoggingEvent e = new LoggingEvent(Logger.class.getName(), context.getLogger("wal_e.main"), Level.ERROR,
                "MSG: failed", new IllegalStateException("boom"), null);
        String out = layout.doLayout(e);
        assertTrue(out.startsWith("wal_e.main   ERROR    MSG: failed\n        java.lang.IllegalStateException: boom\n"
                + "            at "), out);
        assertTrue(out.endsWith("\n") && !out.endsWith("\n\n"), out);
        for (String line : out.substring(0, out.length() - 1).split("\n", -1)) {
            assertTrue(line.startsWith("wal_e.main") || line.startsWith("        "), line);
        }
    }

    private LoggingEvent event(String logger, Level level, String message) {
        return new LoggingEvent(Logger.class.getName(), context.getLogger(logger), level, message, null, null);
    }
}
