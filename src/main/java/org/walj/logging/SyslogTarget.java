package org.walj.logging;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.CodeSource;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where WAL-E's syslog destination sends records: the first existing of WAL-E's sockets ({@code /dev/log},
 * {@code /var/run/log}, {@code /var/run/syslog}) or {@code WALJ_SYSLOG_SOCKET}, the facility of
 * {@code WALE_SYSLOG_FACILITY} (Python's {@code SysLogHandler.facility_names}, default {@code user}), and the program
 * that sends the datagrams: the {@code wal-j-syslog} helper beside the jar, else the system's {@code logger(1)}
 * (util-linux, in every Debian install) where the helper was not built or not packaged (docs/logging.md).
 */
record SyslogTarget(Path socket, Path program, Transport transport, int facility) {
    /** How records reach the socket. */
    enum Transport {
        /** WAL-E's exact datagrams through one long-lived {@code wal-j-syslog}. */
        HELPER,
        /** One {@code logger} run per record: the logger name as the tag, the rest of the record as the message. */
        LOGGER
    }

    static final String FACILITY_ENV = "WALE_SYSLOG_FACILITY";
    static final String SOCKET_ENV = "WALJ_SYSLOG_SOCKET";
    static final String HELPER_NAME = "wal-j-syslog";
    private static final List<Path> WAL_E_SOCKETS = List.of(Path.of("/dev/log"), Path.of("/var/run/log"),
            Path.of("/var/run/syslog"));
    private static final List<Path> LOGGERS = List.of(Path.of("/usr/bin/logger"), Path.of("/bin/logger"));
    private static final int USER = 1;
    private static final Map<String, Integer> FACILITIES = Map.ofEntries(Map.entry("kern", 0), Map.entry("user", 1),
            Map.entry("mail", 2), Map.entry("daemon", 3), Map.entry("auth", 4), Map.entry("security", 4),
            Map.entry("syslog", 5), Map.entry("lpr", 6), Map.entry("news", 7), Map.entry("uucp", 8),
            Map.entry("cron", 9), Map.entry("authpriv", 10), Map.entry("ftp", 11), Map.entry("ntp", 12),
            Map.entry("console", 14), Map.entry("solaris-cron", 15), Map.entry("local0", 16),
            Map.entry("local1", 17), Map.entry("local2", 18), Map.entry("local3", 19), Map.entry("local4", 20),
            Map.entry("local5", 21), Map.entry("local6", 22), Map.entry("local7", 23));

    /**
     * The target, or empty when there is no socket (as WAL-E on a host without syslog) or neither the helper nor
     * {@code logger}. An unknown facility is reported on {@code stderr} as WAL-E does and {@code user} used.
     */
    static Optional<SyslogTarget> find(String facilityEnv, String socketEnv, Optional<Path> helper,
                                       Optional<Path> logger, PrintStream stderr) {
        int facility = USER;
        if (facilityEnv != null && !facilityEnv.isEmpty()) {
            Integer f = FACILITIES.get(facilityEnv.toLowerCase(Locale.ROOT));
            if (f == null) {
                stderr.println("invalid syslog facility level specified");
            } else {
                facility = f;
            }
        }
        List<Path> candidates = socketEnv != null && !socketEnv.isEmpty() ? List.of(Path.of(socketEnv))
                : WAL_E_SOCKETS;
        Optional<Path> socket = candidates.stream().filter(SyslogTarget::isSocket).findFirst();
        if (socket.isEmpty()) {
            return Optional.empty();
        }
        if (helper.isPresent() && Files.isExecutable(helper.get())) {
            return Optional.of(new SyslogTarget(socket.get(), helper.get(), Transport.HELPER, facility));
        }
        int f = facility;
        return logger.filter(Files::isExecutable)
                .map(l -> new SyslogTarget(socket.get(), l, Transport.LOGGER, f));
    }

    /** util-linux's {@code logger}, where the system has it. */
    static Optional<Path> loggerOnTheSystem() {
        return LOGGERS.stream().filter(Files::isExecutable).findFirst();
    }

    /** A socket (or other special file), not a directory such as {@code /var/run/log} on some hosts. */
    private static boolean isSocket(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class).isOther();
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code wal-j-syslog} beside the jar (or the classes directory) this class was loaded from. */
    static Optional<Path> helperBesideTheJar() {
        CodeSource source = SyslogTarget.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return Optional.empty();
        }
        try {
            Path parent = Path.of(source.getLocation().toURI()).getParent();
            return parent == null ? Optional.empty() : Optional.of(parent.resolve(HELPER_NAME));
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Python's {@code SysLogHandler.encodePriority}: facility × 8 + severity. */
    int priority(LogLevel level) {
        return facility * 8 + severity(level);
    }

    /**
     * The priority as {@code logger -p} takes it, {@code facility.level} (it takes no number). {@code logger} knows no
     * {@code ntp}, {@code console} or {@code solaris-cron}: those records go as {@code user}.
     */
    String loggerPriority(LogLevel level) {
        String name = switch (facility) {
            case 0 -> "kern";
            case 2 -> "mail";
            case 3 -> "daemon";
            case 4 -> "auth";
            case 5 -> "syslog";
            case 6 -> "lpr";
            case 7 -> "news";
            case 8 -> "uucp";
            case 9 -> "cron";
            case 10 -> "authpriv";
            case 11 -> "ftp";
            default -> facility >= 16 && facility <= 23 ? "local" + (facility - 16) : "user";
        };
        return name + "." + switch (level) {
            case DEBUG -> "debug";
            case INFO -> "info";
            case WARNING -> "warning";
            case ERROR -> "err";
            case CRITICAL -> "crit";
        };
    }

    private static int severity(LogLevel level) {
        return switch (level) {
            case DEBUG -> 7;
            case INFO -> 6;
            case WARNING -> 4;
            case ERROR -> 3;
            case CRITICAL -> 2;
        };
    }
}
