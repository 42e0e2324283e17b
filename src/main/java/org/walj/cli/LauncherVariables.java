package org.walj.cli;

import java.util.List;
import org.walj.daemon.SocketPath;
import org.walj.settings.Scope;
import org.walj.settings.Setting;

/**
 * What the launcher (packaging/wal-j, POSIX sh) reads: which JVM, which jar, which socket, the locale. None changes
 * what a command does, so the daemon does not compare them. The socket is also read by Java (daemon, client).
 */
final class LauncherVariables {
    private static final Scope LAUNCHER = Scope.LAUNCHER;

    static final Setting<String> DAEMON_SOCKET = Setting.text(SocketPath.VARIABLE, LAUNCHER,
            "The resident daemon's socket (" + SocketPath.DEFAULT + ").");
    static final Setting<String> DAEMON_COMPRESS_EARLY = Setting.text("WALJ_DAEMON_COMPRESS_EARLY", LAUNCHER,
            "on (the default) or off: whether a daemon compresses the segment PostgreSQL is writing while it writes"
                    + " it; for a daemon started on demand, which takes no options (wal-j daemon --[no-]compress-early"
                    + " wins over it).");
    static final List<Setting<?>> ALL = List.of(
            Setting.text("WALJ_JAVA", LAUNCHER, "The java executable."),
            Setting.text("JAVA_HOME", LAUNCHER, "Where java is, when WALJ_JAVA is unset."),
            Setting.text("WALJ_JAVA_OPTS", LAUNCHER, "Extra JVM options."),
            Setting.text("WALJ_JAR", LAUNCHER, "The wal-j jar."),
            Setting.text("WALJ_CDS", LAUNCHER, "Class-data sharing on or off."),
            Setting.text("WALJ_CDS_DIR", LAUNCHER, "Where the class-data archive is kept."),
            Setting.text("WALJ_CLIENT", LAUNCHER, "How wal-push and wal-fetch ask a running daemon: auto (the native"
                    + " client when built), jvm (the JVM client), none (never: in-process)."),
            Setting.text("XDG_CACHE_HOME", LAUNCHER, "The default of WALJ_CDS_DIR's parent."),
            Setting.text("WALJ_DAEMON_AUTOSTART", LAUNCHER, "on (the default): wal-push and wal-fetch start a"
                    + " daemon for their configuration when none answers; off: never."),
            Setting.text("WALJ_DAEMON_IDLE_EXIT", LAUNCHER, "Seconds a daemon started on demand waits idle before it"
                    + " stops (300)."),
            Setting.text("XDG_RUNTIME_DIR", LAUNCHER, "Where a daemon started on demand puts its socket, lock and log"
                    + " (<dir>/wal-j; else /run/user/UID/wal-j, else /tmp/wal-j-UID)."),
            Setting.text("LC_ALL", LAUNCHER, "Locale, passed on to the JVM's categories."),
            Setting.text("LC_CTYPE", LAUNCHER, "Locale of characters."),
            Setting.text("LANG", LAUNCHER, "Locale, when LC_ALL and LC_CTYPE are unset."),
            DAEMON_COMPRESS_EARLY,
            DAEMON_SOCKET);

    private LauncherVariables() {
    }
}
