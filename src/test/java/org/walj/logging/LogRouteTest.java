package org.walj.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import ch.qos.logback.classic.LoggerContext;

/** The daemon's per-request routing: each client gets its own records (and its threads'), stderr gets all. */
class LogRouteTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T03:12:23.704772Z"), ZoneOffset.UTC);
    private final LoggerContext context = new LoggerContext();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private WalELog log;

    @BeforeEach
    void setUp() {
        LogSetup.install(context, null, new PrintStream(stderr, true, StandardCharsets.UTF_8));
        log = new WalELog(context.getLogger("wal_e.worker.upload"), CLOCK, 1234);
    }

    @AfterEach
    void tearDown() {
        LogRoute route = LogRoute.current();
        if (route != null) {
            route.close();
        }
    }

    @Test
    void recordsOfTheRequestThreadAndItsChildrenGoToItsClientOthersDoNot() throws Exception {
        ByteArrayOutputStream client = new ByteArrayOutputStream();
        try (LogRoute route = LogRoute.open(client)) {
            log.info(LogEvent.msg("from the request"));
            Thread child = new Thread(() -> log.info(LogEvent.msg("from its upload thread")));
            child.start();
            child.join();
            Thread unrelated = new Thread(() -> {
                LogRoute.current().close(); // inherited, but another request's thread would have its own
                log.info(LogEvent.msg("from elsewhere"));
            });
            unrelated.start();
            unrelated.join();
        }
        log.info(LogEvent.msg("after the request"));
        String routed = client.toString(StandardCharsets.UTF_8);
        String all = stderr.toString(StandardCharsets.UTF_8);
        assertTrue(routed.startsWith("wal_e.worker.upload INFO     MSG: from the request\n"), routed);
        assertTrue(routed.contains("MSG: from its upload thread"), routed);
        assertFalse(routed.contains("elsewhere") || routed.contains("after the request"), routed);
        for (String m : new String[] {"from the request", "from its upload thread", "from elsewhere", "after the request"}) {
            assertTrue(all.contains("MSG: " + m), "stderr has every record: " + all);
        }
    }

    @Test
    void aTerseRequestGetsWarningsOnlyWhileStderrKeepsInfo() {
        ByteArrayOutputStream client = new ByteArrayOutputStream();
        try (LogRoute route = LogRoute.open(client)) {
            route.setThreshold(LogLevel.WARNING);
            log.info(LogEvent.msg("chatty"));
            log.warning(LogEvent.msg("worth saying"));
        }
        String routed = client.toString(StandardCharsets.UTF_8);
        assertFalse(routed.contains("chatty"), routed);
        assertTrue(routed.contains("WARNING  MSG: worth saying"), routed);
        assertTrue(stderr.toString(StandardCharsets.UTF_8).contains("MSG: chatty"));
    }

    @Test
    void aClientThatWentAwayDoesNotFailLogging() {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException("Broken pipe");
            }
        };
        try (LogRoute route = LogRoute.open(broken)) {
            log.info(LogEvent.msg("one"));
            log.info(LogEvent.msg("two"));
        }
        assertEquals(2, stderr.toString(StandardCharsets.UTF_8).split("MSG: ", -1).length - 1);
    }
}
