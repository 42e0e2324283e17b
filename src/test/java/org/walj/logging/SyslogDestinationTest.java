package org.walj.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXDatagramSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import ch.qos.logback.classic.LoggerContext;

/**
 * The syslog destination against a real receiver: a UNIX datagram socket this test binds, as {@code /dev/log} is,
 * fed by the real {@code wal-j-syslog} helper the build made. Each record must arrive as one datagram, WAL-E's:
 * {@code <PRI>} + the same text as on stderr + NUL.
 */
class SyslogDestinationTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2017-03-01T20:20:37.123456Z"), ZoneOffset.UTC);
    private static final Path HELPER = Path.of(System.getProperty("basedir", "."), "target", SyslogTarget.HELPER_NAME);

    @TempDir
    Path tmp;
    private AFUNIXDatagramSocket receiver;
    private Path socket;
    private final LoggerContext context = new LoggerContext();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(stderr, true, StandardCharsets.UTF_8);

    @BeforeEach
    void bind() throws Exception {
        assumeTrue(Files.isExecutable(HELPER), "the build made no " + HELPER + " (no C compiler)");
        socket = tmp.resolve("log");
        receiver = AFUNIXDatagramSocket.newInstance();
        receiver.bind(AFUNIXSocketAddress.of(new File(socket.toString())));
        receiver.setSoTimeout(30_000);
    }

    @AfterEach
    void close() {
        context.stop();
        if (receiver != null) {
            receiver.close();
        }
    }

    private String receive() throws Exception {
        byte[] buf = new byte[65536];
        java.net.DatagramPacket p = new java.net.DatagramPacket(buf, buf.length);
        receiver.receive(p);
        return new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
    }

    private void install(String destinations, String facility) {
        LogSetup.install(context, destinations, err,
                () -> SyslogTarget.find(facility, socket.toString(), Optional.of(HELPER), Optional.empty(), err));
    }

    @Test
    void eachRecordIsOneDatagramOfWalEsTextWithItsPriority() throws Exception {
        install("stderr,syslog", "local3");
        WalELog log = new WalELog(context.getLogger(LoggerNames.WORKER_UPLOAD), CLOCK, 1234);
        log.info(LogEvent.msg("begin archiving a file").detail("Uploading \"pg_wal/X\".").kv("state", "begin"));
        log.warning(LogEvent.msg("retrying").hint("It is retried."));
        String text = "wal_e.worker.upload INFO     MSG: begin archiving a file\n"
                + "        DETAIL: Uploading \"pg_wal/X\".\n"
                + "        STRUCTURED: time=2017-03-01T20:20:37.123456-00 pid=1234 state=begin";
        assertEquals("<" + (19 * 8 + 6) + ">" + text + "\0", receive(), "local3.info");
        String second = receive();
        assertTrue(second.startsWith("<" + (19 * 8 + 4) + ">wal_e.worker.upload WARNING  MSG: retrying\n"), second);
        assertTrue(second.endsWith("\0"), second);
        assertEquals(text + "\n", stderr.toString(StandardCharsets.UTF_8).lines().limit(3)
                .reduce((a, b) -> a + "\n" + b).orElse("") + "\n", "stderr has the same text");
    }

    @Test
    void syslogAloneStillLogsTheThresholdAppliesAndAnUnknownFacilityIsUser() throws Exception {
        install("syslog", "nonsense");
        assertEquals("invalid syslog facility level specified\n", stderr.toString(StandardCharsets.UTF_8));
        LogSetup.setLevel(context, LogLevel.WARNING);
        WalELog log = new WalELog(context.getLogger(LoggerNames.MAIN), CLOCK, 1);
        log.info(LogEvent.msg("below the threshold"));
        log.error(LogEvent.msg("bad input"));
        String got = receive();
        assertTrue(got.startsWith("<" + (8 + 3) + ">wal_e.main   ERROR    MSG: bad input\n"), got);
        assertEquals("invalid syslog facility level specified\n", stderr.toString(StandardCharsets.UTF_8),
                "nothing on stderr: it is not a destination");
        receiver.setSoTimeout(500);
        try {
            String more = receive();
            throw new AssertionError("only the ERROR record was sent, also got: " + more);
        } catch (SocketTimeoutException expected) {
            // the INFO record stayed below the threshold
        }
    }

    @Test
    void noSocketMeansNoSyslogAndNothingStarted() {
        Optional<Path> logger = SyslogTarget.loggerOnTheSystem();
        assertEquals(Optional.empty(), SyslogTarget.find(null, tmp.resolve("absent").toString(), Optional.of(HELPER),
                logger, err));
        assertEquals(Optional.empty(), SyslogTarget.find(null, socket.toString(), Optional.of(tmp.resolve("none")),
                Optional.of(tmp.resolve("no-logger")), err), "neither the helper nor logger: no syslog");
        assertEquals(SyslogTarget.Transport.HELPER, SyslogTarget.find(null, socket.toString(), Optional.of(HELPER),
                logger, err).orElseThrow().transport(), "the helper first, where it is");
    }

    /**
     * What an installed .deb does (it ships no helper): the system's real logger(1) sends each record to the real
     * receiver, one datagram per record, multi-line records whole, the logger name as the tag, with the priority.
     */
    @Test
    void withoutTheHelperLoggerSendsEachRecordTaggedWithItsLoggerName() throws Exception {
        Optional<Path> logger = SyslogTarget.loggerOnTheSystem();
        assertTrue(logger.isPresent(), "util-linux's logger is part of every Debian install (bsdutils)");
        LogSetup.install(context, "stderr,syslog", err, () -> SyslogTarget.find("local3", socket.toString(),
                Optional.of(tmp.resolve("no-helper")), logger, err));
        WalELog log = new WalELog(context.getLogger(LoggerNames.WORKER_UPLOAD), CLOCK, 1234);
        log.info(LogEvent.msg("begin archiving a file").detail("Uploading \"pg_wal/X\".").kv("state", "begin"));
        log.warning(LogEvent.msg("retrying").hint("It is retried."));
        WalELog main = new WalELog(context.getLogger(LoggerNames.MAIN), CLOCK, 1234);
        main.error(LogEvent.msg("-x looks like an option"));
        String first = receive();
        // logger's local form: <PRI>, an RFC 3164 time stamp (Mmm dd hh:mm:ss), the tag, then the message
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "<(\\d+)>[A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d ([^:]+): (.*)", java.util.regex.Pattern.DOTALL)
                .matcher(first);
        assertTrue(m.matches(), first);
        assertEquals(String.valueOf(19 * 8 + 6), m.group(1), "local3.info");
        assertEquals("wal_e.worker.upload", m.group(2));
        assertEquals("INFO     MSG: begin archiving a file\n"
                + "        DETAIL: Uploading \"pg_wal/X\".\n"
                + "        STRUCTURED: time=2017-03-01T20:20:37.123456-00 pid=1234 state=begin", m.group(3));
        String second = receive();
        assertTrue(second.startsWith("<" + (19 * 8 + 4) + ">"), second);
        assertTrue(second.contains(" wal_e.worker.upload: WARNING  MSG: retrying\n        HINT: It is retried."),
                second);
        String third = receive();
        assertTrue(third.startsWith("<" + (19 * 8 + 3) + ">"), third);
        assertTrue(third.contains(" wal_e.main: ERROR    MSG: -x looks like an option\n"), third);
    }
}
