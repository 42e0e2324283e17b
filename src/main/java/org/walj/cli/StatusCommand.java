package org.walj.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.walj.archive.Archive;
import org.walj.settings.Settings;
import org.walj.status.HostStatus;
import org.walj.status.PrometheusText;
import org.walj.status.PrometheusTextfile;
import org.walj.status.StatusCollector;
import org.walj.status.StatusFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "status",
        description = {"Report this host's archiving and backups for monitoring (docs/monitoring.md): the last "
                + "archived segment and its age, archive_command's failures (from pg_stat_archiver, when "
                + "PostgreSQL answers on PGHOST/PGPORT/PGUSER; else the newest segment in storage), the .ready "
                + "backlog (with --pgdata or PGDATA), and the newest backup with its WAL coverage.",
                "Exit 0 when the report was made, whatever it says; 1 when it could not be."})
final class StatusCommand implements Callable<Integer> {
    @ParentCommand
    WalJCommand root;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Option(names = "--prometheus", paramLabel = "FILE", description = "Also write the report as Prometheus "
            + "metrics to FILE for node_exporter's textfile collector (written aside, then renamed over FILE).")
    Path prometheus;

    @Option(names = "--pgdata", paramLabel = "DIR", description = "The data directory whose "
            + "pg_wal/archive_status .ready files are counted (default: PGDATA; neither: no backlog).")
    Path pgdata;

    @Option(names = "--no-postgres", description = "Do not ask PostgreSQL; read the last archived segment from "
            + "storage.")
    boolean noPostgres;

    @Override
    public Integer call() throws Exception {
        SubcommandStart.log("status");
        Settings env = root.settings();
        Optional<Path> dataDirectory = Optional.ofNullable(pgdata)
                .or(() -> env.get(CliVariables.PGDATA).map(Path::of));
        Optional<StatusCollector.ArchiverSource> postgres = noPostgres ? Optional.empty()
                : Optional.of(StatusCollector.postgres(PostgresConnection.of(env)));
        HostStatus status;
        try (Archive archive = root.openArchive()) {
            status = new StatusCollector(archive, Clock.systemUTC()).collect(postgres, dataDirectory);
        }
        if (prometheus != null) {
            PrometheusTextfile.write(prometheus, PrometheusText.of(status));
        }
        String out = json ? StatusFormat.json(status) : StatusFormat.text(status);
        PrintStream stdout = System.out;
        stdout.write(out.getBytes(StandardCharsets.UTF_8));
        stdout.flush();
        return ExitStatus.OK;
    }
}
