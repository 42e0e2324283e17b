package org.walj.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;

class WalELogTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2017-03-01T20:20:37.123456Z"), ZoneOffset.UTC);

    private final LoggerContext context = new LoggerContext();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private WalELog log(String name) {
        return new WalELog(context.getLogger(name), CLOCK, 1234);
    }

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void walPushBeginLineFromTheSpec() {
        LogSetup.install(context, null, err);
        String key = "s3://bucket/pfx/wal_005/000000010000000000000002.lzo";
        log(LoggerNames.WORKER_UPLOAD).info(LogEvent.msg("begin archiving a file")
                .detail("Uploading \"pg_wal/000000010000000000000002\" to \"" + key + "\".")
                .kv("action", "push-wal").kv("key", key).kv("prefix", "pfx/").kv("seg", "000000010000000000000002")
                .kv("state", "begin"));
        assertEquals("wal_e.worker.upload INFO     MSG: begin archiving a file\n"
                + "        DETAIL: Uploading \"pg_wal/000000010000000000000002\" to"
                + " \"s3://bucket/pfx/wal_005/000000010000000000000002.lzo\".\n"
                + "        STRUCTURED: time=2017-03-01T20:20:37.123456-00 pid=1234 action=push-wal"
                + " key=s3://bucket/pfx/wal_005/000000010000000000000002.lzo prefix=pfx/"
                + " seg=000000010000000000000002 state=begin\n", output());
    }

    @Test
    void everyLevel() {
        LogSetup.install(context, "stderr", err);
        LogSetup.setLevel(context, LogLevel.DEBUG);
        WalELog log = log(LoggerNames.MAIN);
        log.debug(LogEvent.msg("d"));
        log.info(LogEvent.msg("i"));
        log.warning(LogEvent.msg("w"));
        log.error(LogEvent.msg("e"));
        log.critical(LogEvent.msg("c"));
        String s = " STRUCTURED: time=2017-03-01T20:20:37.123456-00 pid=1234\n";
        assertEquals("wal_e.main   DEBUG    MSG: d\n       " + s
                + "wal_e.main   INFO     MSG: i\n       " + s
                + "wal_e.main   WARNING  MSG: w\n       " + s
                + "wal_e.main   ERROR    MSG: e\n       " + s
                + "wal_e.main   CRITICAL MSG: c\n       " + s, output());
    }

    @Test
    void defaultLevelIsInfoAndTerseIsWarning() {
        LogSetup.install(context, "stderr", err);
        WalELog log = log(LoggerNames.OPERATOR_BACKUP);
        assertEquals(LogLevel.INFO, LogSetup.level(context));
        log.debug(LogEvent.msg("hidden"));
        log.info(LogEvent.msg("shown"));
        LogSetup.setLevel(context, LogLevel.WARNING);
        log.info(LogEvent.msg("hidden"));
        assertFalse(log.isEnabled(LogLevel.INFO));
        assertTrue(log.isEnabled(LogLevel.WARNING));
        log.warning(LogEvent.msg("warned"));
        LogSetup.setLevel(context, LogLevel.CRITICAL);
        log.error(LogEvent.msg("hidden"));
        log.critical(LogEvent.msg("critical"));
        String out = output();
        assertFalse(out.contains("hidden"), out);
        assertEquals(List.of("MSG: shown", "MSG: warned", "MSG: critical"), messages(out));
    }

    @Test
    void destinations() {
        assertEquals(EnumSet.of(Destination.STDERR, Destination.SYSLOG), Destination.parse("stderr,syslog"));
        assertEquals(EnumSet.of(Destination.SYSLOG), Destination.parse("syslog"));
        assertEquals(EnumSet.noneOf(Destination.class), Destination.parse(""));
        assertEquals(EnumSet.noneOf(Destination.class), Destination.parse(" stderr")); // WAL-E does not trim
        assertEquals(EnumSet.of(Destination.STDERR), Destination.parse("stderr,,bogus"));
    }

    @Test
    void syslogOnlyWithoutASyslogSocketWritesNothingAndDoesNotFail() {
        for (String env : List.of("syslog", "", "bogus")) {
            LoggerContext c = new LoggerContext();
            LogSetup.install(c, env, err, java.util.Optional::empty); // SyslogDestinationTest: with a socket
            new WalELog(c.getLogger("wal_e.main"), CLOCK, 1).critical(LogEvent.msg("nowhere to go"));
            assertFalse(new WalELog(c.getLogger("wal_e.main"), CLOCK, 1).isEnabled(LogLevel.CRITICAL));
        }
        assertEquals("", output());
    }

    @Test
    void unsetVariableMeansStderrAndSyslog() {
        LogSetup.install(context, null, err);
        log("wal_e.main").info(LogEvent.msg("x"));
        assertEquals(List.of("MSG: x"), messages(output()));
    }

    @Test
    void eachRecordIsFlushedAtOnceAndWrittenWhole() {
        List<String> atFlush = new ArrayList<>();
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        OutputStream recording = new OutputStream() {
            @Override
            public void write(int b) {
                sink.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                sink.write(b, off, len);
            }

            @Override
            public void flush() {
                atFlush.add(sink.toString(StandardCharsets.UTF_8));
            }
        };
        LogSetup.install(context, "stderr", new PrintStream(recording, false, StandardCharsets.UTF_8));
        log("wal_e.main").info(LogEvent.msg("one"));
        assertEquals(1, atFlush.size());
        assertTrue(atFlush.get(0).endsWith("pid=1234\n"), atFlush.get(0));
        log("wal_e.main").info(LogEvent.msg("two"));
        assertEquals(2, atFlush.size());
        assertEquals(sink.toString(StandardCharsets.UTF_8), atFlush.get(1));
    }

    @Test
    void concurrentRecordsDoNotInterleave() throws Exception {
        LogSetup.install(context, "stderr", err);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                fs.add(pool.submit(() -> {
                    WalELog log = log("wal_e.worker.upload");
                    for (int i = 0; i < 200; i++) {
                        log.info(LogEvent.msg("record " + thread + "/" + i).detail("detail " + thread + "/" + i));
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        Pattern record = Pattern.compile("wal_e\\.worker\\.upload INFO     MSG: record (\\d)/(\\d+)\n"
                + "        DETAIL: detail \\1/\\2\n"
                + "        STRUCTURED: time=2017-03-01T20:20:37\\.123456-00 pid=1234\n");
        String out = output();
        java.util.regex.Matcher m = record.matcher(out);
        int count = 0;
        int end = 0;
        while (m.find() && m.start() == end) {
            count++;
            end = m.end();
        }
        assertEquals(800, count);
        assertEquals(out.length(), end);
    }

    @Test
    void nonAsciiIsWrittenAsUtf8() {
        LogSetup.install(context, "stderr", err);
        log("wal_e.main").info(LogEvent.msg("r\u00e9sum\u00e9"));
        assertTrue(output().startsWith("wal_e.main   INFO     MSG: r\u00e9sum\u00e9\n"));
    }

    @Test
    void systemClockTimeAndRealPid() {
        LogSetup.install(context, "stderr", err);
        new WalELog(context.getLogger("wal_e.main"), Clock.systemUTC(), ProcessHandle.current().pid())
                .info(LogEvent.msg("now"));
        assertTrue(Pattern.compile("wal_e\\.main   INFO     MSG: now\n        STRUCTURED: time="
                + "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}-00 pid=" + ProcessHandle.current().pid() + "\n")
                .matcher(output()).matches(), output());
    }

    @Test
    void theConfiguratorIsRegisteredAsAService() throws IOException {
        try (InputStream in = getClass().getResourceAsStream(
                "/META-INF/services/ch.qos.logback.classic.spi.Configurator")) {
            assertEquals(WalJLogbackConfigurator.class.getName(),
                    new String(in.readAllBytes(), StandardCharsets.UTF_8).trim());
        }
        boolean found = false;
        for (Configurator c : ServiceLoader.load(Configurator.class)) {
            found |= c instanceof WalJLogbackConfigurator;
        }
        assertTrue(found);
    }

    @Test
    void theGlobalSetUpIsWalEs() {
        LogSetup.configure();
        LogSetup.configure(); // idempotent
        assertTrue(LoggerFactory.getILoggerFactory() instanceof LoggerContext);
        Set<Destination> expected = Destination.parse(
                System.getenv(LogSetup.DESTINATION_ENV) == null ? "stderr,syslog" : System.getenv(LogSetup.DESTINATION_ENV));
        assertEquals(expected, LogSetup.destinations());
        LogLevel before = LogSetup.level();
        try {
            LogSetup.setTerse(true);
            assertEquals(LogLevel.WARNING, LogSetup.level());
            assertFalse(WalELog.get("wal_e.main").isEnabled(LogLevel.INFO));
            LogSetup.setTerse(false);
            assertEquals(LogLevel.INFO, LogSetup.level());
        } finally {
            LogSetup.setLevel(before);
        }
        assertEquals("wal_e.main", WalELog.get(LoggerNames.MAIN).name());
    }

    private static List<String> messages(String out) {
        List<String> msgs = new ArrayList<>();
        for (String line : out.split("\n")) {
            int i = line.indexOf("MSG: ");
            if (i >= 0) {
                msgs.add(line.substring(i));
            }
        }
        return msgs;
    }
}
