package org.walj.cli;

import java.util.List;
import java.util.Map;
import org.walj.daemon.DaemonClient;
import org.walj.daemon.SocketPath;

/**
 * The launcher's entry point for wal-push and wal-fetch when a daemon socket exists: asks the daemon, and only if it
 * does not answer loads the full CLI ({@link Main}) in this same JVM. Until then nothing but java.base and the small
 * {@code org.walj.daemon} client classes is loaded.
 */
public final class ClientMain {
    private ClientMain() {
    }

    public static void main(String[] args) {
        try {
            ask(args);
        } catch (Throwable t) { // as Main: never the JVM's 1 for wal-fetch
            System.exit(Main.unexpected(args, t));
        }
        Main.main(args);
    }

    /**
     * The daemon answers "not in the archive" with 1; the launcher asked for its private status instead
     * (ExitStatus.fetchNotFound, not used here: this class loads nothing but the client's).
     */
    private static int notFoundStatus() {
        int status = Integer.getInteger("walj.fetch.not-found-status", 1);
        return status >= 1 && status <= 125 ? status : 1;
    }

    /** Exits with the daemon's answer when it gives one; returns when the work must be done in-process. */
    private static void ask(String[] args) {
        List<String> arguments = List.of(args);
        if (arguments.contains("wal-push") || arguments.contains("wal-fetch")) {
            Map<String, String> env = System.getenv();
            DaemonClient.Outcome outcome = new DaemonClient(SocketPath.from(env))
                    .run(arguments, env, System.out, System.err);
            if (outcome.answered()) {
                boolean notFound = arguments.contains("wal-fetch") && outcome.status() == 1;
                System.exit(notFound ? notFoundStatus() : outcome.status());
            }
            System.err.println("wal-j: " + outcome.reason() + "; working in-process");
            System.err.flush();
        }
    }
}
