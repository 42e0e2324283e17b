package org.walj.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.walj.archive.Archive;
import org.walj.daemon.SocketPath;
import org.walj.logging.LogSetup;
import org.walj.resident.ResidentDaemon;
import org.walj.resident.ResidentRequests;
import org.walj.storage.RetrySettings;
import org.walj.wal.WalArchiver;
import org.walj.wal.WalRestorer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** Starts resident mode (org.walj.resident) with this process's configuration and the archive opened once. */
@Command(name = "daemon",
        description = {"Serve wal-push and wal-fetch from a resident process (foreground; see docs/daemon.md).",
                "Listens on $WALJ_DAEMON_SOCKET (default " + SocketPath.DEFAULT + ") in a directory only this user "
                        + "may enter. Clients that find no daemon, or one configured differently, work in-process."})
final class DaemonCommand implements Callable<Integer> {
    @ParentCommand
    WalJCommand root;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "8",
            description = "Requests served at once (default: ${DEFAULT-VALUE}); up to 8*N more wait.")
    int threads;

    @Option(names = "--push-ahead", paramLabel = "N",
            description = "After serving a wal-push, store up to N other segments waiting in archive_status/ in the "
                    + "background and mark them .done (at most the request's --pool-size - 1; 0: off, the request "
                    + "pushes them itself while its client waits; default: as --threads, at most "
                    + ResidentDaemon.MAX_PUSH_AHEAD + ").")
    Integer pushAhead;

    @Option(names = "--compress-early", negatable = true, fallbackValue = "true",
            description = "With push-ahead, compress the blocks of the segment PostgreSQL is writing while it writes"
                    + " it: its archive_command then waits for little more than the last block (docs/daemon.md;"
                    + " default: WALJ_DAEMON_COMPRESS_EARLY, else on; --no-compress-early: the push compresses the"
                    + " whole segment after its .ready, and the daemon's heap holds ~64 MiB less).")
    Boolean compressEarly;

    @Option(names = "--idle-exit", paramLabel = "SECONDS", defaultValue = "0",
            description = "Stop after SECONDS with nothing served and nothing running in the background (0, the "
                    + "default: never). A daemon started on demand (WALJ_DAEMON_AUTOSTART) gets WALJ_DAEMON_IDLE_EXIT.")
    long idleExit;

    @Override
    public Integer call() throws Exception {
        if (threads < 1) {
            throw new picocli.CommandLine.ParameterException(root.spec.commandLine(), "--threads must be at least 1");
        }
        LogSetup.setTerse(false); // each request applies its own --terse to its client's copy
        Path socket = SocketPath.from(root.settings().texts(List.of(LauncherVariables.DAEMON_SOCKET)));
        int ahead = pushAhead != null ? pushAhead : Math.min(threads, ResidentDaemon.MAX_PUSH_AHEAD);
        if (ahead < 0 || ahead > ResidentDaemon.MAX_PUSH_AHEAD) {
            throw new picocli.CommandLine.ParameterException(root.spec.commandLine(),
                    "--push-ahead must be between 0 and " + ResidentDaemon.MAX_PUSH_AHEAD);
        }
        if (idleExit < 0) {
            throw new picocli.CommandLine.ParameterException(root.spec.commandLine(), "--idle-exit must not be negative");
        }
        boolean early = compressEarly != null ? compressEarly : compressEarlySetting();
        Archive archive = root.openArchive();
        List<String> args = root.arguments();
        ResidentRequests requests = new ResidentRequests(new WalUseCases(archive, root.settings()),
                new WalArchiver(archive), new WalRestorer(archive),
                root.settings(), args.subList(0, Math.max(0, args.indexOf("daemon"))), ahead, early,
                // a prefetch task still running after the storage's retry deadline is taken for stuck
                Duration.ofSeconds(root.settings().value(RetrySettings.DEADLINE_SECONDS)));
        new ResidentDaemon(socket, threads, requests, archive, Duration.ofSeconds(idleExit)).serve(
                "Serving wal-push and wal-fetch on " + socket + " for user " + System.getProperty("user.name")
                        + ", archive " + archive.prefix().urlOf("")
                        + (ahead > 0 ? "; pushing up to " + ahead + " ready segments ahead" : "; push-ahead off")
                        + (idleExit > 0 ? "; stopping after " + idleExit + " s idle." : "."));
        return ExitStatus.OK;
    }

    private boolean compressEarlySetting() {
        String v = root.settings().text(LauncherVariables.DAEMON_COMPRESS_EARLY).orElse("on");
        return switch (v) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new picocli.CommandLine.ParameterException(root.spec.commandLine(),
                    "WALJ_DAEMON_COMPRESS_EARLY must be on or off, not '" + v + "'");
        };
    }
}
