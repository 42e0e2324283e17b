package org.walj.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.walj.archive.Archive;
import org.walj.logging.LogEvent;
import org.walj.logging.LoggerNames;
import org.walj.logging.WalELog;
import org.walj.postgres.WalSegmentSize;
import org.walj.retention.WalVerify;
import org.walj.retention.WalVerifyFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "wal-verify",
        description = {"Report gaps in the WAL archive from the oldest backup to the newest archived segment, "
                + "along the newest timeline's history (its .history file).",
                "Exit 0: no gap. Exit 1: gaps (or an error)."})
final class WalVerifyCommand implements Callable<Integer> {
    private static final WalELog LOG = WalELog.get(LoggerNames.OPERATOR_BACKUP);

    @ParentCommand
    WalJCommand root;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Option(names = "--wal-segment-size", paramLabel = "BYTES",
            description = WalSegmentSizeOption.DESCRIPTION)
    String segmentSize;

    @Override
    public Integer call() throws Exception {
        WalSegmentSize size = WalSegmentSizeOption.parse(segmentSize, root.spec.commandLine());
        try (Archive archive = root.openArchive()) {
            WalVerify.Report report = new WalVerify(archive, size).run();
            boolean assumed = segmentSize == null;
            String out = json ? WalVerifyFormat.json(report, assumed) : WalVerifyFormat.text(report, assumed);
            PrintStream stdout = System.out;
            stdout.write(out.getBytes(StandardCharsets.UTF_8));
            stdout.flush();
            if (report.coverage().isPresent() && !report.complete()) {
                LOG.warning(LogEvent.msg("the WAL archive has gaps")
                        .detail(report.coverage().get().gaps().size() + " gap(s) between "
                                + report.coverage().get().from() + " and " + report.coverage().get().to() + ".")
                        .hint("Recovery from a backup before a gap stops at the gap; take a new base backup.")
                        .kv("action", "wal-verify").kv("state", "gaps"));
                return ExitStatus.ERROR;
            }
        }
        return ExitStatus.OK;
    }
}
