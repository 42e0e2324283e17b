package org.walj.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.walj.postgres.SegmentName;
import org.walj.wal.PrefetchSpawner;

/**
 * Starts {@code wal-prefetch} as a detached copy of this very process: the same java, JVM options and jar, and every
 * argument that came before the subcommand (so the same prefix and options), as WAL-E re-runs its own argv.
 */
final class PrefetchProcess implements PrefetchSpawner {
    private final List<String> mainArguments;
    private final String subcommand;

    PrefetchProcess(List<String> mainArguments, String subcommand) {
        this.mainArguments = mainArguments;
        this.subcommand = subcommand;
    }

    @Override
    public void spawn(Path base, List<SegmentName> segments) throws IOException {
        List<String> command = new ArrayList<>(selfCommand()
                .orElseThrow(() -> new IOException("cannot tell how this process was started")));
        int sub = mainArguments.indexOf(subcommand);
        command.addAll(mainArguments.subList(0, Math.max(0, sub)));
        command.add("wal-prefetch");
        command.add(base.toString());
        segments.forEach(s -> command.add(s.toString()));
        new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    /** java, its options and the main class or jar: everything before the main arguments. */
    private Optional<List<String>> selfCommand() {
        ProcessHandle.Info info = ProcessHandle.current().info();
        Optional<String> java = info.command();
        Optional<String[]> all = info.arguments();
        if (java.isEmpty() || all.isEmpty() || all.get().length < mainArguments.size()) {
            return Optional.empty();
        }
        String[] args = all.get();
        List<String> command = new ArrayList<>();
        command.add(java.get());
        for (int i = 0; i < args.length - mainArguments.size(); i++) {
            command.add(args[i]);
        }
        return Optional.of(command);
    }
}
