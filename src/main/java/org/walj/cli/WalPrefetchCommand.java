package org.walj.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.walj.UserException;
import org.walj.archive.Archive;
import org.walj.postgres.SegmentName;
import org.walj.wal.WalPrefetcher;
import org.walj.wal.WalRestorer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "wal-prefetch", hidden = true,
        description = "Internal: download segments into BASE/.wal-e/prefetch/ for a later wal-fetch.")
final class WalPrefetchCommand implements Callable<Integer> {
    /** Downloads run in parallel inside one process: a JVM start costs more than a segment download. */
    private static final int PARALLELISM = 4;

    @ParentCommand
    WalJCommand root;

    @Parameters(index = "0", paramLabel = "BASE_DIRECTORY")
    Path base;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "SEGMENT")
    List<String> segments;

    @Override
    public Integer call() throws Exception {
        List<SegmentName> names = new ArrayList<>();
        for (String s : segments) {
            names.add(SegmentName.parse(s).orElseThrow(() -> new UserException("invalid segment name \"" + s + "\"")));
        }
        try (Archive archive = root.openArchive()) {
            List<SegmentName> failed = new WalPrefetcher(new WalRestorer(archive)).prefetch(base, names, PARALLELISM);
            if (!failed.isEmpty()) {
                throw new UserException("Failed to prefetch " + failed.get(0)
                        + (failed.size() > 1 ? " and " + (failed.size() - 1) + " more" : ""));
            }
        }
        return ExitStatus.OK;
    }
}
