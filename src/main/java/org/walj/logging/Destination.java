package org.walj.logging;

import java.util.EnumSet;
import java.util.Set;

/** Where records go, as named in {@code WALE_LOG_DESTINATION}. */
public enum Destination {
    STDERR("stderr"),
    /** Through the {@code wal-j-syslog} helper to {@code /dev/log} (docs/logging.md): Java 17 has no UNIX datagram sockets. */
    SYSLOG("syslog");

    private final String envName;

    Destination(String envName) {
        this.envName = envName;
    }

    public String envName() {
        return envName;
    }

    /**
     * Parses the variable as WAL-E does ({@code value.split(",")}, exact names, no trimming); unknown names are
     * ignored, and an empty value means no destination at all.
     */
    public static Set<Destination> parse(String value) {
        Set<Destination> out = EnumSet.noneOf(Destination.class);
        if (value == null) {
            return out;
        }
        for (String part : value.split(",", -1)) {
            for (Destination d : values()) {
                if (d.envName.equals(part)) {
                    out.add(d);
                }
            }
        }
        return out;
    }
}
