package org.walj.logging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether stderr is a terminal. Java has no {@code isatty}: {@code System.console()} looks at stdin and stdout only
 * (null under {@code wal-j backup-fetch ... </dev/null} on a terminal, non-null with stderr redirected to a file).
 * Linux names each open descriptor's file in {@code /proc/self/fd}: a terminal is a {@code /dev/pts/N} pseudo
 * terminal (ssh, terminal emulators, tmux, {@code docker -t}), a {@code /dev/ttyN} console or serial line, or
 * {@code /dev/console}; a pipe ({@code pipe:[N]}), a socket, a file or {@code /dev/null} is not. Where
 * {@code /proc} cannot tell, the answer is no: nothing extra is written unless asked for ({@code WALJ_PROGRESS}).
 */
final class Terminal {
    private static final Path STDERR = Path.of("/proc/self/fd/2");

    private Terminal() {
    }

    static boolean stderrIsTerminal() {
        return isTerminal(STDERR);
    }

    /** {@code descriptor}: a {@code /proc/.../fd/N} link. */
    static boolean isTerminal(Path descriptor) {
        String target;
        try {
            target = Files.readSymbolicLink(descriptor).toString();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
    }
}
